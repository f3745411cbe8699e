import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, type TestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import {
  addOperator,
  corpClient,
  onboardEnterprise,
  signed,
  signIn,
  type TestEnterprise,
  type TestOperator,
} from './test-support.ts';

/**
 * Corporate e-banking end to end over HTTP, on both databases (issue 19's acceptance list): onboarding
 * at the counter, operators with their own keys, policies, and payment instructions walking their
 * approval chains to one ledger entry.
 */
for (const dialect of DIALECTS) {
  describe(`corporate e-banking [${dialect}]`, () => {
    let t: TestApp;
    let ent: TestEnterprise;
    let payee: TestCustomer;
    let maker: TestOperator;
    let smallMaker: TestOperator;
    let checkers: TestOperator[];
    let checker2: TestOperator;
    let releaser: TestOperator;
    let releaser2: TestOperator;
    before(async () => {
      t = await createTestApp(dialect);
      ent = await onboardEnterprise(t, {
        uscc: '91350100M000100Y43',
        balanceFen: 200_000_000,
        dailyLimit: '620000.00',
      });
      payee = await createTestCustomer(
        t.db.handle.kysely,
        { config: t.ctx.config, clock: t.clock },
        {
          name: '李四',
          balancesFen: [0],
        },
      );
      maker = await addOperator(t, ent, { role: 'maker' });
      smallMaker = await addOperator(t, ent, { role: 'maker', single: '1000.00', daily: '1500.00' });
      checkers = [
        await addOperator(t, ent, { role: 'checker' }),
        await addOperator(t, ent, { role: 'checker' }),
        await addOperator(t, ent, { role: 'checker' }),
      ];
      checker2 = await addOperator(t, ent, { role: 'checker' });
      releaser = await addOperator(t, ent, { role: 'releaser' });
      releaser2 = await addOperator(t, ent, { role: 'releaser' });
    });
    after(() => t.close());

    const payeeNumber = () => payee.accounts[0]!.account_number;
    const pay = (who: TestOperator, amount: string, extra: Record<string, unknown> = {}) =>
      who.client.post('/api/v1/corporate/payments', {
        fromAccountId: ent.accountId,
        payee: { name: '李四', accountNumber: payeeNumber() },
        amount: { amount, currency: 'CNY' },
        purpose: '货款',
        ...extra,
      });
    const approve = (who: TestOperator, id: string) =>
      signed(who, 'POST', `/api/v1/corporate/payments/${id}/approve`, {});
    const payeeBalance = async () =>
      (await balancesOf(t.db.handle.kysely, [payee.accounts[0]!.id])).get(payee.accounts[0]!.id)!.postedFen;

    test('the counter refuses a wrong check character and a second registration of the same code', async () => {
      const { createTestStaff, staffClient } = await import('../counter/test-support.ts');
      const teller = await staffClient(t, await createTestStaff(t, 'teller'));
      const body = (uscc: string) => ({
        name: '另一家公司',
        unifiedSocialCreditCode: uscc,
        accounts: [payee.accounts[0]!.id],
        admin: { name: '张三', idNumber: '110101198001010010', mobile: '13900000009' },
      });
      const wrong = await teller.post('/api/v1/counter/enterprises', body('91350100M000100Y44'));
      assert.equal(wrong.statusCode, 422);
      assert.equal(json(wrong).code, 'corporate.uscc_invalid');
      const again = await teller.post('/api/v1/counter/enterprises', body('91350100M000100Y43'));
      assert.equal(again.statusCode, 409);
      assert.equal(json(again).code, 'corporate.enterprise_exists');
      // Without a staff session the route is closed.
      const anonymous = await corpClient(t).post('/api/v1/counter/enterprises', body('914403001922038216'));
      assert.equal(anonymous.statusCode, 401);
    });

    test('an account without a policy cannot pay', async () => {
      const refused = await pay(maker, '5000.00');
      assert.equal(refused.statusCode, 409, refused.body);
      assert.equal(json(refused).code, 'corporate.no_policy');
    });

    test('only the administrator sets policies, signed with their key', async () => {
      const policies = {
        policies: [
          {
            accountId: ent.accountId,
            businessType: 'payment',
            tiers: [
              {
                upTo: { amount: '10000.00', currency: 'CNY' },
                levels: [{ required: 1, operators: checkers.map((c) => c.id) }],
                release: false,
              },
              {
                upTo: { amount: '1000000.00', currency: 'CNY' },
                levels: [
                  { required: 2, operators: checkers.map((c) => c.id) },
                  { required: 1, operators: [checker2.id] },
                ],
                release: true,
              },
            ],
          },
        ],
      };
      const byMaker = await maker.client.put('/api/v1/corporate/policies', policies);
      assert.equal(byMaker.statusCode, 403);
      const asked = await ent.admin.client.put('/api/v1/corporate/policies', policies);
      assert.equal(asked.statusCode, 202);
      // Another key's signature over the same challenge is refused.
      const { challengeId, authorization } = json(asked);
      const forged = await ent.admin.client.put('/api/v1/corporate/policies', {
        ...policies,
        authorization: { method: 'u_shield', challengeId, response: maker.key.assert(authorization.challenge.options) },
      });
      assert.equal(forged.statusCode, 422, forged.body);
      const saved = await signed(ent.admin, 'PUT', '/api/v1/corporate/policies', policies);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(json(saved).items[0].tiers.length, 2);
    });

    test('a ¥5,000 payment under a one-level policy executes after one checker', async () => {
      const before = await payeeBalance();
      const created = await pay(maker, '5000.00');
      assert.equal(created.statusCode, 201, created.body);
      const instruction = json(created);
      assert.equal(instruction.state, 'pending');
      assert.equal(instruction.level, 1);
      assert.equal(instruction.required, 1);
      assert.equal(instruction.amountInWords, '伍仟元整');
      const waiting = json(await checkers[1]!.client.get('/api/v1/corporate/payments?waitingForMe=true'));
      assert.ok(waiting.items.some((i: { id: string }) => i.id === instruction.id));
      const done = await approve(checkers[1]!, instruction.id);
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(json(done).state, 'executed');
      assert.equal((await payeeBalance()) - before, 500_000);
    });

    test('a ¥500,000 payment needs 2 of 3 checkers, then level 2, then the releaser; the maker never signs', async () => {
      const before = await payeeBalance();
      const id = json(await pay(maker, '500000.00')).id;
      const byMaker = await maker.client.post(`/api/v1/corporate/payments/${id}/approve`, {});
      assert.equal(byMaker.statusCode, 403);
      assert.equal(json(byMaker).code, 'corporate.maker_cannot_approve');
      // Level 2's checker is not eligible at level 1, nor is the releaser.
      assert.equal(
        json(await checker2.client.post(`/api/v1/corporate/payments/${id}/approve`, {})).code,
        'corporate.not_eligible',
      );
      assert.equal(
        json(await releaser.client.post(`/api/v1/corporate/payments/${id}/approve`, {})).code,
        'corporate.not_eligible',
      );
      let step = json(await approve(checkers[0]!, id));
      assert.deepEqual([step.state, step.level, step.approvals, step.required], ['pending', 1, 1, 2]);
      // Nobody signs twice.
      const twice = await checkers[0]!.client.post(`/api/v1/corporate/payments/${id}/approve`, {});
      assert.equal(json(twice).code, 'corporate.already_signed');
      step = json(await approve(checkers[2]!, id));
      assert.deepEqual([step.state, step.level], ['pending', 2]);
      step = json(await approve(checker2, id));
      assert.equal(step.state, 'pending_release');
      assert.equal(await payeeBalance(), before, 'nothing moves before the release');
      step = json(await approve(releaser, id));
      assert.equal(step.state, 'executed');
      assert.deepEqual(
        step.chain.map((c: { level: number }) => c.level),
        [1, 1, 2, 0],
      );
      assert.equal((await payeeBalance()) - before, 50_000_000);
    });

    test('a rejection stops the instruction', async () => {
      const id = json(await pay(maker, '800.00')).id;
      const rejected = await signed(checkers[0]!, 'POST', `/api/v1/corporate/payments/${id}/reject`, {
        reason: '金额不符',
      });
      assert.equal(rejected.statusCode, 200, rejected.body);
      assert.equal(json(rejected).state, 'rejected');
      const late = await checkers[1]!.client.post(`/api/v1/corporate/payments/${id}/approve`, {});
      assert.equal(late.statusCode, 409);
      assert.equal(json(late).code, 'corporate.instruction_closed');
    });

    test('an edited instruction loses its approvals', async () => {
      const id = json(await pay(maker, '20000.00')).id;
      const first = json(await approve(checkers[0]!, id));
      assert.equal(first.approvals, 1);
      const hashBefore = first.canonicalHash;
      const edited = await maker.client.put(`/api/v1/corporate/payments/${id}`, {
        fromAccountId: ent.accountId,
        payee: { name: '李四', accountNumber: payeeNumber() },
        amount: { amount: '21000.00', currency: 'CNY' },
        purpose: '货款（更正）',
      });
      assert.equal(edited.statusCode, 200, edited.body);
      const view = json(edited);
      assert.deepEqual([view.version, view.level, view.approvals, view.chain.length], [2, 1, 0, 0]);
      assert.notEqual(view.canonicalHash, hashBefore);
      // The same checker may sign the new version; it counts once.
      assert.equal(json(await approve(checkers[0]!, id)).approvals, 1);
    });

    test('an operator over their own limit is refused', async () => {
      const single = await pay(smallMaker, '1000.01');
      assert.equal(single.statusCode, 422);
      assert.equal(json(single).code, 'corporate.operator_limit');
      assert.equal((await pay(smallMaker, '900.00')).statusCode, 201);
      const daily = await pay(smallMaker, '700.00');
      assert.equal(json(daily).code, 'corporate.operator_limit');
    });

    test("the administrator raises an operator's limit and disables another, signed with the key; audited", async () => {
      const byMaker = await maker.client.put(`/api/v1/corporate/operators/${smallMaker.id}`, {
        singleLimit: { amount: '3000.00', currency: 'CNY' },
      });
      assert.equal(byMaker.statusCode, 403);
      const raised = await signed(ent.admin, 'PUT', `/api/v1/corporate/operators/${smallMaker.id}`, {
        singleLimit: { amount: '3000.00', currency: 'CNY' },
        dailyLimit: { amount: '5000.00', currency: 'CNY' },
      });
      assert.equal(raised.statusCode, 200, raised.body);
      assert.equal(json(raised).operator.singleLimit.amount, '3000.00');
      assert.equal((await pay(smallMaker, '2000.00')).statusCode, 201);
      const disabled = await signed(ent.admin, 'PUT', `/api/v1/corporate/operators/${smallMaker.id}`, {
        status: 'disabled',
      });
      assert.equal(disabled.statusCode, 200, disabled.body);
      // Their session ends at once.
      assert.equal((await smallMaker.client.get('/api/v1/corporate/accounts')).statusCode, 401);
      const audited = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('kind', '=', 'corporate.operator_changed')
        .execute();
      assert.equal(audited.length, 2);
    });

    test('the enterprise daily limit holds under concurrent final approvals', async () => {
      // ¥505,000 of ¥620,000 is used: of two ¥60,000 payments only one fits.
      const ids = [json(await pay(maker, '60000.00')).id, json(await pay(maker, '60000.00')).id];
      for (const id of ids) {
        await approve(checkers[0]!, id);
        await approve(checkers[1]!, id);
        await approve(checker2, id);
      }
      // Two releasers, each with their own key, release at the same moment.
      const results = await Promise.all([approve(releaser, ids[0]), approve(releaser2, ids[1])]);
      const codes = results.map((r) => (r.statusCode === 200 ? json(r).state : json(r).code)).sort();
      assert.deepEqual(codes, ['corporate.enterprise_limit', 'executed']);
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('an instruction expires after the configured time', async () => {
      const id = json(await pay(maker, '100.00')).id;
      t.clock.advance(73 * 3600_000);
      // Every session timed out meanwhile: the checker signs in again, with the key.
      checkers[0]!.client = await signIn(t, ent.code, checkers[0]!);
      const late = await checkers[0]!.client.post(`/api/v1/corporate/payments/${id}/approve`, {});
      assert.equal(late.statusCode, 409, late.body);
      assert.equal(json(late).code, 'corporate.instruction_closed');
    });
  });
}
