import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestStaff, staffClient } from '../counter/test-support.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { corpClient, onboardEnterprise, type TestEnterprise } from './test-support.ts';
import { usccCheckChar } from './uscc.ts';

/**
 * Enterprises at the counter (issue 19): the teller looks one up by code, credit code or name, reads its
 * accounts and operators, and lifts an operator's password lock (the one way back in for a locked
 * administrator), as a counter operation with its audit row; on both databases.
 */
for (const dialect of DIALECTS) {
  describe(`enterprises at the counter [${dialect}]`, () => {
    let t: TestApp;
    let ent: TestEnterprise;
    let teller: TestClient;
    const first17 = '91440300MA5FQ2K1X';
    const uscc = first17 + usccCheckChar(first17);
    before(async () => {
      t = await createTestApp(dialect);
      ent = await onboardEnterprise(t, { uscc, balanceFen: 123_456, name: '深圳金柜测试贸易有限公司' });
      teller = await staffClient(t, await createTestStaff(t, 'teller'));
    });
    after(() => t.close());

    test('finds the enterprise by its code, its credit code or part of its name, and reads it', async () => {
      for (const q of [ent.code, uscc.toLowerCase(), '金柜测试']) {
        const found = await teller.get(`/api/v1/counter/enterprises?q=${encodeURIComponent(q)}`);
        assert.equal(found.statusCode, 200, found.body);
        assert.deepEqual(
          json(found).items.map((e: { code: string }) => e.code),
          [ent.code],
          q,
        );
      }
      const none = json(await teller.get(`/api/v1/counter/enterprises?q=${encodeURIComponent('%')}`));
      assert.deepEqual(none.items, [], 'a wildcard is a character, not a pattern');
      const detail = json(await teller.get(`/api/v1/counter/enterprises/${ent.id}`));
      assert.equal(detail.unifiedSocialCreditCode, uscc);
      assert.deepEqual(
        detail.accounts.map((a: { id: string; balance: { amount: string } }) => [a.id, a.balance.amount]),
        [[ent.accountId, '1234.56']],
      );
      assert.deepEqual(
        detail.operators.map((o: { code: string; role: string; locked: boolean }) => [o.code, o.role, o.locked]),
        [['001', 'admin', false]],
      );
      const missing = await teller.get('/api/v1/counter/enterprises/00000000-0000-4000-8000-000000000000');
      assert.equal(missing.statusCode, 404);
      assert.equal(json(missing).code, 'corporate.enterprise_not_found');
      // Not for customers or operators: a staff session only.
      assert.equal((await corpClient(t).get(`/api/v1/counter/enterprises?q=${ent.code}`)).statusCode, 401);
    });

    test('the teller unlocks an administrator locked by wrong passwords; it is audited', async () => {
      const client = corpClient(t);
      const login = (password: string) =>
        client.post('/api/v1/corporate/login', { enterpriseCode: ent.code, operatorCode: '001', password });
      for (let i = 0; i < t.ctx.config.loginMaxFailures; i++) await login(`Wrong${i}pass`);
      assert.equal((await login(ent.admin.password)).statusCode, 423);
      const locked = json(await teller.get(`/api/v1/counter/enterprises/${ent.id}`)).operators[0];
      assert.equal(locked.locked, true);

      const unlocked = await teller.post(`/api/v1/counter/enterprises/${ent.id}/operators/${ent.admin.id}/unlock`, {});
      assert.equal(unlocked.statusCode, 200, unlocked.body);
      assert.equal(json(unlocked).wasLocked, true);
      assert.ok(json(unlocked).operationId);
      const again = await login(ent.admin.password);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(json(again).state, 'challenge');
      const audit = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select(['kind', 'actor_type'])
        .where('kind', '=', 'corporate.operator_unlocked')
        .where('subject_id', '=', ent.admin.id)
        .execute();
      assert.deepEqual(
        audit.map((row) => `${row.kind}:${row.actor_type}`),
        ['corporate.operator_unlocked:staff'],
      );

      // An operator of another enterprise is not this enterprise's to unlock.
      const wrong = await teller.post(
        `/api/v1/counter/enterprises/${ent.id}/operators/00000000-0000-4000-8000-000000000000/unlock`,
        {},
      );
      assert.equal(wrong.statusCode, 404);
      assert.equal(json(wrong).code, 'corporate.operator_not_found');
    });
  });
}
