import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuditLog } from '../audit/index.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { DIALECTS } from '../testing/database.ts';
import { addOperator, onboardEnterprise, signed, type TestEnterprise, type TestOperator } from './test-support.ts';
import { usccCheckChar } from './uscc.ts';
import { sweepCorporate } from './worker.ts';

/**
 * A corporate payment to another bank goes to clearing when it executes and waits for clearing's
 * answer, as a personal inter-bank transfer does (payments' postClearingAnswer): settled, it is done;
 * returned, the amount comes back to the enterprise's account. On both databases.
 */
for (const dialect of DIALECTS) {
  describe(`corporate payments to other banks [${dialect}]`, () => {
    let t: TestApp;
    let ent: TestEnterprise;
    let maker: TestOperator;
    let checker: TestOperator;
    before(async () => {
      t = await createTestApp(dialect);
      const first17 = '91320500MA1NQ7XK3';
      ent = await onboardEnterprise(t, { uscc: first17 + usccCheckChar(first17), balanceFen: 10_000_000 });
      maker = await addOperator(t, ent, { role: 'maker' });
      checker = await addOperator(t, ent, { role: 'checker' });
      const policy = await signed(ent.admin, 'PUT', '/api/v1/corporate/policies', {
        policies: [
          {
            accountId: ent.accountId,
            businessType: 'payment',
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

    const payOtherBank = async (accountNumber: string, amount: string) => {
      const created = await maker.client.post('/api/v1/corporate/payments', {
        fromAccountId: ent.accountId,
        payee: { name: '赵六', accountNumber, bankCode: '102' },
        amount: { amount, currency: 'CNY' },
        purpose: '货款',
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = json(created).id as string;
      const approved = await signed(checker, 'POST', `/api/v1/corporate/payments/${id}/approve`, {});
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(json(approved).state, 'executed');
      assert.equal(json(approved).clearing, 'pending');
      return id;
    };
    const enterpriseFen = async () =>
      (await balancesOf(t.db.handle.kysely, [ent.accountId])).get(ent.accountId)!.postedFen;

    test('one settles, one comes back to the enterprise, each answered once', async () => {
      const before = await enterpriseFen();
      const settles = await payOtherBank('6214830000123456', '1000.00');
      // The clearing simulator returns payments to account numbers ending in 0000 (payments/clearing.ts).
      const returns = await payOtherBank('6214830000120000', '2500.00');
      assert.equal(before - (await enterpriseFen()), 350_000, 'both left the account for clearing');
      assert.equal((await sweepCorporate(t.ctx)).answered, 0, 'not before clearing time');
      t.clock.advance((t.ctx.config.clearingSettleDelaySeconds + 1) * 1000);
      assert.equal((await sweepCorporate(t.ctx)).answered, 2);
      assert.equal((await sweepCorporate(t.ctx)).answered, 0);
      const view = async (id: string) => json(await maker.client.get(`/api/v1/corporate/payments/${id}`));
      assert.equal((await view(settles)).clearing, 'settled');
      assert.equal((await view(returns)).clearing, 'returned');
      assert.equal(before - (await enterpriseFen()), 100_000, 'the returned ¥2,500.00 is back');
      const entries = await t.db.handle.kysely
        .selectFrom('journal_entry')
        .select(['kind', 'reference'])
        .where('reference', 'in', [`corporate:${settles}`, `corporate:${returns}`])
        .execute();
      assert.deepEqual(
        entries.map((e) => `${e.reference === `corporate:${settles}` ? 'settles' : 'returns'}:${e.kind}`).sort(),
        [
          'returns:clearing_return',
          'returns:corporate_payment',
          'settles:clearing_settle',
          'settles:corporate_payment',
        ],
      );
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
      assert.ok((await verifyAuditLog(t.db.handle.kysely)).ok);
    });
  });
}
