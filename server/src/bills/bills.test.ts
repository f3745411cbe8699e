import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkLedgerInvariants } from '../ledger/index.ts';
import { formatMoney } from '../platform/money.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { pdfText } from '../testing/pdf-text.ts';
import { signedInClient } from '../testing/session.ts';
import { simulatedBill } from './simulator.ts';

const ELECTRICITY = { id: 'sgcc-beijing', category: 'electricity' } as const;
const money = (amount: string) => ({ amount, currency: 'CNY' });

for (const dialect of DIALECTS) {
  describe(`bill payment over HTTP [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    /** The bill the simulator makes of an account now: what the query must answer. */
    const billed = (account: string) => {
      const bill = simulatedBill(ELECTRICITY, account, t.clock.nowMs());
      assert.ok(bill.found && bill.billedFen !== null);
      return bill;
    };

    test('lists the catalogue with every category and a region', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟' });
      const client = await signedInClient(t, zhang);
      const billers = json(await client.get('/api/v1/billers')).items as Array<Record<string, string>>;
      const categories = new Set(billers.map((b) => b.category));
      for (const c of ['electricity', 'water', 'gas', 'mobile', 'broadband', 'tuition'])
        assert.ok(categories.has(c), c);
      const grid = billers.find((b) => b.id === 'sgcc-beijing');
      assert.equal(grid?.name, '国网北京市电力公司');
      assert.equal(grid?.region, '北京');
      const english = json(await client.get('/api/v1/billers', { 'accept-language': 'en' })).items;
      assert.equal(english.find((b: { id: string }) => b.id === 'sgcc-beijing').region, 'Beijing');
    });

    test('a query answers the masked holder, the period and the same amount due every time; top-ups have none', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟' });
      const client = await signedInClient(t, zhang);
      const query = (billerId: string, billAccount: string) =>
        client.post('/api/v1/bills/query', { billerId, billAccount });
      const first = json(await query('sgcc-beijing', '1100 2233 44'));
      const again = json(await query('sgcc-beijing', '1100223344'));
      assert.deepEqual(first, again, 'deterministic, spaces ignored');
      const bill = billed('1100223344');
      assert.equal(first.amountDue.amount, formatMoney(bill.billedFen!));
      assert.match(first.period, /^\d{4}-\d{2}$/);
      assert.match(first.holderName, /^\p{Script=Han}{1,2}\*{1,2}$/u);
      const topUp = json(await query('china-mobile', '13800138000'));
      assert.equal(topUp.amountDue, null);
      assert.equal(topUp.period, null);
      assert.deepEqual(
        topUp.topUpChoices.map((m: { amount: string }) => m.amount),
        ['30.00', '50.00', '100.00', '200.00'],
      );
      const unknown = await query('sgcc-beijing', '1234560000');
      assert.equal(unknown.statusCode, 422);
      assert.equal(json(unknown).code, 'bills.bill_account_not_found');
      const malformed = await query('sgcc-beijing', '12345');
      assert.equal(json(malformed).code, 'bills.bill_account_invalid');
      assert.equal((await query('no-such-biller', '1234567890')).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/billers' })).statusCode, 401);
    });

    test('pays an electricity bill with the SMS code: one entry to the biller, history names it, receipt, my bills', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [5_000_000] });
      const client = await signedInClient(t, zhang);
      const account = '2200334455';
      const due = billed(account).billedFen!;
      const body = {
        billerId: 'sgcc-beijing',
        billAccount: account,
        fromAccountId: zhang.accounts[0]!.id,
        amount: money(formatMoney(due)),
      };
      const created = await client.post('/api/v1/bills/payments', body, { 'idempotency-key': 'bill-1' });
      assert.equal(created.statusCode, 201, created.body);
      const payment = json(created);
      assert.equal(payment.status, 'authorization_required');
      assert.equal(payment.authorization.method, 'sms');
      assert.equal(payment.billerName, '国网北京市电力公司');
      // The code's SMS names the biller, the account's last digits and the amount it is bound to.
      const sms = await t.db.handle.kysely
        .selectFrom('outbox')
        .select('text')
        .where('recipient', '=', zhang.mobile)
        .orderBy('created_at_ms', 'desc')
        .executeTakeFirstOrThrow();
      assert.ok(
        sms.text.includes('国网北京市电力公司') && sms.text.includes('4455') && sms.text.includes(formatMoney(due)),
      );
      const replay = await client.post('/api/v1/bills/payments', body, { 'idempotency-key': 'bill-1' });
      assert.equal(replay.headers['idempotency-replayed'], 'true');
      assert.equal(json(replay).id, payment.id);
      const conflict = await client.post(
        '/api/v1/bills/payments',
        { ...body, amount: money('1.00') },
        { 'idempotency-key': 'bill-1' },
      );
      assert.equal(json(conflict).code, 'request.idempotency_conflict');

      const wrong = await client.post(`/api/v1/bills/payments/${payment.id}/authorize`, {
        method: 'sms',
        response: '000000',
      });
      assert.equal(wrong.statusCode, 422);
      assert.equal(json(wrong).code, 'media.wrong_answer');
      assert.equal(json(wrong).triesLeft, 4);
      assert.equal(json(await client.get(`/api/v1/bills/payments/${payment.id}`)).status, 'authorization_required');
      const receiptTooEarly = await client.get(`/api/v1/bills/payments/${payment.id}/receipt`);
      assert.equal(json(receiptTooEarly).code, 'bills.receipt_unavailable');

      const done = await client.post(`/api/v1/bills/payments/${payment.id}/authorize`, {
        method: 'sms',
        response: await latestCode(t.db.handle.kysely, zhang.mobile),
      });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(json(done).status, 'completed');
      assert.equal(json(await client.get(`/api/v1/bills/payments/${payment.id}`)).status, 'completed');
      const again = await client.post(`/api/v1/bills/payments/${payment.id}/authorize`, {
        method: 'sms',
        response: await latestCode(t.db.handle.kysely, zhang.mobile),
      });
      assert.equal(json(again).code, 'bills.not_awaiting_authorization', 'a code is accepted once');

      const history = json(await client.get(`/api/v1/accounts/${zhang.accounts[0]!.id}/transactions`));
      assert.equal(history.items[0].amount.amount, `-${formatMoney(due)}`);
      assert.equal(history.items[0].counterparty, '国网北京市电力公司');
      assert.equal(history.items[0].serial, payment.id, 'the serial on the result page and the receipt');
      // The message centre's 动账通知 names the biller too.
      const inbox = json(await client.get('/api/v1/messages')).items as Array<{ kind: string; body: string }>;
      const notice = inbox.find((m) => m.kind === 'balance.debit');
      assert.ok(notice?.body.includes('国网北京市电力公司') && notice.body.includes(formatMoney(due)), notice?.body);
      assert.equal(history.items[0].balanceAfter.amount, formatMoney(5_000_000 - due));

      // One entry moved the money: the customer's account down, the biller's ledger account up.
      const entries = await t.db.handle.kysely
        .selectFrom('journal_entry')
        .select('id')
        .where('reference', '=', payment.id)
        .execute();
      assert.equal(entries.length, 1);
      const billerAccount = await t.db.handle.kysely
        .selectFrom('biller')
        .innerJoin('ledger_account', 'ledger_account.id', 'biller.ledger_account_id')
        .select('ledger_account.posted_fen')
        .where('biller.id', '=', 'sgcc-beijing')
        .executeTakeFirstOrThrow();
      assert.ok(Number(billerAccount.posted_fen) >= due);

      const receipt = await client.get(`/api/v1/bills/payments/${payment.id}/receipt`);
      assert.equal(receipt.headers['content-type'], 'application/pdf');
      const text = (await pdfText(receipt.rawPayload)).replace(/\s+/g, '');
      for (const expected of ['国网北京市电力公司', account, '张伟', '+08:00', payment.id]) {
        assert.ok(text.includes(expected), expected);
      }
      assert.match(text, /[壹贰叁肆伍陆柒捌玖].*元/);

      // Paid: nothing is due now, and the same bill cannot be paid twice.
      const after = json(await client.post('/api/v1/bills/query', { billerId: 'sgcc-beijing', billAccount: account }));
      assert.equal(after.amountDue.amount, '0.00');
      const twice = await client.post('/api/v1/bills/payments', { ...body });
      assert.equal(twice.statusCode, 422);
      assert.equal(json(twice).code, 'bills.nothing_due');

      // The paid account is in "my bills" with its last payment.
      const mine = json(await client.get('/api/v1/bills/accounts')).items;
      assert.equal(mine.length, 1);
      assert.equal(mine[0].billAccount, account);
      assert.equal(mine[0].lastPaid.amount.amount, formatMoney(due));
      assert.equal(mine[0].lastPaid.at, json(done).completedAt);

      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const liClient = await signedInClient(t, li);
      assert.equal((await liClient.get(`/api/v1/bills/payments/${payment.id}`)).statusCode, 404);
      assert.equal((await liClient.get(`/api/v1/bills/payments/${payment.id}/receipt`)).statusCode, 404);
      const audited = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('subject_id', '=', payment.id)
        .execute();
      const kinds = audited.map((a) => a.kind);
      for (const kind of ['bill_payment.created', 'bill_payment.authorization_failed', 'bill_payment.completed']) {
        assert.ok(kinds.includes(kind), kind);
      }
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('a payment above the amount due is refused; a top-up takes a chosen amount within bounds', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [1_000_000] });
      const client = await signedInClient(t, zhang);
      const account = '3300445566';
      const due = billed(account).billedFen!;
      const above = await client.post('/api/v1/bills/payments', {
        billerId: 'sgcc-beijing',
        billAccount: account,
        fromAccountId: zhang.accounts[0]!.id,
        amount: money(formatMoney(due + 1)),
      });
      assert.equal(json(above).code, 'bills.amount_above_due');
      const topUp = (amount: string) =>
        client.post('/api/v1/bills/payments', {
          billerId: 'china-mobile',
          billAccount: '13912345678',
          fromAccountId: zhang.accounts[0]!.id,
          amount: money(amount),
        });
      assert.equal(json(await topUp('5.00')).code, 'bills.top_up_amount_invalid');
      assert.equal(json(await topUp('600.00')).code, 'bills.top_up_amount_invalid');
      assert.equal(json(await topUp('50.00')).status, 'authorization_required');
      const someoneElses = await client.post('/api/v1/bills/payments', {
        billerId: 'china-mobile',
        billAccount: '13912345678',
        fromAccountId: (await createTestCustomer(t.db.handle.kysely, deps())).accounts[0]!.id,
        amount: money('50.00'),
      });
      assert.equal(json(someoneElses).code, 'payment.account_not_found');
    });

    test('bill payments count against the daily limit shared with transfers', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [1_000_000] });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const client = await signedInClient(t, zhang);
      const limits = await client.put('/api/v1/limits', { perPayment: null, daily: money('150.00') });
      assert.equal(limits.statusCode, 200, limits.body);
      const pay = async (amount: string) => {
        const created = json(
          await client.post('/api/v1/bills/payments', {
            billerId: 'china-mobile',
            billAccount: '13700001111',
            fromAccountId: zhang.accounts[0]!.id,
            amount: money(amount),
          }),
        );
        if (created.status !== 'authorization_required') return created;
        return json(
          await client.post(`/api/v1/bills/payments/${created.id}/authorize`, {
            method: 'sms',
            response: await latestCode(t.db.handle.kysely, zhang.mobile),
          }),
        );
      };
      assert.equal((await pay('100.00')).status, 'completed');
      const refused = await pay('100.00');
      assert.equal(refused.code, 'payment.limit_exceeded');
      assert.match(refused.detail, /50\.00/);
      assert.equal(json(await client.get('/api/v1/limits')).usedToday.amount, '100.00');
      // A transfer sees the bill payment's use of the day too.
      const transfer = await client.post('/api/v1/transfers', {
        fromAccountId: zhang.accounts[0]!.id,
        payee: { name: '李娜', accountNumber: li.accounts[0]!.card_number },
        amount: money('60.00'),
      });
      assert.equal(json(transfer).code, 'payment.limit_exceeded');
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('two confirmations of two payments of one bill pay it once', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [5_000_000] });
      const client = await signedInClient(t, zhang);
      const account = '4400556677';
      const due = formatMoney(billed(account).billedFen!);
      const start = async () =>
        json(
          await client.post('/api/v1/bills/payments', {
            billerId: 'sgcc-beijing',
            billAccount: account,
            fromAccountId: zhang.accounts[0]!.id,
            amount: money(due),
          }),
        );
      const first = await start();
      const firstCode = await latestCode(t.db.handle.kysely, zhang.mobile);
      const second = await start();
      const secondCode = await latestCode(t.db.handle.kysely, zhang.mobile);
      assert.equal(second.status, 'authorization_required', 'not paid yet: both may start');
      const ok = await client.post(`/api/v1/bills/payments/${first.id}/authorize`, {
        method: 'sms',
        response: firstCode,
      });
      assert.equal(json(ok).status, 'completed');
      const refused = await client.post(`/api/v1/bills/payments/${second.id}/authorize`, {
        method: 'sms',
        response: secondCode,
      });
      assert.equal(json(refused).code, 'bills.nothing_due');
      const paid = await t.db.handle.kysely
        .selectFrom('bill_payment')
        .select('id')
        .where('customer_id', '=', zhang.id)
        .where('status', '=', 'completed')
        .execute();
      assert.equal(paid.length, 1);
    });

    test('two payments of one bill confirmed at the same moment pay it once', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [5_000_000] });
      const client = await signedInClient(t, zhang);
      const account = '5500667788';
      const due = formatMoney(billed(account).billedFen!);
      const started: Array<{ id: string; code: string }> = [];
      for (let i = 0; i < 2; i++) {
        const created = json(
          await client.post('/api/v1/bills/payments', {
            billerId: 'sgcc-beijing',
            billAccount: account,
            fromAccountId: zhang.accounts[0]!.id,
            amount: money(due),
          }),
        );
        started.push({ id: created.id, code: await latestCode(t.db.handle.kysely, zhang.mobile) });
      }
      const answers = await Promise.all(
        started.map(({ id, code }) =>
          client.post(`/api/v1/bills/payments/${id}/authorize`, { method: 'sms', response: code }),
        ),
      );
      const outcomes = answers.map((a) => (a.statusCode === 200 ? json(a).status : json(a).code)).sort();
      assert.deepEqual(outcomes, ['bills.nothing_due', 'completed']);
      const accounts = json(await client.get('/api/v1/accounts'));
      assert.equal(accounts.items[0].balance.amount, formatMoney(5_000_000 - billed(account).billedFen!));
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('a payment not confirmed within five minutes lapses and moves no money', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [100_000] });
      const client = await signedInClient(t, zhang);
      const created = json(
        await client.post('/api/v1/bills/payments', {
          billerId: 'china-unicom',
          billAccount: '13055556666',
          fromAccountId: zhang.accounts[0]!.id,
          amount: money('30.00'),
        }),
      );
      const code = await latestCode(t.db.handle.kysely, zhang.mobile);
      t.clock.advance(5 * 60_000 + 1);
      const again = await signedInClient(t, zhang);
      const late = await again.post(`/api/v1/bills/payments/${created.id}/authorize`, {
        method: 'sms',
        response: code,
      });
      assert.equal(json(late).code, 'bills.authorization_expired');
      const lapsed = json(await again.get(`/api/v1/bills/payments/${created.id}`, { 'accept-language': 'en' }));
      assert.equal(lapsed.status, 'expired');
      assert.equal(lapsed.billerName, 'China Unicom');
      const resend = await again.post(`/api/v1/bills/payments/${created.id}/challenge`, {});
      assert.equal(json(resend).code, 'bills.not_awaiting_authorization');
      const accounts = json(await again.get('/api/v1/accounts'));
      assert.equal(accounts.items[0].balance.amount, '1000.00');
    });

    test('saves, lists and deletes bill accounts; a saved one queries in one step', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟' });
      const client = await signedInClient(t, zhang);
      const saved = await client.post('/api/v1/bills/accounts', { billerId: 'beijing-water', billAccount: '55667788' });
      assert.equal(saved.statusCode, 201, saved.body);
      assert.equal(json(saved).lastPaid, null);
      assert.equal(json(saved).billerName, '北京市自来水集团');
      const twice = await client.post('/api/v1/bills/accounts', { billerId: 'beijing-water', billAccount: '55667788' });
      assert.equal(twice.statusCode, 200);
      assert.equal(json(twice).id, json(saved).id);
      const invalid = await client.post('/api/v1/bills/accounts', { billerId: 'beijing-water', billAccount: '12' });
      assert.equal(json(invalid).code, 'bills.bill_account_invalid');
      const list = json(await client.get('/api/v1/bills/accounts')).items;
      assert.equal(list.length, 1);
      const query = json(
        await client.post('/api/v1/bills/query', { billerId: list[0].billerId, billAccount: list[0].billAccount }),
      );
      assert.ok(Number(query.amountDue.amount) > 0);
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const liClient = await signedInClient(t, li);
      assert.equal((await liClient.delete(`/api/v1/bills/accounts/${list[0].id}`)).statusCode, 404);
      assert.equal((await client.delete(`/api/v1/bills/accounts/${list[0].id}`)).statusCode, 204);
      assert.equal(json(await client.get('/api/v1/bills/accounts')).items.length, 0);
    });
  });
}
