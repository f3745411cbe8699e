import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, type TestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { addOperator, onboardEnterprise, signed, type TestEnterprise, type TestOperator } from './test-support.ts';

/**
 * PSD2 RTS Art. 5(3)(b) (docs/security.md): a batch's approval is specific to its total and its payees. A
 * checker's key signs the canonical form of one payroll batch (its count, total and the SHA-256 of its
 * lines); that signature approves no other batch. On both databases.
 */
for (const dialect of DIALECTS) {
  describe(`payroll approvals are linked to their batch [${dialect}]`, () => {
    let t: TestApp;
    let ent: TestEnterprise;
    let maker: TestOperator;
    let checker: TestOperator;
    let zhang: TestCustomer;
    let li: TestCustomer;
    before(async () => {
      t = await createTestApp(dialect);
      ent = await onboardEnterprise(t, { uscc: '9144030071526726XG', balanceFen: 100_000_000 });
      const deps = { config: t.ctx.config, clock: t.clock };
      zhang = await createTestCustomer(t.db.handle.kysely, deps, { name: '张三', balancesFen: [0] });
      li = await createTestCustomer(t.db.handle.kysely, deps, { name: '李四', balancesFen: [0] });
      maker = await addOperator(t, ent, { role: 'maker' });
      checker = await addOperator(t, ent, { role: 'checker' });
      const policy = await signed(ent.admin, 'PUT', '/api/v1/corporate/policies', {
        policies: [
          {
            accountId: ent.accountId,
            businessType: 'payroll',
            tiers: [
              {
                upTo: { amount: '100000.00', currency: 'CNY' },
                levels: [{ required: 1, operators: [checker.id] }],
                release: false,
              },
            ],
          },
        ],
      });
      assert.equal(policy.statusCode, 200, policy.body);
    });
    after(() => t.close());

    /** Uploads and submits a batch paying 张三 and 李四; its instruction id and report. */
    async function batch(liAmount: string, liAccount = li.accounts[0]!.account_number) {
      const lines = `账号,户名,金额,附言\n${zhang.accounts[0]!.account_number},张三,10.00,工资\n${liAccount},李四,${liAmount},工资\n`;
      const uploaded = await maker.client.post('/api/v1/corporate/batches', {
        fromAccountId: ent.accountId,
        fileName: 'payroll.csv',
        content: Buffer.from(lines).toString('base64'),
      });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const report = json(uploaded);
      const submitted = await maker.client.post(`/api/v1/corporate/payments/${report.instructionId}/submit`);
      assert.equal(submitted.statusCode, 200, submitted.body);
      return report as { instructionId: string; id: string; linesSha256: string; total: { amount: string } };
    }

    test("a checker's signature for one batch approves no other, whether the total or a payee differs", async () => {
      const a = await batch('20.00');
      const otherAmount = await batch('21.00');
      const otherPayee = await batch('20.00', zhang.accounts[0]!.account_number);
      assert.notEqual(a.linesSha256, otherAmount.linesSha256);
      const approve = (id: string) => `/api/v1/corporate/payments/${id}/approve`;
      const asked = await checker.client.post(approve(a.instructionId), {});
      assert.equal(asked.statusCode, 202, asked.body);
      const { challengeId, authorization, canonicalHash } = json(asked);
      const response = checker.key.assert(authorization.challenge.options);
      const answer = { authorization: { method: 'u_shield', challengeId, response } };
      for (const other of [otherAmount, otherPayee]) {
        const crossed = await checker.client.post(approve(other.instructionId), answer);
        assert.equal(json(crossed).code, 'media.challenge_invalid', crossed.body);
        const view = json(await maker.client.get(`/api/v1/corporate/batches/${other.id}`));
        assert.notEqual(view.state, 'completed', 'the other batch did not run');
        const own = json(await checker.client.post(approve(other.instructionId), {}));
        assert.notEqual(own.canonicalHash, canonicalHash, 'each batch has its own signed form');
      }
      const approved = await checker.client.post(approve(a.instructionId), answer);
      assert.equal(approved.statusCode, 200, approved.body);
    });
  });
}
