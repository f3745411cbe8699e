import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, type TestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import {
  addOperator,
  onboardEnterprise,
  signed,
  signIn,
  type TestEnterprise,
  type TestOperator,
} from './test-support.ts';
import { usccCheckChar } from './uscc.ts';
import { startCorporateWorker, sweepCorporate } from './worker.ts';

const TTL_SECONDS = 72 * 3600;

/**
 * Pending instructions and payroll batches expire after the enterprise's approval time even when nobody
 * opens them (issue 19): the corporate job loop marks them, once, with an audit row. Time moves by the
 * dev clock route, on both databases.
 */
for (const dialect of DIALECTS) {
  describe(`expiry of pending instructions [${dialect}]`, () => {
    let t: TestApp;
    let ent: TestEnterprise;
    let maker: TestOperator;
    let checker: TestOperator;
    let payee: TestCustomer;
    before(async () => {
      t = await createTestApp(dialect);
      const first17 = '91330100MA27XK1C2';
      ent = await onboardEnterprise(t, { uscc: first17 + usccCheckChar(first17), balanceFen: 100_000_000 });
      payee = await createTestCustomer(
        t.db.handle.kysely,
        { config: t.ctx.config, clock: t.clock },
        { name: '李四', balancesFen: [0] },
      );
      maker = await addOperator(t, ent, { role: 'maker' });
      checker = await addOperator(t, ent, { role: 'checker' });
      const tier = {
        upTo: { amount: '1000000.00', currency: 'CNY' },
        levels: [{ required: 1, operators: [checker.id] }],
        release: false,
      };
      const policy = await signed(ent.admin, 'PUT', '/api/v1/corporate/policies', {
        policies: ['payment', 'payroll'].map((businessType) => ({
          accountId: ent.accountId,
          businessType,
          tiers: [tier],
        })),
      });
      assert.equal(policy.statusCode, 200, policy.body);
    });
    after(() => t.close());

    const newPayment = async () => {
      const created = await maker.client.post('/api/v1/corporate/payments', {
        fromAccountId: ent.accountId,
        payee: { name: '李四', accountNumber: payee.accounts[0]!.account_number },
        amount: { amount: '5000.00', currency: 'CNY' },
        purpose: '货款',
      });
      assert.equal(created.statusCode, 201, created.body);
      return json(created).id as string;
    };
    const newBatch = async () => {
      const uploaded = await maker.client.post('/api/v1/corporate/batches', {
        fromAccountId: ent.accountId,
        fileName: 'payroll.csv',
        content: Buffer.from(`${payee.accounts[0]!.account_number},李四,100.00,工资\n`).toString('base64'),
      });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const batch = json(uploaded);
      const submitted = await maker.client.post(`/api/v1/corporate/payments/${batch.instructionId}/submit`);
      assert.equal(submitted.statusCode, 200, submitted.body);
      return batch as { id: string; instructionId: string };
    };
    const stateOf = async (id: string) =>
      (
        await t.db.handle.kysely
          .selectFrom('corp_instruction')
          .select('state')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).state;
    const expiryAudits = async (id: string) =>
      (
        await t.db.handle.kysely
          .selectFrom('audit_log')
          .select('id')
          .where('kind', '=', 'corporate.payment_expired')
          .where('subject_id', '=', id)
          .execute()
      ).length;
    const advanceClock = async (seconds: number) => {
      const moved = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        payload: { advanceSeconds: seconds },
      });
      assert.equal(moved.statusCode, 200, moved.body);
      // The operators' sessions idled out meanwhile: they sign in again.
      maker.client = await signIn(t, ent.code, maker);
      checker.client = await signIn(t, ent.code, checker);
    };

    test('a payment and a payroll batch nobody signs expire after the approval time, each once', async () => {
      const payment = await newPayment();
      const batch = await newBatch();
      assert.equal((await sweepCorporate(t.ctx)).expired, 0, 'nothing lapses early');
      await advanceClock(TTL_SECONDS + 60);
      assert.equal((await sweepCorporate(t.ctx)).expired, 2);
      assert.equal((await sweepCorporate(t.ctx)).expired, 0);
      assert.equal(await stateOf(payment), 'expired');
      assert.equal(await stateOf(batch.instructionId), 'expired');
      assert.equal(await expiryAudits(payment), 1);
      assert.equal(await expiryAudits(batch.instructionId), 1);
      // Nothing can be signed any more, and the batch reads as expired.
      assert.equal(json(await maker.client.get(`/api/v1/corporate/batches/${batch.id}`)).state, 'expired');
      const late = await checker.client.post(`/api/v1/corporate/payments/${payment}/approve`, {});
      assert.equal(late.statusCode, 409, late.body);
      assert.equal(json(late).code, 'corporate.instruction_closed');
      // Nor can the maker edit it or submit it again: refusals, not server errors.
      const edited = await maker.client.put(`/api/v1/corporate/payments/${payment}`, {
        fromAccountId: ent.accountId,
        payee: { name: '李四', accountNumber: payee.accounts[0]!.account_number },
        amount: { amount: '4000.00', currency: 'CNY' },
        purpose: '货款',
      });
      assert.equal(edited.statusCode, 409, edited.body);
      assert.equal(json(edited).code, 'corporate.instruction_closed');
      const resubmitted = await maker.client.post(`/api/v1/corporate/payments/${batch.instructionId}/submit`);
      assert.equal(resubmitted.statusCode, 409, resubmitted.body);
    });

    test('the job loop expires them on its own', async () => {
      const payment = await newPayment();
      await advanceClock(TTL_SECONDS + 60);
      const worker = startCorporateWorker(t.ctx, 20, (error) => assert.fail(String(error)));
      try {
        const deadline = Date.now() + 10_000;
        while ((await stateOf(payment)) !== 'expired') {
          assert.ok(Date.now() < deadline, 'the loop expired the payment');
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await worker.stop();
      }
      assert.equal(await expiryAudits(payment), 1);
    });
  });
}
