import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { customerIdBy, makeResidentId } from '../customers/index.ts';
import { seedDemoBank } from '../demo/seed.ts';
import { balancesOf } from '../ledger/index.ts';
import { ecommerceEnabled } from '../merchants/index.ts';
import { merchantMigrations } from '../merchants/migrations.ts';
import { pdfText } from '../testing/pdf-text.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { ensureTestBank, testMobile } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { createTestStaff, staffClient, type TestStaff } from './test-support.ts';

/**
 * The audit rows of the counter operations the other tests leave unasserted, maker-checker across
 * staff and branches, and the money rules of cash and account closing (issue 15).
 */

const money = (amount: string) => ({ amount, currency: 'CNY' });
const newIdNumber = () =>
  makeResidentId(
    '110105',
    `19${randomInt(50, 99)}0${randomInt(1, 9)}1${randomInt(0, 9)}`,
    String(randomInt(1000)).padStart(3, '0'),
  );

type AuditRow = { kind: string; actor_type: string; actor_id: string; subject_id: string | null; details: string };

for (const dialect of DIALECTS) {
  describe(`counter audit rows and maker-checker [${dialect}]`, () => {
    let t: TestApp;
    let teller: TestClient;
    let tellerStaff: TestStaff;
    let supervisor: TestClient;
    let supervisorStaff: TestStaff;
    before(async () => {
      t = await createTestApp(dialect);
      await ensureTestBank(t.db.handle.kysely, t.clock);
      tellerStaff = await createTestStaff(t, 'teller');
      teller = await staffClient(t, tellerStaff);
      supervisorStaff = await createTestStaff(t, 'supervisor');
      supervisor = await staffClient(t, supervisorStaff);
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    const balanceFen = async (accountId: string) => (await balancesOf(db(), [accountId])).get(accountId)?.postedFen;
    const cash = (client: TestClient, accountId: string, direction: 'deposit' | 'withdrawal', amount: string) =>
      client.post(
        '/api/v1/counter/cash',
        { accountId, direction, amount: money(amount) },
        {
          'idempotency-key': randomUUID(),
        },
      );
    const auditOf = (operationId: string): Promise<AuditRow[]> =>
      db()
        .selectFrom('audit_log')
        .select(['kind', 'actor_type', 'actor_id', 'subject_id', 'details'])
        .where('details', 'like', `%${operationId}%`)
        .orderBy('at_ms')
        .orderBy('seq')
        .execute() as Promise<AuditRow[]>;
    /** The one audit row of a kind for an operation: by whom, at which branch, for which customer. */
    async function expectAudit(operationId: string, kind: string, actorId: string, customerId: string) {
      const rows = (await auditOf(operationId)).filter((row) => row.kind === kind);
      assert.equal(rows.length, 1, `one ${kind} row for ${operationId}`);
      const row = rows[0]!;
      assert.equal(row.actor_id, actorId, kind);
      assert.equal(row.subject_id, customerId, kind);
      const details = JSON.parse(row.details);
      assert.equal(details.branch, '0001', kind);
      assert.equal(details.operationId, operationId, kind);
      return details;
    }

    /** A customer registered at the counter with an account (and its balance) and online banking. */
    async function newCustomer(balance = '0.00') {
      const mobile = testMobile();
      const customer = json(
        await teller.post('/api/v1/counter/customers', { name: '周芷若', idNumber: newIdNumber(), mobile }),
      );
      const account = json(
        await teller.post(`/api/v1/counter/customers/${customer.id}/accounts`, { cardPin: '246810' }),
      );
      if (balance !== '0.00') assert.equal((await cash(teller, account.id, 'deposit', balance)).statusCode, 201);
      const registered = await teller.post(`/api/v1/counter/customers/${customer.id}/ebanking`, {
        initialPassword: '20261122',
      });
      assert.equal(registered.statusCode, 200, registered.body);
      return { customer, account, mobile };
    }

    test('cash withdrawal, e-banking unlock, mobile change, freeze, unfreeze and close each write their audit row', async () => {
      const { customer, account } = await newCustomer('800.00');
      const withdrawal = await cash(teller, account.id, 'withdrawal', '100.00');
      assert.equal(withdrawal.statusCode, 201, withdrawal.body);
      const w = await expectAudit(json(withdrawal).operationId, 'counter.cash.withdrawal', tellerStaff.id, customer.id);
      assert.equal(w.amountFen, 10_000);
      assert.equal(w.accountId, account.id);

      const unlock = json(await teller.post(`/api/v1/counter/customers/${customer.id}/unlock`, {}));
      await expectAudit(unlock.operationId, 'counter.ebanking.unlock', tellerStaff.id, customer.id);

      const mobile = await teller.put(`/api/v1/counter/customers/${customer.id}/mobile`, { mobile: testMobile() });
      const mobileId = json(mobile).approvalId;
      await expectAudit(mobileId, 'counter.approval_requested', tellerStaff.id, customer.id);
      await supervisor.post(`/api/v1/counter/approvals/${mobileId}/approve`);
      await expectAudit(mobileId, 'counter.approved', supervisorStaff.id, customer.id);
      await expectAudit(mobileId, 'counter.customer.mobile', supervisorStaff.id, customer.id);

      const freeze = json(await teller.post(`/api/v1/counter/accounts/${account.id}/freeze`, { reason: '司法冻结' }));
      assert.equal(
        (await expectAudit(freeze.operationId, 'counter.account.freeze', tellerStaff.id, customer.id)).accountId,
        account.id,
      );
      const unfreezeId = json(await teller.post(`/api/v1/counter/accounts/${account.id}/unfreeze`, {})).approvalId;
      await supervisor.post(`/api/v1/counter/approvals/${unfreezeId}/approve`);
      await expectAudit(unfreezeId, 'counter.account.unfreeze', supervisorStaff.id, customer.id);

      const closeId = json(await teller.post(`/api/v1/counter/accounts/${account.id}/close`, {})).approvalId;
      const closed = await supervisor.post(`/api/v1/counter/approvals/${closeId}/approve`);
      assert.equal(closed.statusCode, 200, closed.body);
      const c = await expectAudit(closeId, 'counter.account.close', supervisorStaff.id, customer.id);
      assert.equal(c.amountFen, 70_000);
    });

    test('media revoke, reissue and unlock, and a rejection, write their audit rows', async () => {
      const { customer } = await newCustomer();
      const card = json(await teller.post(`/api/v1/counter/customers/${customer.id}/media`, { kind: 'password_card' }));
      await db()
        .updateTable('security_medium')
        .set({ status: 'locked', wrong_in_row: 5 })
        .where('id', '=', card.id)
        .execute();
      const unlocked = json(await teller.post(`/api/v1/counter/media/${card.id}/unlock`, {}));
      await expectAudit(unlocked.operationId, 'counter.media.unlock', tellerStaff.id, customer.id);
      const reissued = json(await teller.post(`/api/v1/counter/media/${card.id}/reissue`, { reason: 'damaged' }));
      await expectAudit(reissued.operationId, 'counter.media.reissue', tellerStaff.id, customer.id);
      const revoked = json(await teller.post(`/api/v1/counter/media/${reissued.id}/revoke`, { reason: 'returned' }));
      const r = await expectAudit(revoked.operationId, 'counter.media.revoke', tellerStaff.id, customer.id);
      assert.equal(r.operation, 'media.revoke');

      const { customer: payer, account } = await newCustomer('10.00');
      const asked = json(await cash(teller, account.id, 'deposit', '50000.01'));
      const rejected = await supervisor.post(`/api/v1/counter/approvals/${asked.approvalId}/reject`, {
        reason: '来源不明',
      });
      assert.equal(rejected.statusCode, 200, rejected.body);
      const details = await expectAudit(asked.approvalId, 'counter.rejected', supervisorStaff.id, payer.id);
      assert.equal(details.reason, '来源不明');
    });

    test('a supervisor cannot approve their own request (403 counter.self_approval); another branch neither sees nor approves it', async () => {
      const { account } = await newCustomer();
      const own = await cash(supervisor, account.id, 'deposit', '60000.00');
      assert.equal(own.statusCode, 202, own.body);
      const { approvalId } = json(own);
      const self = await supervisor.post(`/api/v1/counter/approvals/${approvalId}/approve`);
      assert.equal(self.statusCode, 403);
      assert.equal(json(self).code, 'counter.self_approval');
      assert.equal(await balanceFen(account.id), 0);

      const elsewhere = await staffClient(t, await createTestStaff(t, 'supervisor', '0002'));
      const inbox = json(await elsewhere.get('/api/v1/counter/approvals?state=pending'));
      assert.ok(!inbox.items.some((i: { id: string }) => i.id === approvalId), 'not in another branch’s inbox');
      const foreign = await elsewhere.post(`/api/v1/counter/approvals/${approvalId}/approve`);
      assert.equal(foreign.statusCode, 404);
      assert.equal(json(foreign).code, 'counter.approval_not_found');
      assert.equal((await elsewhere.get(`/api/v1/counter/receipts/${approvalId}.pdf`)).statusCode, 404);
      assert.equal(await balanceFen(account.id), 0, 'no effect');

      const colleague = await staffClient(t, await createTestStaff(t, 'supervisor'));
      assert.equal((await colleague.post(`/api/v1/counter/approvals/${approvalId}/approve`)).statusCode, 200);
      assert.equal(await balanceFen(account.id), 6_000_000);
    });

    test('cash needs an Idempotency-Key and an amount with exactly two decimals', async () => {
      const { account } = await newCustomer();
      const body = { accountId: account.id, direction: 'deposit', amount: money('10.00') };
      const keyless = await teller.post('/api/v1/counter/cash', body);
      assert.equal(keyless.statusCode, 400);
      assert.equal(json(keyless).code, 'counter.idempotency_key_required');
      const en = await teller.post('/api/v1/counter/cash', body, { 'accept-language': 'en' });
      assert.match(json(en).detail, /Idempotency-Key/);
      for (const amount of ['10', '10.5', '10.000'])
        assert.equal(
          (
            await teller.post(
              '/api/v1/counter/cash',
              { ...body, amount: money(amount) },
              { 'idempotency-key': randomUUID() },
            )
          ).statusCode,
          400,
          amount,
        );
      assert.equal(await balanceFen(account.id), 0);
      assert.equal((await cash(teller, account.id, 'deposit', '10.50')).statusCode, 201);
      assert.equal(await balanceFen(account.id), 1050);
    });

    test('a withdrawal for a customer under investigation waits for a supervisor', async () => {
      const { customer, account } = await newCustomer('300.00');
      await teller.post(`/api/v1/counter/customers/${customer.id}/investigation`, { on: true, reason: '可疑交易' });
      const asked = await cash(teller, account.id, 'withdrawal', '20.00');
      assert.equal(asked.statusCode, 202, asked.body);
      assert.equal(await balanceFen(account.id), 30_000, 'no effect before approval');
      const deposit = await cash(teller, account.id, 'deposit', '5.00');
      assert.equal(deposit.statusCode, 201, 'money in needs no approval');
      const approved = await supervisor.post(`/api/v1/counter/approvals/${json(asked).approvalId}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(await balanceFen(account.id), 28_500);
    });

    test('closing pays out the balance the supervisor saw, and refuses when it changed since the request', async () => {
      const { account } = await newCustomer('500.00');
      const closeId = json(await teller.post(`/api/v1/counter/accounts/${account.id}/close`, {})).approvalId;
      assert.equal((await cash(teller, account.id, 'deposit', '20.00')).statusCode, 201);
      const refused = await supervisor.post(
        `/api/v1/counter/approvals/${closeId}/approve`,
        {},
        {
          'accept-language': 'en',
        },
      );
      assert.equal(refused.statusCode, 409, refused.body);
      assert.equal(json(refused).code, 'counter.balance_changed');
      assert.match(json(refused).detail, /500\.00.*520\.00/);
      const zh = await supervisor.post(`/api/v1/counter/approvals/${closeId}/approve`);
      assert.match(json(zh).detail, /余额/);
      const acc = await db()
        .selectFrom('account')
        .select('status')
        .where('id', '=', account.id)
        .executeTakeFirstOrThrow();
      assert.equal(acc.status, 'active', 'nothing was paid out or closed');
      assert.equal(await balanceFen(account.id), 52_000);
      await supervisor.post(`/api/v1/counter/approvals/${closeId}/reject`, { reason: '余额已变动' });

      const again = json(await teller.post(`/api/v1/counter/accounts/${account.id}/close`, {})).approvalId;
      const approved = await supervisor.post(`/api/v1/counter/approvals/${again}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(await balanceFen(account.id), 0);
    });

    test('the e-commerce function is off for a new customer until the counter turns it on (audit row, receipt); an upgraded database keeps it on', async () => {
      const { customer } = await newCustomer();
      assert.equal(json(await teller.get(`/api/v1/counter/customers/${customer.id}`)).ecommerce, false);
      assert.equal(await ecommerceEnabled(db(), customer.id), false);
      const on = await teller.post(`/api/v1/counter/customers/${customer.id}/ecommerce`, { on: true });
      assert.equal(on.statusCode, 200, on.body);
      assert.equal(json(on).status, 'completed');
      assert.equal(json(await teller.get(`/api/v1/counter/customers/${customer.id}`)).ecommerce, true);
      assert.equal(await ecommerceEnabled(db(), customer.id), true);
      const details = await expectAudit(
        json(on).operationId,
        'counter.customer.ecommerce',
        tellerStaff.id,
        customer.id,
      );
      assert.equal(details.operation, 'customer.ecommerce');
      const receipt = await teller.get(`/api/v1/counter/receipts/${json(on).operationId}.pdf`);
      assert.equal(receipt.statusCode, 200);
      assert.ok((await pdfText(receipt.rawPayload)).includes('网上支付'));
      const off = json(await teller.post(`/api/v1/counter/customers/${customer.id}/ecommerce`, { on: false }));
      await expectAudit(off.operationId, 'counter.customer.ecommerce', tellerStaff.id, customer.id);
      assert.equal(await ecommerceEnabled(db(), customer.id), false);
      assert.equal((await teller.post(`/api/v1/counter/customers/${customer.id}/ecommerce`, {})).statusCode, 400);

      // Migration 0810 on a database of the time when it was on for all: customers without a row get it
      // on explicitly, and one the counter turned off stays off.
      const { customer: older } = await newCustomer();
      await merchantMigrations['0810_ecommerce_explicit']!.up(db());
      assert.equal(await ecommerceEnabled(db(), older.id), true);
      assert.equal(await ecommerceEnabled(db(), customer.id), false);
    });

    test('a request that lapses at the end of its business day writes an expiry row (actor: the system)', async () => {
      const { customer, account } = await newCustomer();
      const late = json(await cash(teller, account.id, 'deposit', '70000.00'));
      const row = await db()
        .selectFrom('counter_operation')
        .selectAll()
        .where('id', '=', late.approvalId)
        .executeTakeFirstOrThrow();
      t.clock.advance(Number(row.expires_at_ms) - t.clock.nowMs() + 1000);
      const fresh = await staffClient(t, await createTestStaff(t, 'supervisor'));
      json(await fresh.get('/api/v1/counter/approvals'));
      // Listed twice (and decided once after): one expiry row, never more.
      json(await fresh.get('/api/v1/counter/approvals?state=expired'));
      assert.equal(
        json(await fresh.post(`/api/v1/counter/approvals/${late.approvalId}/approve`)).code,
        'counter.approval_closed',
      );
      const rows = (await auditOf(late.approvalId)).filter((r) => r.kind === 'counter.expired');
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.actor_type, 'system');
      assert.equal(rows[0]!.subject_id, customer.id);
      const details = JSON.parse(rows[0]!.details);
      assert.equal(details.makerId, tellerStaff.id);
      assert.equal(details.branch, '0001');
      assert.equal(await balanceFen(account.id), 0);
    });
  });

  describe(`the demo customers pay merchants [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
      await ensureTestBank(t.db.handle.kysely, t.clock);
      await seedDemoBank(t.ctx);
    });
    after(() => t.close());

    test('张伟, 李娜 and 王芳 have the e-commerce function on (issue 17)', async () => {
      for (const mobile of ['13800000001', '13800000002', '13800000003']) {
        const id = await customerIdBy(t.db.handle.kysely, 'mobile', mobile);
        assert.ok(id, mobile);
        assert.equal(await ecommerceEnabled(t.db.handle.kysely, id), true, mobile);
      }
    });
  });
}
