import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makeResidentId } from '../customers/index.ts';
import { balancesOf, bankAccountId, vaultCode } from '../ledger/index.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { ensureTestBank, testMobile } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { createTestStaff, staffClient } from './test-support.ts';

const money = (amount: string) => ({ amount, currency: 'CNY' });
const newIdNumber = () =>
  makeResidentId(
    '310104',
    `19${randomInt(50, 99)}0${randomInt(1, 9)}1${randomInt(0, 9)}`,
    String(randomInt(1000)).padStart(3, '0'),
  );

for (const dialect of DIALECTS) {
  describe(`counter e-banking and account operations [${dialect}]`, () => {
    let t: TestApp;
    let teller: TestClient;
    let supervisor: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      await ensureTestBank(t.db.handle.kysely, t.clock);
      teller = await staffClient(t, await createTestStaff(t, 'teller'));
      supervisor = await staffClient(t, await createTestStaff(t, 'supervisor'));
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    const customerRow = (id: string) =>
      db().selectFrom('customer').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const credential = (id: string) =>
      db().selectFrom('login_credential').selectAll().where('customer_id', '=', id).executeTakeFirstOrThrow();
    const kindsFor = async (customerId: string) =>
      (
        await db()
          .selectFrom('audit_log')
          .select('kind')
          .where('subject_id', '=', customerId)
          .where('actor_type', '=', 'staff')
          .orderBy('at_ms')
          .orderBy('seq')
          .execute()
      ).map((r) => r.kind);
    const signIn = (mobile: string, password: string) =>
      new TestClient(t.app, { ip: `10.9.${randomInt(250)}.${randomInt(250)}` }).post('/api/v1/auth/login', {
        identifier: mobile,
        password,
        channel: 'web',
      });

    /** A customer registered at the counter with an account and online banking. */
    async function ebankingCustomer(balance = '0.00') {
      const mobile = testMobile();
      const customer = json(
        await teller.post('/api/v1/counter/customers', { name: '孙悦', idNumber: newIdNumber(), mobile }),
      );
      const account = json(
        await teller.post(`/api/v1/counter/customers/${customer.id}/accounts`, { cardPin: '246810' }),
      );
      if (balance !== '0.00')
        await teller.post(
          '/api/v1/counter/cash',
          {
            accountId: account.id,
            direction: 'deposit',
            amount: money(balance),
          },
          { 'idempotency-key': randomUUID() },
        );
      const registered = await teller.post(`/api/v1/counter/customers/${customer.id}/ebanking`, {
        initialPassword: '20261122',
      });
      assert.equal(registered.statusCode, 200, registered.body);
      return { customer, account, mobile };
    }

    test('registers e-banking with a temporary password: not activated, the first sign-in must change it', async () => {
      const { customer, mobile } = await ebankingCustomer();
      assert.equal((await customerRow(customer.id)).status, 'not_activated');
      assert.equal(Boolean((await credential(customer.id)).must_change_password), true);
      const media = await db()
        .selectFrom('security_medium')
        .select(['kind', 'status'])
        .where('customer_id', '=', customer.id)
        .execute();
      assert.deepEqual(
        media.map((m) => `${m.kind}:${m.status}`),
        ['sms:active'],
      );
      assert.equal(json(await signIn(mobile, '20261122')).state, 'change_password');
      const again = await teller.post(`/api/v1/counter/customers/${customer.id}/ebanking`, {
        initialPassword: '12345678',
      });
      assert.equal(json(again).code, 'counter.ebanking_exists');
      const other = json(
        await teller.post('/api/v1/counter/customers', { name: '周', idNumber: newIdNumber(), mobile: testMobile() }),
      );
      assert.equal(
        json(await teller.post(`/api/v1/counter/customers/${other.id}/ebanking`, { initialPassword: '12ab56' })).code,
        'counter.initial_password_format',
      );
      const detail = json(await teller.get(`/api/v1/counter/customers/${customer.id}`));
      assert.deepEqual(
        {
          registered: detail.ebanking.registered,
          status: detail.ebanking.status,
          must: detail.ebanking.mustChangePassword,
        },
        { registered: true, status: 'not_activated', must: true },
      );
      assert.ok((await kindsFor(customer.id)).includes('counter.ebanking.register'));
    });

    test('reset gives a temporary password effective at once, lifts the lock and tells the customer by SMS; unlock lifts a lock', async () => {
      const { customer, mobile } = await ebankingCustomer();
      await db()
        .updateTable('login_credential')
        .set({ failed_count: 0, locked_until_ms: t.clock.nowMs() + 3_600_000 })
        .where('customer_id', '=', customer.id)
        .execute();
      const unlocked = await teller.post(`/api/v1/counter/customers/${customer.id}/unlock`, {});
      assert.equal(json(unlocked).status, 'completed');
      assert.equal((await credential(customer.id)).locked_until_ms, null);

      await db()
        .updateTable('login_credential')
        .set({ locked_until_ms: t.clock.nowMs() + 3_600_000 })
        .where('customer_id', '=', customer.id)
        .execute();
      const reset = await teller.post(`/api/v1/counter/customers/${customer.id}/password-reset`, {});
      assert.equal(reset.statusCode, 200, reset.body);
      const { temporaryPassword, operationId } = json(reset);
      assert.match(temporaryPassword, /^\d{6,8}$/);
      const row = await credential(customer.id);
      assert.equal(row.locked_until_ms, null);
      assert.equal(Boolean(row.must_change_password), true);
      assert.equal(json(await signIn(mobile, temporaryPassword)).state, 'change_password');
      const sms = await db()
        .selectFrom('outbox')
        .select(['text', 'purpose'])
        .where('recipient', '=', mobile)
        .where('purpose', '=', 'counter.password_reset')
        .execute();
      assert.equal(sms.length, 1);
      assert.ok(!sms[0]!.text.includes(temporaryPassword), 'the password itself is never sent');
      const stored = await db()
        .selectFrom('counter_operation')
        .selectAll()
        .where('id', '=', operationId)
        .executeTakeFirstOrThrow();
      const audit = await db()
        .selectFrom('audit_log')
        .select('details')
        .where('details', 'like', `%${operationId}%`)
        .execute();
      assert.ok(
        ![stored.params, stored.result ?? '', ...audit.map((a) => a.details)].some((text) =>
          text.includes(temporaryPassword),
        ),
      );
    });

    test('suspend and resume; under investigation a reset waits for approval and the approval hands over the password', async () => {
      const { customer, mobile } = await ebankingCustomer();
      await db().updateTable('customer').set({ status: 'active' }).where('id', '=', customer.id).execute();
      assert.equal(json(await teller.post(`/api/v1/counter/customers/${customer.id}/suspend`, {})).status, 'completed');
      assert.equal(json(await signIn(mobile, '20261122')).code, 'auth.account_frozen');
      await teller.post(`/api/v1/counter/customers/${customer.id}/resume`, {});
      assert.equal((await customerRow(customer.id)).status, 'active');

      await teller.post(`/api/v1/counter/customers/${customer.id}/investigation`, { on: true, reason: '可疑交易' });
      assert.equal((await customerRow(customer.id)).status, 'under_investigation');
      const asked = await teller.post(`/api/v1/counter/customers/${customer.id}/password-reset`, {});
      assert.equal(asked.statusCode, 202);
      const before = (await credential(customer.id)).password_hash;
      const unlock = await teller.post(`/api/v1/counter/customers/${customer.id}/unlock`, {});
      assert.equal(unlock.statusCode, 202);
      assert.equal((await credential(customer.id)).password_hash, before, 'no effect before approval');
      const approved = json(await supervisor.post(`/api/v1/counter/approvals/${json(asked).approvalId}/approve`));
      assert.match(approved.result.temporaryPassword, /^\d{6,8}$/);
      assert.notEqual((await credential(customer.id)).password_hash, before);
      const twice = json(await supervisor.post(`/api/v1/counter/approvals/${json(asked).approvalId}/approve`));
      assert.equal(twice.result, undefined, 'a second approval does nothing and shows nothing');

      await teller.post(`/api/v1/counter/customers/${customer.id}/investigation`, { on: false, reason: '已查清' });
      assert.equal((await customerRow(customer.id)).status, 'active');
      const kinds = await kindsFor(customer.id);
      for (const kind of [
        'counter.ebanking.suspend',
        'counter.ebanking.resume',
        'counter.customer.investigation',
        'counter.approval_requested',
        'counter.approved',
        'counter.ebanking.password_reset',
      ])
        assert.ok(kinds.includes(kind), kind);
    });

    test('a mobile change waits for approval, then the old number is told', async () => {
      const { customer, mobile } = await ebankingCustomer();
      const newMobile = testMobile();
      const asked = await teller.put(`/api/v1/counter/customers/${customer.id}/mobile`, { mobile: newMobile });
      assert.equal(asked.statusCode, 202);
      assert.equal((await customerRow(customer.id)).mobile, mobile);
      await supervisor.post(`/api/v1/counter/approvals/${json(asked).approvalId}/approve`);
      assert.equal((await customerRow(customer.id)).mobile, newMobile);
      const told = await db()
        .selectFrom('outbox')
        .select('text')
        .where('recipient', '=', mobile)
        .where('purpose', '=', 'counter.mobile_changed')
        .execute();
      assert.equal(told.length, 1);
    });

    test('freeze stops withdrawals; unfreeze and closing with a balance wait for approval; the balance is paid out in cash', async () => {
      const { account } = await ebankingCustomer('500.00');
      assert.equal(
        json(await teller.post(`/api/v1/counter/accounts/${account.id}/freeze`, { reason: '司法冻结' })).status,
        'completed',
      );
      const withdrawal = await teller.post(
        '/api/v1/counter/cash',
        {
          accountId: account.id,
          direction: 'withdrawal',
          amount: money('1.00'),
        },
        { 'idempotency-key': randomUUID() },
      );
      assert.equal(json(withdrawal).code, 'counter.account_not_active');
      const unfreeze = await teller.post(`/api/v1/counter/accounts/${account.id}/unfreeze`, {});
      assert.equal(unfreeze.statusCode, 202);
      assert.equal(
        (await db().selectFrom('account').select('status').where('id', '=', account.id).executeTakeFirstOrThrow())
          .status,
        'frozen',
      );
      await supervisor.post(`/api/v1/counter/approvals/${json(unfreeze).approvalId}/approve`);
      assert.equal(
        (await db().selectFrom('account').select('status').where('id', '=', account.id).executeTakeFirstOrThrow())
          .status,
        'active',
      );

      const vault = await bankAccountId(db(), vaultCode('0001'));
      const vaultBefore = (await balancesOf(db(), [vault])).get(vault)!.postedFen;
      const close = await teller.post(`/api/v1/counter/accounts/${account.id}/close`, {});
      assert.equal(close.statusCode, 202);
      const approved = json(await supervisor.post(`/api/v1/counter/approvals/${json(close).approvalId}/approve`));
      assert.equal(approved.operation.state, 'approved');
      const row = await db().selectFrom('account').selectAll().where('id', '=', account.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'closed');
      assert.equal((await balancesOf(db(), [account.id])).get(account.id)!.postedFen, 0);
      assert.equal((await balancesOf(db(), [vault])).get(vault)!.postedFen, vaultBefore + 50_000);

      const empty = json(
        await teller.post(`/api/v1/counter/customers/${row.customer_id}/accounts`, { cardPin: '246810' }),
      );
      const closeEmpty = await teller.post(`/api/v1/counter/accounts/${empty.id}/close`);
      assert.equal(closeEmpty.statusCode, 200, closeEmpty.body);
      assert.equal(json(closeEmpty).status, 'completed');
    });
  });
}
