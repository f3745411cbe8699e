import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestStaff, staffClient } from '../counter/test-support.ts';
import { checkLedgerInvariants, type EntryInput, postEntries } from '../ledger/index.ts';
import { createTestShop, payOrder, placeOrder, refundOrder, testPayer } from '../merchants/test-shop.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { money } from '../platform/money.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { balanceNotices, noticeParty, tellBalanceChanges } from './balance-notices.ts';
import { settleDueTransfers } from './clearing.ts';

type Notice = {
  kind: string;
  atMs: number;
  accountLast4: string;
  amountFen: number;
  balanceFen: number;
  entryKind: string;
  counterparty?: string;
  branch?: string;
};
type Message = { kind: string; category: string; title: string; body: string };

test('balanceNotices: one message per customer account an entry moves, none for the bank’s, none for a refusal', () => {
  const owners = new Map([
    ['a1', { customerId: 'c1', number: '6222020000000001234' }],
    ['a2', { customerId: 'c2', number: '6222020000000005678' }],
  ]);
  const entry = {
    kind: 'transfer',
    reference: 'r',
    memo: 'm',
    postedAtMs: 1_000,
    postings: [
      { accountId: 'a1', amountFen: -300, counterparty: '李* 6222 **** **** 5678' },
      { accountId: 'a1', amountFen: 100 },
      { accountId: 'a2', amountFen: 150, counterparty: '张* 6222 **** **** 1234' },
      { accountId: 'vault', amountFen: 50 },
    ],
  };
  const balances = { a1: { postedFen: 800, availableFen: 700 }, a2: { postedFen: 150, availableFen: 150 } };
  const messages = balanceNotices([entry, entry], [{ entryId: 'e', balances }, { ok: false } as never], owners);
  assert.deepEqual(
    messages.map((m) => [m.customerId, m.kind, m.params.amountFen, m.params.balanceFen, m.params.counterparty]),
    [
      ['c1', 'balance.debit', 200, 700, '李*'],
      ['c2', 'balance.credit', 150, 150, '张*'],
    ],
  );
  assert.equal(messages[0]!.params.accountLast4, '1234');
  assert.equal(noticeParty('网点 0001 现金'), '网点 0001 现金');
  assert.equal(noticeParty(' 6222 **** **** 5678'), null);
});

for (const dialect of DIALECTS) {
  describe(`动账通知 for every movement of money [${dialect}]`, () => {
    let t: TestApp;
    let teller: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      teller = await staffClient(t, await createTestStaff(t, 'teller'));
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    const customer = (name: string, balancesFen: number[]) => createTestCustomer(db(), deps(), { name, balancesFen });

    /** The customer's 动账通知 rows as stored, oldest first: the facts a message is rendered from. */
    async function notices(customerId: string): Promise<Notice[]> {
      const rows = await db()
        .selectFrom('inbox_message')
        .select(['kind', 'params'])
        .where('customer_id', '=', customerId)
        .where('kind', 'like', 'balance.%')
        .orderBy('created_at_ms')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ kind: row.kind, ...JSON.parse(row.params) }));
    }
    /** The customer's 动账通知 as the message centre shows them, newest first. */
    async function shown(client: TestClient, lang = 'zh-CN'): Promise<Message[]> {
      const page = json(await client.get('/api/v1/messages', { 'accept-language': lang }));
      return (page.items as Message[]).filter((m) => m.category === 'balance');
    }
    /** No card or account number appears whole in what the customer reads. */
    function assertMasked(messages: readonly Message[], who: TestCustomer) {
      for (const m of messages) {
        assert.doesNotMatch(m.body, /\d{12,}/, m.body);
        for (const a of who.accounts) {
          assert.ok(!m.body.includes(a.account_number) && !m.body.includes(a.card_number ?? '-'), m.body);
        }
      }
    }
    const cash = (accountId: string, direction: 'deposit' | 'withdrawal', fen: number) =>
      teller.post(
        '/api/v1/counter/cash',
        { accountId, direction, amount: money(fen) },
        { 'idempotency-key': randomUUID() },
      );

    test('a counter deposit and a counter withdrawal each tell the owner once: 收入/支出, branch, available balance after', async () => {
      const zhao = await customer('赵敏', [10_000]);
      const account = zhao.accounts[0]!;
      const last4 = (account.card_number ?? account.account_number).slice(-4);
      assert.equal((await cash(account.id, 'deposit', 250_000)).statusCode, 201);
      assert.equal((await cash(account.id, 'withdrawal', 40_000)).statusCode, 201);
      const stored = await notices(zhao.id);
      const atMs = stored.map((n) => n.atMs);
      assert.ok(
        atMs.every((ms) => Math.abs(ms - t.clock.nowMs()) < 60_000),
        'stamped with the posting time',
      );
      assert.deepEqual(stored, [
        {
          kind: 'balance.credit',
          atMs: atMs[0],
          entryKind: 'cash_deposit',
          accountLast4: last4,
          amountFen: 250_000,
          balanceFen: 260_000,
          branch: '0001',
        },
        {
          kind: 'balance.debit',
          atMs: atMs[1],
          entryKind: 'cash_withdrawal',
          accountLast4: last4,
          amountFen: 40_000,
          balanceFen: 220_000,
          branch: '0001',
        },
      ]);
      const client = await signedInClient(t, zhao);
      const [withdrawal, deposit] = await shown(client);
      assert.equal(deposit!.title, '动账通知');
      // The bank's local time: Beijing, eight hours ahead of UTC, whatever the server's zone.
      const beijing = new Date(atMs[0]! + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      assert.equal(
        deposit!.body,
        `您尾号 ${last4} 的账户于 ${beijing} 收入人民币 2,500.00 元（现金存入，网点 0001），可用余额 2,600.00 元。`,
      );
      assert.match(withdrawal!.body, /支出人民币 400\.00 元（现金支取，网点 0001），可用余额 2,200\.00 元。$/);
      const [withdrawalEn, depositEn] = await shown(client, 'en');
      assert.match(
        depositEn!.body,
        new RegExp(
          `^Your account ending ${last4} received CNY 2,500\\.00 at .+ \\(cash deposit, branch 0001\\)\\. Available balance: CNY 2,600\\.00\\.$`,
        ),
      );
      assert.match(withdrawalEn!.body, /paid out CNY 400\.00 at .+ \(cash withdrawal, branch 0001\)/);
      assertMasked([deposit!, withdrawal!], zhao);
    });

    test('a batch of entries (a payroll chunk) tells each payee once and the paying account once per line; a refused line tells no one', async () => {
      const company = await customer('星河科技', [100_000]);
      const wang = await customer('王五', [0]);
      const zhao = await customer('赵六', [0]);
      const from = company.accounts[0]!.id;
      const line = (to: string, name: string, fen: number, n: number): EntryInput => ({
        kind: 'corporate_payroll',
        reference: `notices-${dialect}-${n}`,
        memo: '工资',
        postedAtMs: t.clock.nowMs(),
        postings: [
          { accountId: from, amountFen: -fen, counterparty: name },
          { accountId: to, amountFen: fen, counterparty: '星河科技' },
        ],
      });
      const entries = [
        line(wang.accounts[0]!.id, '王五', 60_000, 1),
        line(zhao.accounts[0]!.id, '赵六', 50_000, 2),
        line(zhao.accounts[0]!.id, '赵六', 30_000, 3),
      ];
      await withTransaction(db(), async (trx) => {
        const outcomes = await postEntries(trx, entries);
        assert.deepEqual(
          outcomes.map((o) => o.ok),
          [true, false, true],
          'the second line would overdraw the company',
        );
        await tellBalanceChanges(trx, entries, outcomes);
      });
      const facts = (n: Notice) => [n.kind, n.amountFen, n.balanceFen, n.counterparty];
      assert.deepEqual((await notices(wang.id)).map(facts), [['balance.credit', 60_000, 60_000, '星河科技']]);
      assert.deepEqual((await notices(zhao.id)).map(facts), [['balance.credit', 30_000, 30_000, '星河科技']]);
      assert.deepEqual((await notices(company.id)).map(facts).sort(), [
        ['balance.debit', 30_000, 10_000, '赵六'],
        ['balance.debit', 60_000, 40_000, '王五'],
      ]);
    });

    test('a merchant payment and its refund tell the payer and the merchant’s owner, once each', async () => {
      const shop = await createTestShop(t);
      const owner = await db()
        .selectFrom('account')
        .select(['customer_id', 'account_number', 'card_number'])
        .where('id', '=', shop.settlementAccountId)
        .executeTakeFirstOrThrow();
      const payer = await testPayer(t, 1_000_000);
      const account = payer.customer.accounts[0]!;
      const last4 = (account.card_number ?? account.account_number).slice(-4);
      const { tradeNo, outTradeNo } = await placeOrder(t, shop, '100.00');
      await payOrder(t, payer, tradeNo);
      const refund = await refundOrder(t, shop, { outTradeNo, refundAmount: '30.00', outRequestNo: 'R1' });
      assert.equal(refund.code, '10000', JSON.stringify(refund));
      // The same out_request_no again refunds (and tells) nothing more.
      await refundOrder(t, shop, { outTradeNo, refundAmount: '30.00', outRequestNo: 'R1' });

      const payerNotices = await notices(payer.customer.id);
      assert.deepEqual(
        payerNotices.map((n) => [n.kind, n.entryKind, n.amountFen, n.balanceFen, n.accountLast4]),
        [
          ['balance.debit', 'merchant_payment', 10_000, 990_000, last4],
          ['balance.credit', 'merchant_refund', 3_000, 993_000, last4],
        ],
      );
      assert.match(payerNotices[1]!.counterparty ?? '', /^西湖茶铺\d+$/);
      const shopNotices = await notices(owner.customer_id);
      assert.deepEqual(
        shopNotices.map((n) => [n.kind, n.entryKind, n.amountFen, n.balanceFen, n.counterparty, n.accountLast4]),
        [
          [
            'balance.credit',
            'merchant_payment',
            10_000,
            10_000,
            '张*',
            (owner.card_number ?? owner.account_number).slice(-4),
          ],
          [
            'balance.debit',
            'merchant_refund',
            3_000,
            7_000,
            '张*',
            (owner.card_number ?? owner.account_number).slice(-4),
          ],
        ],
      );
      const [refunded] = await shown(payer.client);
      assert.match(refunded!.body, /收入人民币 30\.00 元（网上支付退款，对方 西湖茶铺\d+），可用余额 9,930\.00 元。$/);
      assertMasked(await shown(payer.client), payer.customer);
    });

    test('a transfer, a bill payment and an inter-bank return tell each customer account they move once', async () => {
      const zhang = await customer('张伟', [5_000_000]);
      const li = await customer('李娜', [0]);
      const client = await signedInClient(t, zhang);
      let keys = 0;
      const confirm = async (created: { id: string; status: string }, path: string) => {
        if (created.status !== 'authorization_required') return created;
        const code = await latestCode(db(), zhang.mobile);
        return json(await client.post(`${path}/${created.id}/authorize`, { method: 'sms', response: code }));
      };
      const transfer = async (payee: { name: string; accountNumber: string; bankCode?: string }, fen: number) => {
        const body = { fromAccountId: zhang.accounts[0]!.id, payee, amount: money(fen) };
        const created = json(await client.post('/api/v1/transfers', body, { 'idempotency-key': `n-${++keys}` }));
        t.clock.advance(61_000);
        return confirm(created, '/api/v1/transfers');
      };
      assert.equal(
        (await transfer({ name: '李娜', accountNumber: li.accounts[0]!.card_number! }, 12_345)).status,
        'completed',
      );
      const bill = json(
        await client.post(
          '/api/v1/bills/payments',
          {
            billerId: 'china-mobile',
            billAccount: '13800138000',
            fromAccountId: zhang.accounts[0]!.id,
            amount: money(5_000),
          },
          { 'idempotency-key': `n-${++keys}` },
        ),
      );
      assert.equal((await confirm(bill, '/api/v1/bills/payments')).status, 'completed');
      const away = await transfer({ name: '赵六', accountNumber: '6212260000000010000', bankCode: '102' }, 20_000);
      assert.equal(away.status, 'pending');
      t.clock.advance(3_600_000);
      assert.ok((await settleDueTransfers(db(), deps())) >= 1);

      assert.deepEqual(
        (await notices(zhang.id)).map((n) => [n.kind, n.entryKind, n.amountFen, n.balanceFen, n.counterparty]),
        [
          ['balance.debit', 'transfer', 12_345, 4_987_655, '李*'],
          ['balance.debit', 'bill_payment', 5_000, 4_982_655, '中国移动'],
          ['balance.debit', 'transfer', 20_000, 4_962_655, '赵*'],
          ['balance.credit', 'clearing_return', 20_000, 4_982_655, '中国工商银行'],
        ],
      );
      assert.deepEqual(
        (await notices(li.id)).map((n) => [n.kind, n.entryKind, n.amountFen, n.balanceFen, n.counterparty]),
        [['balance.credit', 'transfer', 12_345, 12_345, '张*']],
      );
      // The clearing answer came an hour later: the morning's session has long timed out.
      assertMasked(await shown(await signedInClient(t, zhang)), zhang);
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });
  });
}
