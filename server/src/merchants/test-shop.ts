import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { signedInClient } from '../testing/session.ts';
import { gatewayStamp, registerMerchant } from './service.ts';
import { signParams } from './signing.ts';

/** A merchant for tests: its key pair, app id and settlement account. */
export type TestShop = { appId: string; privateKey: KeyObject; settlementAccountId: string };

let shopCounter = 0;

/** Registers a merchant with a fresh RSA key pair and a settlement account of its own. */
export async function createTestShop(t: TestApp, options: { notifyUrlPrefix?: string } = {}): Promise<TestShop> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const deps = { config: t.ctx.config, clock: t.clock };
  const owner = await createTestCustomer(t.db.handle.kysely, deps, { name: '茶铺', balancesFen: [0] });
  const appId = await registerMerchant(t.db.handle.kysely, t.ctx, {
    name: `西湖茶铺${++shopCounter}`,
    settlementAccountNumber: owner.accounts[0]?.account_number ?? '',
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ...(options.notifyUrlPrefix ? { notifyUrlPrefix: options.notifyUrlPrefix } : {}),
  });
  return { appId, privateKey: pair.privateKey, settlementAccountId: owner.accounts[0]?.id ?? '' };
}

let orderCounter = 0;

/** The shop's page posts a signed order to /gateway/v1/pay; answers the bank's trade number. */
export async function placeOrder(
  t: TestApp,
  shop: TestShop,
  totalAmount: string,
  options: { notifyUrl?: string; returnUrl?: string; biz?: Record<string, string> } = {},
): Promise<{ tradeNo: string; outTradeNo: string }> {
  const outTradeNo = `T${Date.now()}-${++orderCounter}`;
  const params: Record<string, string> = {
    app_id: shop.appId,
    method: 'jinku.trade.page.pay',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: gatewayStamp(t.clock.nowMs()),
    version: '1.0',
    notify_url: options.notifyUrl ?? 'https://shop.example.com/notify',
    return_url: options.returnUrl ?? 'https://shop.example.com/return',
    biz_content: JSON.stringify({
      out_trade_no: outTradeNo,
      total_amount: totalAmount,
      subject: '龙井茶 250g',
      ...options.biz,
    }),
  };
  const response = await t.app.inject({
    method: 'POST',
    url: '/gateway/v1/pay',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...params, sign: signParams(params, shop.privateKey) }).toString(),
  });
  assert.equal(response.statusCode, 303, response.body);
  const tradeNo = /^\/pay\/(\d+)$/.exec(String(response.headers.location))?.[1];
  assert.ok(tradeNo);
  return { tradeNo, outTradeNo };
}

/** A signed-in customer with one account holding the balance. */
export async function testPayer(t: TestApp, balanceFen = 5_000_000) {
  const deps = { config: t.ctx.config, clock: t.clock };
  const customer = await createTestCustomer(t.db.handle.kysely, deps, { name: '张伟', balancesFen: [balanceFen] });
  return { customer, client: await signedInClient(t, customer) };
}

/** Pays an order from the customer's first account with the SMS code; answers the authorize response. */
export async function payOrder(t: TestApp, payer: { customer: TestCustomer; client: TestClient }, tradeNo: string) {
  const started = await payer.client.post(
    `/api/v1/checkout/${tradeNo}/pay`,
    { fromAccountId: payer.customer.accounts[0]!.id },
    { 'idempotency-key': `pay-${tradeNo}` },
  );
  assert.equal(started.statusCode, 200, started.body);
  const done = await payer.client.post(`/api/v1/checkout/${tradeNo}/authorize`, {
    method: 'sms',
    response: await latestCode(t.db.handle.kysely, payer.customer.mobile),
  });
  assert.equal(json(done).status, 'completed', done.body);
  return json(done) as { status: string; returnUrl?: string };
}

/** The shop's server asks about an order through the signed gateway API; answers the response object. */
export async function queryOrder(t: TestApp, shop: TestShop, outTradeNo: string): Promise<Record<string, string>> {
  const params: Record<string, string> = {
    app_id: shop.appId,
    method: 'jinku.trade.query',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: gatewayStamp(t.clock.nowMs()),
    version: '1.0',
    biz_content: JSON.stringify({ out_trade_no: outTradeNo }),
  };
  const response = await t.app.inject({
    method: 'POST',
    url: '/gateway/v1/api',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...params, sign: signParams(params, shop.privateKey) }).toString(),
  });
  assert.equal(response.statusCode, 200, response.body);
  return JSON.parse(response.body).jinku_trade_query_response;
}

/** The shop's server refunds (part of) an order through the signed gateway API; answers the response object. */
export async function refundOrder(
  t: TestApp,
  shop: TestShop,
  refund: { outTradeNo: string; refundAmount: string; outRequestNo: string },
): Promise<Record<string, string>> {
  const params: Record<string, string> = {
    app_id: shop.appId,
    method: 'jinku.trade.refund',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: gatewayStamp(t.clock.nowMs()),
    version: '1.0',
    biz_content: JSON.stringify({
      out_trade_no: refund.outTradeNo,
      refund_amount: refund.refundAmount,
      out_request_no: refund.outRequestNo,
    }),
  };
  const response = await t.app.inject({
    method: 'POST',
    url: '/gateway/v1/api',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...params, sign: signParams(params, shop.privateKey) }).toString(),
  });
  assert.equal(response.statusCode, 200, response.body);
  return JSON.parse(response.body).jinku_trade_refund_response;
}
