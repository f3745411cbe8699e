import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { recentEventsAbout } from '../audit/index.ts';
import type { AppError } from '../platform/errors.ts';
import { CHINA_OFFSET_MS } from '../platform/business-day.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { BANK_KEY_OVERLAP_MS, bankPrivateKey, pagePay, registerMerchant, rotateBankKey } from './service.ts';
import { signParams, signText, verifyText } from './signing.ts';
import { latestBankKey, listMerchants, merchantByAppId, orderByTradeNo } from './store.ts';

function stamp(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function keyPair() {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: pair.privateKey, publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

for (const dialect of DIALECTS) {
  describe(`merchant gateway: merchants, bank key, page pay [${dialect}]`, () => {
    let t: TestApp;
    let appId: string;
    let settlementNumber: string;
    const shop = keyPair();
    before(async () => {
      t = await createTestApp(dialect);
      const owner = await createTestCustomer(
        t.db.handle.kysely,
        { config: t.ctx.config, clock: t.clock },
        { name: '茶铺' },
      );
      settlementNumber = owner.accounts[0]?.account_number ?? '';
      appId = await registerMerchant(t.db.handle.kysely, t.ctx, {
        name: '西湖茶铺',
        settlementAccountNumber: settlementNumber,
        publicKeyPem: shop.publicPem,
      });
    });
    after(() => t.close());

    const form = (params: Record<string, string>, key: KeyObject = shop.privateKey) => {
      const signed = { ...params, sign: signParams(params, key) };
      return new URLSearchParams(signed).toString();
    };
    const pay = (payload: string, contentType = 'application/x-www-form-urlencoded') =>
      t.app.inject({ method: 'POST', url: '/gateway/v1/pay', headers: { 'content-type': contentType }, payload });
    const params = (biz: Record<string, string>, overrides: Record<string, string> = {}) => ({
      app_id: appId,
      method: 'jinku.trade.page.pay',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: stamp(t.clock.nowMs()),
      version: '1.0',
      notify_url: 'https://shop.example.com/notify',
      return_url: 'https://shop.example.com/return',
      biz_content: JSON.stringify(biz),
      ...overrides,
    });
    const orderCount = async () =>
      Number(
        (
          await t.db.handle.kysely
            .selectFrom('gateway_order')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('registers a merchant with a random app id, its key and settlement account; refuses bad input', async () => {
      const merchant = await merchantByAppId(t.db.handle.kysely, appId);
      assert.ok(merchant);
      assert.match(appId, /^\d{16}$/);
      assert.equal(merchant.name, '西湖茶铺');
      assert.equal(merchant.sign_type, 'RSA2');
      assert.equal(merchant.status, 'active');
      assert.ok((await listMerchants(t.db.handle.kysely)).some((m) => m.app_id === appId));
      const db = t.db.handle.kysely;
      const base = { name: '店', settlementAccountNumber: settlementNumber, publicKeyPem: shop.publicPem };
      await assert.rejects(registerMerchant(db, t.ctx, { ...base, publicKeyPem: 'not a key' }), {
        code: 'merchant.public_key_invalid',
      });
      await assert.rejects(registerMerchant(db, t.ctx, { ...base, settlementAccountNumber: '0000' }), {
        code: 'merchant.settlement_account_invalid',
      });
      await assert.rejects(registerMerchant(db, t.ctx, { ...base, signType: 'MD5' }), {
        code: 'merchant.sign_type_invalid',
      });
      await assert.rejects(registerMerchant(db, t.ctx, { ...base, name: ' ' }), { code: 'merchant.name_invalid' });
      for (const notifyUrlPrefix of ['/notify', 'https://u:p@shop.example/', 'https://shop.example/?a=1']) {
        await assert.rejects(registerMerchant(db, t.ctx, { ...base, notifyUrlPrefix }), {
          code: 'merchant.notify_url_prefix_invalid',
        });
      }
    });

    test("the bank's key is made once, its private half sealed; GET /gateway/v1/public-key gives the PEM", async () => {
      const first = await t.app.inject({ method: 'GET', url: '/gateway/v1/public-key' });
      assert.equal(first.statusCode, 200);
      assert.match(String(first.headers['content-type']), /^text\/plain/);
      assert.match(first.body, /^-----BEGIN PUBLIC KEY-----/);
      const second = await t.app.inject({ method: 'GET', url: '/gateway/v1/public-key' });
      assert.equal(second.body, first.body);
      assert.equal(first.headers['jinku-sign-key-version'], '1');
      const stored = await latestBankKey(t.db.handle.kysely);
      assert.equal(stored?.version, 1);
      assert.ok(stored && !stored.private_key_sealed.includes('PRIVATE KEY'), 'the private key is stored sealed');
      const privateKey = await bankPrivateKey(t.db.handle.kysely, t.ctx);
      assert.equal(verifyText('x=1', signText('x=1', privateKey), first.body), true);
    });

    test('page pay: a signed form makes an order and 303s to the checkout; the same again finds it', async () => {
      const biz = { out_trade_no: 'T-1001', total_amount: '88.00', subject: '龙井 一盒' };
      const response = await pay(form(params(biz)));
      assert.equal(response.statusCode, 303, response.body);
      const location = String(response.headers.location);
      assert.match(location, /^\/pay\/\d{24}$/);
      const order = await orderByTradeNo(t.db.handle.kysely, location.slice('/pay/'.length));
      assert.ok(order);
      assert.equal(order.total_fen, 8800);
      assert.equal(order.status, 'WAIT_BUYER_PAY');
      assert.equal(order.app_id, appId);
      assert.equal(order.expires_at_ms - order.created_at_ms, 15 * 60_000);
      // The merchant's page posted again (a reload, a later timestamp): the same order.
      t.clock.setOffset(5_000);
      try {
        const again = await pay(form(params(biz)));
        assert.equal(again.statusCode, 303);
        assert.equal(again.headers.location, location);
      } finally {
        t.clock.setOffset(0);
      }
      const before = await orderCount();
      const different = await pay(form(params({ ...biz, total_amount: '8.80' })));
      assert.equal(different.statusCode, 400);
      assert.match(String(different.headers['content-type']), /^text\/html/);
      assert.match(different.body, /gateway\.order_conflict/);
      assert.equal(await orderCount(), before);
    });

    test('page pay refuses a bad signature, a stale timestamp, an unknown app and malformed fields, making no order', async () => {
      const before = await orderCount();
      const biz = { out_trade_no: 'T-2001', total_amount: '10.00', subject: '茶杯' };
      const other = keyPair();
      const cases: Array<[string, string]> = [
        [form(params(biz), other.privateKey), 'gateway.sign_invalid'],
        [form(params(biz)).replace('10.00', '1.00'), 'gateway.sign_invalid'],
        [form(params(biz, { timestamp: stamp(t.clock.nowMs() - 11 * 60_000) })), 'gateway.timestamp_invalid'],
        [form(params(biz, { timestamp: stamp(t.clock.nowMs() + 11 * 60_000) })), 'gateway.timestamp_invalid'],
        [form(params(biz, { timestamp: '2026-02-30 10:00:00' })), 'gateway.timestamp_invalid'],
        [
          form(params(biz, { timestamp: stamp(t.clock.nowMs()).replace(/:\d\d$/, ':60') })),
          'gateway.timestamp_invalid',
        ],
        [form(params(biz, { app_id: '1234567890123456' })), 'gateway.app_unknown'],
        [form(params({ ...biz, total_amount: '10' })), 'gateway.param_invalid'],
        [form(params({ ...biz, total_amount: '0.00' })), 'gateway.param_invalid'],
        [form(params({ ...biz, out_trade_no: 'x'.repeat(65) })), 'gateway.param_invalid'],
        [form(params({ ...biz, subject: '' })), 'gateway.param_invalid'],
        [form(params({ ...biz, time_expire: stamp(t.clock.nowMs() - 60_000) })), 'gateway.param_invalid'],
        [form(params(biz, { biz_content: '{' })), 'gateway.param_invalid'],
        [form(params(biz, { method: 'jinku.trade.refund' })), 'gateway.param_invalid'],
        [form(params(biz, { return_url: 'javascript:alert(1)' })), 'gateway.param_invalid'],
        [new URLSearchParams(params(biz)).toString(), 'gateway.sign_invalid'],
        ['', 'gateway.app_unknown'],
        // A field named twice cannot be signed unambiguously: the page names the field.
        [`${form(params(biz))}&charset=utf-8`, 'gateway.param_invalid'],
      ];
      for (const [payload, code] of cases) {
        const response = await pay(payload);
        assert.equal(response.statusCode, 400, `${code}: ${payload.slice(0, 80)}`);
        assert.match(String(response.headers['content-type']), /^text\/html/);
        assert.ok(response.body.includes(code), `${code}: ${response.body.slice(-200)}`);
      }
      const refusals = await recentEventsAbout(t.db.handle.kysely, appId, 50);
      assert.ok(
        refusals.filter((e) => e.kind === 'gateway.signature_refused').length >= 3,
        'forged requests are audited',
      );
      const json = await pay(JSON.stringify(params(biz)), 'application/json');
      assert.equal(json.statusCode, 415);
      assert.equal(await orderCount(), before);
    });

    test('page pay admits a notify_url only under the registered prefix, compared as a parsed URL', async () => {
      const prefixed = await registerMerchant(t.db.handle.kysely, t.ctx, {
        name: '西湖茶铺二店',
        settlementAccountNumber: settlementNumber,
        publicKeyPem: shop.publicPem,
        notifyUrlPrefix: 'https://shop.example.com/pay',
      });
      const before = await orderCount();
      const biz = { out_trade_no: 'T-4001', total_amount: '2.00', subject: '茶叶' };
      for (const notifyUrl of [
        'https://shop.example.com.evil.net/pay',
        'https://shop.example.com/payx',
        'https://shop.example.com/pay/../admin',
        'http://shop.example.com/pay',
      ]) {
        const response = await pay(form(params(biz, { app_id: prefixed, notify_url: notifyUrl })));
        assert.equal(response.statusCode, 400, notifyUrl);
        assert.ok(response.body.includes('gateway.param_invalid'), notifyUrl);
      }
      assert.equal(await orderCount(), before);
      const good = await pay(form(params(biz, { app_id: prefixed, notify_url: 'https://shop.example.com/pay/n?x=1' })));
      assert.equal(good.statusCode, 303, good.body);
    });

    test('in production a return_url must be https', async () => {
      const production = { config: { ...t.ctx.config, env: 'production' as const }, clock: t.clock };
      const biz = { out_trade_no: `PROD-${Date.now()}`, total_amount: '1.00', subject: '龙井' };
      // No notify_url: in production its host would be resolved, and this test is about the return.
      const { notify_url: _none, ...withoutNotify } = params(biz, { return_url: 'http://shop.example.com/return' });
      const signed = { ...withoutNotify, sign: signParams(withoutNotify, shop.privateKey) };
      await assert.rejects(pagePay(t.db.handle.kysely, production, signed), (error: AppError) => {
        assert.equal(error.code, 'gateway.param_invalid');
        assert.deepEqual(error.params, { field: 'return_url' });
        return true;
      });
      const https = { ...withoutNotify, return_url: 'https://shop.example.com/return' };
      const made = await pagePay(t.db.handle.kysely, production, {
        ...https,
        sign: signParams(https, shop.privateKey),
      });
      assert.equal(made.created, true);
    });

    test('a time_expire within a day is kept', async () => {
      const expires = stamp(t.clock.nowMs() + 60 * 60_000);
      const response = await pay(
        form(params({ out_trade_no: 'T-3001', total_amount: '1.50', subject: '茶匙', time_expire: expires })),
      );
      assert.equal(response.statusCode, 303, response.body);
      const order = await orderByTradeNo(t.db.handle.kysely, String(response.headers.location).slice(5));
      assert.equal(stamp(order?.expires_at_ms ?? 0), expires);
    });

    test('a rotated bank key signs from then on; the previous one is served by version for the overlap', async () => {
      const key = (query = '') => t.app.inject({ method: 'GET', url: `/gateway/v1/public-key${query}` });
      const before = await key();
      const oldVersion = Number(before.headers['jinku-sign-key-version']);
      const version = await rotateBankKey(t.db.handle.kysely, t.ctx);
      assert.equal(version, oldVersion + 1);
      const current = await key();
      assert.equal(current.headers['jinku-sign-key-version'], String(version));
      assert.notEqual(current.body, before.body);
      const previous = await key(`?version=${oldVersion}`);
      assert.equal(previous.statusCode, 200);
      assert.equal(previous.body, before.body);
      assert.equal(previous.headers['jinku-sign-key-version'], String(oldVersion));
      // Signed answers name the key that signed them, and verify with it.
      const answer = await t.app.inject({
        method: 'POST',
        url: '/gateway/v1/api',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'method=jinku.trade.query',
      });
      const body = JSON.parse(answer.body);
      assert.equal(body.sign_key_version, String(version));
      const text = /^\{"[a-z_]+":(\{.*?\}),"sign"/.exec(answer.body)?.[1] ?? '';
      assert.ok(verifyText(text, body.sign, current.body));
      assert.ok(!verifyText(text, body.sign, before.body));
      // After the overlap the replaced key is gone; an unknown version never was.
      t.clock.advance(BANK_KEY_OVERLAP_MS + 1_000);
      const gone = await key(`?version=${oldVersion}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(JSON.parse(gone.body).code, 'gateway.key_version_unknown');
      assert.equal((await key('?version=99')).statusCode, 404);
      assert.equal((await key('?version=x')).statusCode, 400);
      assert.equal((await key(`?version=${version}`)).statusCode, 200);
    });
  });
}
