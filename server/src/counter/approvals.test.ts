import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makeResidentId } from '../customers/index.ts';
import { balancesOf } from '../ledger/index.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { ensureTestBank, testMobile } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { pdfText } from '../testing/pdf-text.ts';
import { createTestStaff, staffClient } from './test-support.ts';

const money = (amount: string) => ({ amount, currency: 'CNY' });
const newIdNumber = () =>
  makeResidentId(
    '110105',
    `19${randomInt(50, 99)}0${randomInt(1, 9)}1${randomInt(0, 9)}`,
    String(randomInt(1000)).padStart(3, '0'),
  );

for (const dialect of DIALECTS) {
  describe(`counter customers, cash and approvals [${dialect}]`, () => {
    let t: TestApp;
    let teller: TestClient;
    let otherTeller: TestClient;
    let supervisor: TestClient;
    let supervisorId: string;
    before(async () => {
      t = await createTestApp(dialect);
      await ensureTestBank(t.db.handle.kysely, t.clock);
      teller = await staffClient(t, await createTestStaff(t, 'teller'));
      otherTeller = await staffClient(t, await createTestStaff(t, 'teller'));
      const sup = await createTestStaff(t, 'supervisor');
      supervisorId = sup.id;
      supervisor = await staffClient(t, sup);
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    const balanceFen = async (accountId: string) => (await balancesOf(db(), [accountId])).get(accountId)?.postedFen;
    const auditOf = (operationId: string) =>
      db()
        .selectFrom('audit_log')
        .select(['kind', 'actor_id', 'subject_id', 'details'])
        .where('details', 'like', `%${operationId}%`)
        .orderBy('at_ms')
        .orderBy('seq')
        .execute();

    /** A customer registered at the counter, with one account. */
    async function newCustomer(name = '赵敏') {
      const idNumber = newIdNumber();
      const mobile = testMobile();
      const created = await teller.post('/api/v1/counter/customers', { name, idNumber, mobile });
      assert.equal(created.statusCode, 201, created.body);
      const customer = json(created);
      const opened = await teller.post(`/api/v1/counter/customers/${customer.id}/accounts`, { cardPin: '135790' });
      assert.equal(opened.statusCode, 201, opened.body);
      return { customer, account: json(opened), idNumber, mobile };
    }

    test('registers a customer (a registered ID number is 409), opens an account with the full numbers, finds them', async () => {
      const { customer, account, idNumber, mobile } = await newCustomer();
      assert.match(account.cardNumber, /^\d{19}$/);
      const again = await teller.post('/api/v1/counter/customers', { name: '赵敏', idNumber, mobile: testMobile() });
      assert.equal(again.statusCode, 409);
      assert.equal(json(again).code, 'counter.customer_exists');
      const badCheckDigit = `${idNumber.slice(0, 17)}${idNumber[17] === '0' ? '1' : '0'}`;
      assert.equal(
        json(
          await teller.post('/api/v1/counter/customers', {
            name: '赵敏',
            idNumber: badCheckDigit,
            mobile: testMobile(),
          }),
        ).code,
        'customer.id_number_invalid',
      );
      const row = await db().selectFrom('account').selectAll().where('id', '=', account.id).executeTakeFirstOrThrow();
      assert.equal(row.card_number, account.cardNumber);
      assert.ok(row.pin_hash?.startsWith('$argon2id$'), 'the PIN is kept hashed');
      for (const q of [idNumber, account.cardNumber, account.number, mobile]) {
        const found = json(await teller.get(`/api/v1/counter/customers?q=${q}`));
        assert.deepEqual(
          found.items.map((c: { id: string }) => c.id),
          [customer.id],
          q,
        );
      }
      assert.equal((await teller.get('/api/v1/counter/customers?q=hello')).statusCode, 422);
      const detail = json(await teller.get(`/api/v1/counter/customers/${customer.id}`));
      assert.equal(detail.accounts[0].cardNumber, account.cardNumber);
      assert.equal(detail.ebanking.registered, false);
      assert.deepEqual(detail.events.map((e: { kind: string }) => e.kind).sort(), [
        'counter.account.open',
        'counter.customer.register',
      ]);
      const audit = await auditOf(account.operationId);
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.subject_id, customer.id);
      assert.ok(!audit[0]!.details.includes('135790'), 'no PIN in the audit log');
    });

    test('a cash deposit posts against the branch vault once per Idempotency-Key; a withdrawal above the balance is refused', async () => {
      const { account } = await newCustomer();
      const deposit = { accountId: account.id, direction: 'deposit', amount: money('1000.00') };
      const first = await teller.post('/api/v1/counter/cash', deposit, { 'idempotency-key': 'dep-1' });
      assert.equal(first.statusCode, 201, first.body);
      assert.deepEqual(json(first).balance, money('1000.00'));
      const replay = await teller.post('/api/v1/counter/cash', deposit, { 'idempotency-key': 'dep-1' });
      assert.equal(replay.headers['idempotency-replayed'], 'true');
      assert.equal(json(replay).operationId, json(first).operationId);
      const conflict = await teller.post(
        '/api/v1/counter/cash',
        { ...deposit, amount: money('2.00') },
        { 'idempotency-key': 'dep-1' },
      );
      assert.equal(json(conflict).code, 'request.idempotency_conflict');
      assert.equal(await balanceFen(account.id), 100_000);
      const entries = await db()
        .selectFrom('journal_entry')
        .selectAll()
        .where('reference', '=', `counter:${json(first).operationId}`)
        .execute();
      assert.equal(entries.length, 1);

      const tooMuch = await teller.post(
        '/api/v1/counter/cash',
        {
          accountId: account.id,
          direction: 'withdrawal',
          amount: money('1000.01'),
        },
        { 'idempotency-key': randomUUID() },
      );
      assert.equal(tooMuch.statusCode, 422);
      assert.equal(json(tooMuch).code, 'counter.insufficient_funds');
      const ok = await teller.post(
        '/api/v1/counter/cash',
        {
          accountId: account.id,
          direction: 'withdrawal',
          amount: money('400.00'),
        },
        { 'idempotency-key': randomUUID() },
      );
      assert.equal(ok.statusCode, 201);
      assert.equal(await balanceFen(account.id), 60_000);
    });

    test('a ¥60,000 deposit waits for a supervisor who is not the maker; approved once it posts once', async () => {
      const { customer, account } = await newCustomer('钱多多');
      const asked = await teller.post(
        '/api/v1/counter/cash',
        {
          accountId: account.id,
          direction: 'deposit',
          amount: money('60000.00'),
        },
        { 'idempotency-key': randomUUID() },
      );
      assert.equal(asked.statusCode, 202, asked.body);
      const { status, approvalId } = json(asked);
      assert.equal(status, 'approval_required');
      assert.equal(await balanceFen(account.id), 0, 'no effect before approval');
      const inbox = json(await supervisor.get('/api/v1/counter/approvals?state=pending'));
      const item = inbox.items.find((i: { id: string }) => i.id === approvalId);
      assert.equal(item.customerName, '钱多多');
      assert.deepEqual(item.amount, money('60000.00'));

      assert.equal(
        json(await teller.post(`/api/v1/counter/approvals/${approvalId}/approve`)).code,
        'counter.self_approval',
      );
      const byTeller = await otherTeller.post(`/api/v1/counter/approvals/${approvalId}/approve`);
      assert.equal(byTeller.statusCode, 403);
      assert.equal(json(byTeller).code, 'counter.approver_role');
      assert.equal(await balanceFen(account.id), 0);

      const approved = await supervisor.post(`/api/v1/counter/approvals/${approvalId}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(json(approved).operation.state, 'approved');
      assert.equal(json(approved).operation.approver.id, supervisorId);
      const twice = await supervisor.post(`/api/v1/counter/approvals/${approvalId}/approve`);
      assert.equal(twice.statusCode, 200);
      assert.equal(await balanceFen(account.id), 6_000_000, 'posted once');
      assert.equal(
        json(await supervisor.post(`/api/v1/counter/approvals/${approvalId}/reject`, { reason: 'late' })).code,
        'counter.approval_closed',
      );
      const kinds = (await auditOf(approvalId)).map((a) => a.kind);
      // The approval and its effect are written in one transaction at one instant, possibly on different
      // audit chains, so their order between themselves is not defined; the request comes first.
      assert.equal(kinds[0], 'counter.approval_requested');
      assert.deepEqual(kinds.slice(1).sort(), ['counter.approved', 'counter.cash.deposit']);

      const receipt = await teller.get(`/api/v1/counter/receipts/${approvalId}.pdf`);
      assert.equal(receipt.statusCode, 200);
      assert.equal(receipt.headers['content-type'], 'application/pdf');
      const text = await pdfText(receipt.rawPayload);
      for (const expected of [
        '柜面业务凭证',
        '钱多多',
        '陆万元整',
        '60,000.00',
        '客户签名',
        '测试supervisor',
        customer.idNumberMasked,
      ])
        assert.ok(text.includes(expected), `the receipt says ${expected}`);
      assert.ok(!text.includes(account.cardNumber), 'numbers are masked on the receipt');
    });

    test('a rejected request never takes effect; a pending one lapses at the end of the business day', async () => {
      const { account } = await newCustomer();
      await teller.post(
        '/api/v1/counter/cash',
        {
          accountId: account.id,
          direction: 'deposit',
          amount: money('100.00'),
        },
        { 'idempotency-key': randomUUID() },
      );
      const withdrawal = json(
        await teller.post(
          '/api/v1/counter/cash',
          {
            accountId: account.id,
            direction: 'deposit',
            amount: money('50000.01'),
          },
          { 'idempotency-key': randomUUID() },
        ),
      );
      const rejected = await supervisor.post(`/api/v1/counter/approvals/${withdrawal.approvalId}/reject`, {
        reason: '客户身份存疑',
      });
      assert.equal(json(rejected).operation.state, 'rejected');
      assert.equal(json(rejected).operation.reason, '客户身份存疑');
      assert.equal(
        json(await supervisor.post(`/api/v1/counter/approvals/${withdrawal.approvalId}/approve`)).code,
        'counter.approval_closed',
      );
      assert.equal(await balanceFen(account.id), 10_000);

      const late = json(
        await teller.post(
          '/api/v1/counter/cash',
          {
            accountId: account.id,
            direction: 'deposit',
            amount: money('70000.00'),
          },
          { 'idempotency-key': randomUUID() },
        ),
      );
      const row = await db()
        .selectFrom('counter_operation')
        .selectAll()
        .where('id', '=', late.approvalId)
        .executeTakeFirstOrThrow();
      assert.ok(row.expires_at_ms !== null && row.expires_at_ms - t.clock.nowMs() <= 86_400_000);
      t.clock.advance(row.expires_at_ms - t.clock.nowMs() + 1000);
      // The session idled out over night: the supervisor signs in again.
      const fresh = await staffClient(t, await createTestStaff(t, 'supervisor'));
      const pending = json(await fresh.get('/api/v1/counter/approvals?state=pending'));
      assert.ok(!pending.items.some((i: { id: string }) => i.id === late.approvalId));
      const expired = await fresh.post(`/api/v1/counter/approvals/${late.approvalId}/approve`);
      assert.equal(json(expired).code, 'counter.approval_closed');
      assert.equal(await balanceFen(account.id), 10_000);
      const state = await db()
        .selectFrom('counter_operation')
        .select('state')
        .where('id', '=', late.approvalId)
        .executeTakeFirstOrThrow();
      assert.equal(state.state, 'expired');
    });
  });
}
