import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type AccountId, setAccountStatus } from '../customers/index.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { DIALECTS } from '../testing/database.ts';
import { chinaDate } from '../platform/business-day.ts';
import { bankPublicKeyPem, gatewayStamp } from './service.ts';
import { STATEMENT_HEADER } from './statement.ts';
import { signParams, verifyText } from './signing.ts';
import { notifiesOf, orderByTradeNo } from './store.ts';
import { createTestShop, payOrder, placeOrder, type TestShop, testPayer } from './test-shop.ts';

for (const dialect of DIALECTS) {
  describe(`gateway API: query, close, refund [${dialect}]`, () => {
    let t: TestApp;
    let shop: TestShop;
    before(async () => {
      t = await createTestApp(dialect);
      shop = await createTestShop(t);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    const available = async (accountId: string) =>
      (await balancesOf(t.db.handle.kysely, [accountId])).get(accountId)?.availableFen ?? -1;

    /** The merchant's server calls the API; answers the response object after checking the bank's signature. */
    async function call(method: string, biz: Record<string, string>, signer = shop) {
      const params: Record<string, string> = {
        app_id: signer.appId,
        method,
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: gatewayStamp(t.clock.nowMs()),
        version: '1.0',
        biz_content: JSON.stringify(biz),
      };
      const response = await t.app.inject({
        method: 'POST',
        url: '/gateway/v1/api',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...params, sign: signParams(params, signer.privateKey) }).toString(),
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const key = `${method.replaceAll('.', '_')}_response`;
      // The signature covers the response object's JSON text exactly as sent.
      const match = new RegExp(`^\\{"${key}":(\\{.*\\}),"sign":"([A-Za-z0-9+/=]+)","sign_key_version":"\\d+"\\}$`).exec(
        response.body,
      );
      assert.ok(match, response.body);
      assert.ok(verifyText(match[1]!, match[2]!, await bankPublicKeyPem(t.db.handle.kysely, deps())), 'signed');
      return JSON.parse(match[1]!) as Record<string, string>;
    }

    test('query shows WAIT_BUYER_PAY, then TRADE_SUCCESS after paying; unknown trades and forged calls are refused', async () => {
      const { tradeNo, outTradeNo } = await placeOrder(t, shop, '30.00');
      const waiting = await call('jinku.trade.query', { out_trade_no: outTradeNo });
      assert.equal(waiting.code, '10000');
      assert.equal(waiting.trade_status, 'WAIT_BUYER_PAY');
      assert.equal(waiting.trade_no, tradeNo);
      await payOrder(t, await testPayer(t), tradeNo);
      const paid = await call('jinku.trade.query', { trade_no: tradeNo });
      assert.equal(paid.trade_status, 'TRADE_SUCCESS');
      assert.equal(paid.total_amount, '30.00');
      assert.match(paid.send_pay_date ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal((await call('jinku.trade.query', { out_trade_no: 'nope' })).sub_code, 'ACQ.TRADE_NOT_EXIST');
      const other = await createTestShop(t);
      const foreign = await call('jinku.trade.query', { out_trade_no: outTradeNo }, other);
      assert.equal(foreign.sub_code, 'ACQ.TRADE_NOT_EXIST', "another merchant's order is not found");
      const forged = await call(
        'jinku.trade.query',
        { out_trade_no: outTradeNo },
        { ...shop, privateKey: other.privateKey },
      );
      assert.equal(forged.code, '40002');
      assert.equal(forged.sub_code, 'isv.invalid-signature');
    });

    test('close: an unpaid order closes and cannot be paid; a paid one cannot be closed', async () => {
      const { tradeNo, outTradeNo } = await placeOrder(t, shop, '8.00');
      const closed = await call('jinku.trade.close', { out_trade_no: outTradeNo });
      assert.equal(closed.code, '10000');
      assert.equal(closed.trade_status, 'TRADE_CLOSED');
      assert.equal((await call('jinku.trade.close', { out_trade_no: outTradeNo })).code, '10000', 'again: no change');
      // The close is a status change: the merchant is notified of it, once.
      const notes = (await notifiesOf(t.db.handle.kysely, tradeNo)).map((n) => JSON.parse(n.params));
      assert.deepEqual(
        notes.map((n) => [n.trade_status, n.out_trade_no, n.total_amount]),
        [['TRADE_CLOSED', outTradeNo, '8.00']],
      );
      const payer = await testPayer(t);
      const refused = await payer.client.post(
        `/api/v1/checkout/${tradeNo}/pay`,
        { fromAccountId: payer.customer.accounts[0]!.id },
        { 'idempotency-key': 'closed' },
      );
      assert.equal(JSON.parse(refused.body).code, 'checkout.order_closed');
      const paid = await placeOrder(t, shop, '8.00');
      await payOrder(t, payer, paid.tradeNo);
      assert.equal((await call('jinku.trade.close', { trade_no: paid.tradeNo })).sub_code, 'ACQ.TRADE_STATUS_ERROR');
    });

    test('two partial refunds go back to the payer; a third above what was paid is refused; each notifies', async () => {
      const { tradeNo, outTradeNo } = await placeOrder(t, shop, '100.00');
      const payer = await testPayer(t, 1_000_000);
      await payOrder(t, payer, tradeNo);
      const account = payer.customer.accounts[0]!.id;
      assert.equal(await available(account), 1_000_000 - 10_000);
      const first = await call('jinku.trade.refund', {
        out_trade_no: outTradeNo,
        refund_amount: '30.00',
        out_request_no: 'R1',
      });
      assert.equal(first.code, '10000', JSON.stringify(first));
      assert.equal(first.refund_fee, '30.00');
      assert.equal(first.fund_change, 'Y');
      const second = await call('jinku.trade.refund', {
        trade_no: tradeNo,
        refund_amount: '50.00',
        out_request_no: 'R2',
      });
      assert.equal(second.refund_fee, '80.00');
      assert.equal(second.trade_status, 'TRADE_SUCCESS');
      const third = await call('jinku.trade.refund', {
        trade_no: tradeNo,
        refund_amount: '20.01',
        out_request_no: 'R3',
      });
      assert.equal(third.code, '40004');
      assert.equal(third.sub_code, 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
      assert.equal(await available(account), 1_000_000 - 10_000 + 8_000);
      const query = await call('jinku.trade.refund.query', { trade_no: tradeNo, out_request_no: 'R2' });
      assert.equal(query.refund_amount, '50.00');
      assert.equal(query.refund_status, 'REFUND_SUCCESS');
      const none = await call('jinku.trade.refund.query', { trade_no: tradeNo, out_request_no: 'R3' });
      assert.equal(none.code, '10000');
      assert.equal(none.refund_amount, undefined, 'the refused refund does not exist');
      const notes = (await notifiesOf(t.db.handle.kysely, tradeNo)).map((n) => JSON.parse(n.params));
      assert.deepEqual(
        notes.map((n) => [n.trade_status, n.refund_amount]),
        [
          ['TRADE_SUCCESS', undefined],
          ['TRADE_SUCCESS', '30.00'],
          ['TRADE_SUCCESS', '80.00'],
        ],
      );
      // The rest refunds in full: the trade closes, and nothing more can be refunded.
      const rest = await call('jinku.trade.refund', {
        trade_no: tradeNo,
        refund_amount: '20.00',
        out_request_no: 'R4',
      });
      assert.equal(rest.trade_status, 'TRADE_CLOSED');
      assert.equal(rest.refund_fee, '100.00');
      assert.equal((await call('jinku.trade.query', { trade_no: tradeNo })).refund_amount, '100.00');
      assert.equal(await available(account), 1_000_000);
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test("a refund into the payer's frozen or closed account is refused and moves nothing", async () => {
      const { tradeNo } = await placeOrder(t, shop, '20.00');
      const payer = await testPayer(t, 100_000);
      await payOrder(t, payer, tradeNo);
      const account = payer.customer.accounts[0]!.id as AccountId;
      const setStatus = (status: 'active' | 'frozen' | 'closed') =>
        withTransaction(t.db.handle.kysely, (trx) => setAccountStatus(trx, deps(), account, status));
      for (const status of ['frozen', 'closed'] as const) {
        await setStatus(status);
        const refused = await call('jinku.trade.refund', {
          trade_no: tradeNo,
          refund_amount: '5.00',
          out_request_no: `RF-${status}`,
        });
        assert.equal(refused.code, '40004', JSON.stringify(refused));
        assert.equal(refused.sub_code, 'ACQ.BUYER_ACCOUNT_UNAVAILABLE');
        assert.equal(await available(account), 100_000 - 2_000, 'nothing moved');
      }
      await setStatus('active');
      const refund = await call('jinku.trade.refund', {
        trade_no: tradeNo,
        refund_amount: '5.00',
        out_request_no: 'RF-ok',
      });
      assert.equal(refund.code, '10000', JSON.stringify(refund));
      const settlement = shop.settlementAccountId as AccountId;
      await withTransaction(t.db.handle.kysely, (trx) => setAccountStatus(trx, deps(), settlement, 'frozen'));
      try {
        const frozen = await call('jinku.trade.refund', {
          trade_no: tradeNo,
          refund_amount: '5.00',
          out_request_no: 'RF-seller',
        });
        assert.equal(frozen.sub_code, 'ACQ.SELLER_ACCOUNT_UNAVAILABLE');
      } finally {
        await withTransaction(t.db.handle.kysely, (trx) => setAccountStatus(trx, deps(), settlement, 'active'));
      }
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('the same out_request_no twice refunds once; with another amount it is refused', async () => {
      const { tradeNo } = await placeOrder(t, shop, '40.00');
      const payer = await testPayer(t, 100_000);
      await payOrder(t, payer, tradeNo);
      const body = { trade_no: tradeNo, refund_amount: '10.00', out_request_no: 'SAME' };
      const first = await call('jinku.trade.refund', body);
      const again = await call('jinku.trade.refund', body);
      assert.equal(first.fund_change, 'Y');
      assert.equal(again.code, '10000');
      assert.equal(again.fund_change, 'N', 'no money moved the second time');
      assert.equal(again.refund_fee, '10.00');
      const conflict = await call('jinku.trade.refund', { ...body, refund_amount: '11.00' });
      assert.equal(conflict.sub_code, 'ACQ.REFUND_REQUEST_CONFLICT');
      assert.equal(await available(payer.customer.accounts[0]!.id), 100_000 - 4_000 + 1_000);
      const entries = await t.db.handle.kysely
        .selectFrom('journal_entry')
        .select(['journal_entry.id', 'journal_entry.reverses_part_of_entry_id'])
        .where('journal_entry.kind', '=', 'merchant_refund')
        .innerJoin('gateway_refund', 'gateway_refund.id', 'journal_entry.reference')
        .where('gateway_refund.trade_no', '=', tradeNo)
        .execute();
      assert.equal(entries.length, 1);
      const paidEntry = (await orderByTradeNo(t.db.handle.kysely, tradeNo))?.entry_id;
      assert.ok(paidEntry);
      assert.equal(entries[0]?.reverses_part_of_entry_id, paidEntry, "the refund reverses part of the payment's entry");
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('the daily statement lists payments and refunds; the API and the CLI give the same file', async () => {
      const statementShop = await createTestShop(t);
      const { tradeNo, outTradeNo } = await placeOrder(t, statementShop, '12.34');
      await payOrder(t, await testPayer(t), tradeNo);
      const refund = { trade_no: tradeNo, refund_amount: '2.00', out_request_no: '=R1' };
      assert.equal((await call('jinku.trade.refund', refund, statementShop)).code, '10000');
      const today = chinaDate(t.clock.nowMs());
      const answer = await call('jinku.data.statement.query', { bill_date: today }, statementShop);
      assert.equal(answer.code, '10000');
      const lines = (answer.statement_csv ?? '').trimEnd().split('\r\n');
      assert.equal(lines[0], STATEMENT_HEADER);
      assert.equal(lines.length, 4, answer.statement_csv);
      assert.match(
        lines[1]!,
        new RegExp(`^payment,\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},${tradeNo},${outTradeNo},,龙井茶 250g,12\\.34$`),
      );
      assert.match(
        lines[2]!,
        new RegExp(`^refund,.*,${tradeNo},${outTradeNo},'=R1,龙井茶 250g,-2\\.00$`),
        'no formula',
      );
      assert.equal(lines[3], `total,${today},1 payments 12.34,1 refunds 2.00,,,10.34`);
      const otherDay = await call('jinku.data.statement.query', { bill_date: '2020-01-01' }, statementShop);
      assert.equal(otherDay.statement_csv?.trimEnd().split('\r\n').length, 2, 'header and total only');
      assert.equal(
        (await call('jinku.data.statement.query', { bill_date: '2026-02-30' }, statementShop)).code,
        '40002',
      );
      const cli = spawnSync(
        process.execPath,
        [
          '--disable-warning=ExperimentalWarning',
          join(import.meta.dirname, '../cli/merchant.ts'),
          'statement',
          '--app-id',
          statementShop.appId,
          '--date',
          today,
        ],
        {
          env: { ...process.env, DATABASE_URL: t.db.url, JINKU_ENV: 'test', JINKU_SECRET: '22'.repeat(32) },
          encoding: 'utf8',
        },
      );
      assert.equal(cli.status, 0, cli.stderr);
      assert.equal(cli.stdout, answer.statement_csv);
    });

    test('an unpaid order cannot be refunded; a malformed request is answered 40002, never a 500', async () => {
      const { tradeNo } = await placeOrder(t, shop, '5.00');
      const unpaid = await call('jinku.trade.refund', {
        trade_no: tradeNo,
        refund_amount: '1.00',
        out_request_no: 'U',
      });
      assert.equal(unpaid.sub_code, 'ACQ.TRADE_STATUS_ERROR');
      const malformed: Array<Record<string, string>> = [
        { trade_no: tradeNo, refund_amount: '-1.00', out_request_no: 'X' },
        { trade_no: tradeNo, refund_amount: '1.5', out_request_no: 'X' },
        { trade_no: tradeNo, refund_amount: '1.00' },
        {},
      ];
      for (const biz of malformed) {
        assert.equal((await call('jinku.trade.refund', biz)).code, '40002', JSON.stringify(biz));
      }
      const garbage = await t.app.inject({
        method: 'POST',
        url: '/gateway/v1/api',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'method=jinku.trade.query&app_id=1',
      });
      assert.equal(garbage.statusCode, 200);
      assert.equal(JSON.parse(garbage.body).jinku_trade_query_response.code, '40002');
    });
  });
}
