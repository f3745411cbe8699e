import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type AccountId, setAccountStatus } from '../customers/index.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { gatewayStamp } from './checkout.ts';
import { bankPublicKeyPem, registerMerchant } from './service.ts';
import { signParams, verifyParams } from './signing.ts';
import { orderByTradeNo, setEcommerce } from './store.ts';

function keyPair() {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: pair.privateKey, publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

for (const dialect of DIALECTS) {
  describe(`checkout: paying a merchant's order [${dialect}]`, () => {
    let t: TestApp;
    let appId: string;
    let settlementAccountId: string;
    const shop = keyPair();
    let orderCounter = 0;
    before(async () => {
      t = await createTestApp(dialect);
      const owner = await createTestCustomer(t.db.handle.kysely, deps(), { name: '茶铺', balancesFen: [0] });
      settlementAccountId = owner.accounts[0]?.id ?? '';
      appId = await registerMerchant(t.db.handle.kysely, t.ctx, {
        name: '西湖茶铺',
        settlementAccountNumber: owner.accounts[0]?.account_number ?? '',
        publicKeyPem: shop.publicPem,
      });
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });

    /** The shop's page posts a signed order; answers the bank's trade number. */
    async function order(totalAmount: string, extra: Record<string, string> = {}): Promise<string> {
      const params: Record<string, string> = {
        app_id: appId,
        method: 'jinku.trade.page.pay',
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: gatewayStamp(t.clock.nowMs()),
        version: '1.0',
        notify_url: 'https://shop.example.com/notify',
        return_url: 'https://shop.example.com/return?from=jinku',
        biz_content: JSON.stringify({
          out_trade_no: `T${Date.now()}-${++orderCounter}`,
          total_amount: totalAmount,
          subject: '龙井茶 250g',
          ...extra,
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
      return tradeNo;
    }

    const available = async (accountId: string) =>
      (await balancesOf(t.db.handle.kysely, [accountId])).get(accountId)?.availableFen ?? -1;

    async function payer(balanceFen = 5_000_000): Promise<{ customer: TestCustomer; client: TestClient }> {
      const customer = await createTestCustomer(t.db.handle.kysely, deps(), {
        name: '张伟',
        balancesFen: [balanceFen],
      });
      return { customer, client: await signedInClient(t, customer) };
    }

    async function payWithSms(client: TestClient, customer: TestCustomer, tradeNo: string, key: string) {
      const started = await client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': key },
      );
      assert.equal(started.statusCode, 200, started.body);
      assert.equal(json(started).status, 'authorization_required');
      return client.post(`/api/v1/checkout/${tradeNo}/authorize`, {
        method: 'sms',
        response: await latestCode(t.db.handle.kysely, customer.mobile),
      });
    }

    test('pays an order with the SMS code bound to it: one entry to the merchant, signed return, TRADE_SUCCESS', async () => {
      const tradeNo = await order('128.50');
      const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/checkout/${tradeNo}` });
      assert.equal(anonymous.statusCode, 200, 'the page shows the order before sign-in');
      const view = json(anonymous);
      assert.equal(view.merchant.name, '西湖茶铺');
      assert.equal(view.subject, '龙井茶 250g');
      assert.deepEqual(view.amount, { amount: '128.50', currency: 'CNY' });
      assert.equal(view.status, 'WAIT_BUYER_PAY');
      const unauthenticated = await t.app.inject({
        method: 'POST',
        url: `/api/v1/checkout/${tradeNo}/pay`,
        payload: { fromAccountId: 'x' },
      });
      assert.ok(unauthenticated.statusCode === 401 || unauthenticated.statusCode === 403);

      const { customer, client } = await payer();
      const merchantBefore = await available(settlementAccountId);
      const started = await client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': 'co-1' },
      );
      assert.equal(started.statusCode, 200, started.body);
      assert.equal(json(started).authorization.method, 'sms');
      const sms = await t.db.handle.kysely
        .selectFrom('outbox')
        .select('text')
        .where('recipient', '=', customer.mobile)
        .orderBy('created_at_ms', 'desc')
        .executeTakeFirstOrThrow();
      assert.ok(sms.text.includes('西湖茶铺') && sms.text.includes('128.50'), 'the code names merchant and amount');

      const wrong = await client.post(`/api/v1/checkout/${tradeNo}/authorize`, { method: 'sms', response: '000000' });
      assert.equal(wrong.statusCode, 422);
      assert.equal(json(wrong).code, 'media.wrong_answer');
      const done = await client.post(`/api/v1/checkout/${tradeNo}/authorize`, {
        method: 'sms',
        response: await latestCode(t.db.handle.kysely, customer.mobile),
      });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(json(done).status, 'completed');
      const back = new URL(json(done).returnUrl);
      assert.equal(back.origin + back.pathname, 'https://shop.example.com/return');
      assert.equal(back.searchParams.get('from'), 'jinku', "the shop's own parameters stay");
      assert.equal(back.searchParams.get('trade_status'), 'TRADE_SUCCESS');
      assert.equal(back.searchParams.get('total_amount'), '128.50');
      assert.equal(back.searchParams.get('trade_no'), tradeNo);
      const returned = Object.fromEntries([...back.searchParams].filter(([name]) => name !== 'from'));
      const bankKey = await bankPublicKeyPem(t.db.handle.kysely, deps());
      assert.ok(verifyParams(returned, bankKey), "the return is signed with the bank's key");
      assert.ok(!verifyParams({ ...returned, total_amount: '1.00' }, bankKey));

      assert.equal(await available(customer.accounts[0]!.id), 5_000_000 - 12_850);
      assert.equal(await available(settlementAccountId), merchantBefore + 12_850);
      const entries = await t.db.handle.kysely
        .selectFrom('journal_entry')
        .select('id')
        .where('reference', '=', tradeNo)
        .execute();
      assert.equal(entries.length, 1, 'one journal entry');
      const stored = await orderByTradeNo(t.db.handle.kysely, tradeNo);
      assert.equal(stored?.status, 'TRADE_SUCCESS');
      assert.equal(stored?.entry_id, entries[0]?.id);
      assert.equal(json(await client.get(`/api/v1/checkout/${tradeNo}`)).status, 'TRADE_SUCCESS');
      const history = json(await client.get(`/api/v1/accounts/${customer.accounts[0]!.id}/transactions`));
      assert.equal(history.items[0].counterparty, '西湖茶铺');

      const again = await client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': 'co-2' },
      );
      assert.equal(json(again).code, 'checkout.already_paid');
      const kinds = (
        await t.db.handle.kysely.selectFrom('audit_log').select('kind').where('subject_id', '=', tradeNo).execute()
      ).map((row) => row.kind);
      for (const kind of ['checkout.started', 'checkout.authorization_failed', 'checkout.paid']) {
        assert.ok(kinds.includes(kind), kind);
      }
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('the same Idempotency-Key pays once; a code is accepted once', async () => {
      const tradeNo = await order('20.00');
      const { customer, client } = await payer(100_000);
      const body = { fromAccountId: customer.accounts[0]!.id };
      const first = await client.post(`/api/v1/checkout/${tradeNo}/pay`, body, { 'idempotency-key': 'same' });
      const replay = await client.post(`/api/v1/checkout/${tradeNo}/pay`, body, { 'idempotency-key': 'same' });
      assert.equal(replay.headers['idempotency-replayed'], 'true');
      assert.deepEqual(json(replay), json(first));
      const conflict = await client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: customer.accounts[0]!.id, method: 'sms' },
        { 'idempotency-key': 'same' },
      );
      assert.equal(json(conflict).code, 'request.idempotency_conflict');
      const code = await latestCode(t.db.handle.kysely, customer.mobile);
      const done = await client.post(`/api/v1/checkout/${tradeNo}/authorize`, { method: 'sms', response: code });
      assert.equal(json(done).status, 'completed');
      const twice = await client.post(`/api/v1/checkout/${tradeNo}/authorize`, { method: 'sms', response: code });
      assert.equal(twice.statusCode, 409);
      assert.equal(json(twice).code, 'checkout.already_paid');
      const afterReplay = await client.post(`/api/v1/checkout/${tradeNo}/pay`, body, { 'idempotency-key': 'same' });
      assert.equal(afterReplay.headers['idempotency-replayed'], 'true', 'the key answers its first result again');
      assert.equal(await available(customer.accounts[0]!.id), 100_000 - 2_000, 'paid once');
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('two authorizations sent at once pay once', async () => {
      const tradeNo = await order('15.00');
      const { customer, client } = await payer(100_000);
      const started = await client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': 'race' },
      );
      assert.equal(json(started).status, 'authorization_required');
      const response = await latestCode(t.db.handle.kysely, customer.mobile);
      const answers = await Promise.all([
        client.post(`/api/v1/checkout/${tradeNo}/authorize`, { method: 'sms', response }),
        client.post(`/api/v1/checkout/${tradeNo}/authorize`, { method: 'sms', response }),
      ]);
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 409], answers.map((a) => a.body).join('\n'));
      assert.equal(await available(customer.accounts[0]!.id), 100_000 - 1_500, 'paid once');
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('an expired order is closed and cannot be paid', async () => {
      const tradeNo = await order('10.00', { time_expire: gatewayStamp(t.clock.nowMs() + 3 * 60_000) });
      const { customer, client } = await payer(100_000);
      const started = await client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': 'late-1' },
      );
      assert.equal(json(started).status, 'authorization_required');
      const code = await latestCode(t.db.handle.kysely, customer.mobile);
      t.clock.advance(3 * 60_000 + 1_000);
      assert.equal(json(await client.get(`/api/v1/checkout/${tradeNo}`)).status, 'TRADE_CLOSED');
      const late = await client.post(`/api/v1/checkout/${tradeNo}/authorize`, { method: 'sms', response: code });
      assert.equal(late.statusCode, 409);
      assert.equal(json(late).code, 'checkout.order_closed');
      const again = await client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': 'late-2' },
      );
      assert.equal(json(again).code, 'checkout.order_closed');
      assert.equal(await available(customer.accounts[0]!.id), 100_000, 'nothing moved');
      assert.equal((await orderByTradeNo(t.db.handle.kysely, tradeNo))?.status, 'TRADE_CLOSED');
    });

    test('a payment over the daily limit is refused, counting earlier checkout payments', async () => {
      const { customer, client } = await payer(1_000_000);
      const limits = await client.put('/api/v1/limits', {
        perPayment: null,
        daily: { amount: '100.00', currency: 'CNY' },
      });
      assert.equal(limits.statusCode, 200, limits.body);
      const first = await payWithSms(client, customer, await order('80.00'), 'd-1');
      assert.equal(json(first).status, 'completed', first.body);
      t.clock.advance(61_000);
      const second = await client.post(
        `/api/v1/checkout/${await order('30.00')}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': 'd-2' },
      );
      assert.equal(second.statusCode, 422, second.body);
      assert.equal(json(second).code, 'payment.limit_exceeded');
      const usage = json(await client.get('/api/v1/limits'));
      assert.ok(JSON.stringify(usage).includes('80.00'), "the checkout counts in today's use");
      assert.equal(await available(customer.accounts[0]!.id), 1_000_000 - 8_000);
    });

    test('a customer without the e-commerce function is told how to enable it', async () => {
      const { customer, client } = await payer(100_000);
      await setEcommerce(t.db.handle.kysely, customer.id, false, t.clock.nowMs());
      const refused = await client.post(
        `/api/v1/checkout/${await order('5.00')}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': 'e-1' },
      );
      assert.equal(refused.statusCode, 403);
      assert.equal(json(refused).code, 'checkout.ecommerce_disabled');
      assert.match(json(refused).detail, /柜台开通/);
    });

    const setSettlementStatus = (status: 'active' | 'frozen' | 'closed') =>
      withTransaction(t.db.handle.kysely, (trx) =>
        setAccountStatus(trx, deps(), settlementAccountId as AccountId, status),
      );

    test('a merchant whose settlement account is frozen or closed cannot be paid, at pay or at authorize', async () => {
      const { customer, client } = await payer(100_000);
      try {
        await setSettlementStatus('frozen');
        const refused = await client.post(
          `/api/v1/checkout/${await order('5.00')}/pay`,
          { fromAccountId: customer.accounts[0]!.id },
          { 'idempotency-key': 'f-1' },
        );
        assert.equal(refused.statusCode, 409, refused.body);
        assert.equal(json(refused).code, 'checkout.merchant_unavailable');
        assert.match(json(refused).detail, /收款账户暂不可用/);

        await setSettlementStatus('active');
        const tradeNo = await order('6.00');
        const started = await client.post(
          `/api/v1/checkout/${tradeNo}/pay`,
          { fromAccountId: customer.accounts[0]!.id },
          { 'idempotency-key': 'f-2' },
        );
        assert.equal(started.statusCode, 200, started.body);
        await setSettlementStatus('closed');
        const settlementBefore = await available(settlementAccountId);
        const late = await client.post(`/api/v1/checkout/${tradeNo}/authorize`, {
          method: 'sms',
          response: await latestCode(t.db.handle.kysely, customer.mobile),
        });
        assert.equal(late.statusCode, 409, late.body);
        assert.equal(json(late).code, 'checkout.merchant_unavailable');
        assert.equal(await available(customer.accounts[0]!.id), 100_000, 'nothing moved');
        assert.equal(await available(settlementAccountId), settlementBefore);
        assert.equal((await orderByTradeNo(t.db.handle.kysely, tradeNo))?.status, 'WAIT_BUYER_PAY');
      } finally {
        await setSettlementStatus('active');
      }
    });

    test("a second customer cannot take over another's pending authorization; the first still pays", async () => {
      const tradeNo = await order('7.00');
      const first = await payer(100_000);
      const second = await payer(100_000);
      const started = await first.client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: first.customer.accounts[0]!.id },
        { 'idempotency-key': 'o-1' },
      );
      assert.equal(started.statusCode, 200, started.body);
      const code = await latestCode(t.db.handle.kysely, first.customer.mobile);
      const intruder = await second.client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: second.customer.accounts[0]!.id },
        { 'idempotency-key': 'o-2' },
      );
      assert.equal(intruder.statusCode, 409, intruder.body);
      assert.equal(json(intruder).code, 'checkout.in_progress_elsewhere');
      const row = await orderByTradeNo(t.db.handle.kysely, tradeNo);
      assert.equal(row?.customer_id, first.customer.id, "the pending authorization is still the first customer's");
      const done = await first.client.post(`/api/v1/checkout/${tradeNo}/authorize`, { method: 'sms', response: code });
      assert.equal(json(done).status, 'completed', done.body);
      assert.equal(await available(second.customer.accounts[0]!.id), 100_000);
    });

    test('the daily limit is checked again at authorize: a payment made in between pushes it over', async () => {
      const { customer, client } = await payer(1_000_000);
      const limits = await client.put('/api/v1/limits', {
        perPayment: null,
        daily: { amount: '100.00', currency: 'CNY' },
      });
      assert.equal(limits.statusCode, 200, limits.body);
      const big = await order('80.00');
      const started = await client.post(
        `/api/v1/checkout/${big}/pay`,
        { fromAccountId: customer.accounts[0]!.id },
        { 'idempotency-key': 'l-1' },
      );
      assert.equal(started.statusCode, 200, started.body);
      const bigCode = await latestCode(t.db.handle.kysely, customer.mobile);
      t.clock.advance(61_000);
      // Another payment, paid while the first waits for its code.
      const small = await payWithSms(client, customer, await order('30.00'), 'l-2');
      assert.equal(json(small).status, 'completed', small.body);
      const late = await client.post(`/api/v1/checkout/${big}/authorize`, { method: 'sms', response: bigCode });
      assert.equal(late.statusCode, 422, late.body);
      assert.equal(json(late).code, 'payment.limit_exceeded');
      assert.equal(await available(customer.accounts[0]!.id), 1_000_000 - 3_000, 'only the small one moved');
      assert.equal((await orderByTradeNo(t.db.handle.kysely, big))?.status, 'WAIT_BUYER_PAY');
    });

    test("another customer's account cannot pay, and an unknown order is not found", async () => {
      const tradeNo = await order('5.00');
      const { client } = await payer(100_000);
      const other = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const refused = await client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: other.accounts[0]!.id },
        { 'idempotency-key': 'x-1' },
      );
      assert.equal(json(refused).code, 'payment.account_not_found');
      assert.equal((await client.get('/api/v1/checkout/2026120500000000000000')).statusCode, 404);
    });
  });
}
