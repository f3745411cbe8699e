import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedDemoBank } from '../demo/seed.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { ensureTestBank } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { SoftSecurityKey } from '../testing/webauthn.ts';
import { DEMO_ENTERPRISE } from './demo.ts';
import { corpClient } from './test-support.ts';

for (const dialect of DIALECTS) {
  describe(`the demo enterprise [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
      await ensureTestBank(t.db.handle.kysely, t.clock);
      await seedDemoBank(t.ctx);
    });
    after(() => t.close());

    test('its maker signs in with the README password, registers a key and sees the seeded operators and policy', async () => {
      const client = corpClient(t);
      const key = new SoftSecurityKey(t.ctx.config.publicOrigin, t.ctx.config.webauthnRpId);
      const first = json(
        await client.post('/api/v1/corporate/login', {
          enterpriseCode: DEMO_ENTERPRISE.code,
          operatorCode: '002',
          password: DEMO_ENTERPRISE.password,
        }),
      );
      assert.equal(first.state, 'register_medium');
      const done = json(
        await client.post(`/api/v1/corporate/login/${first.attemptId}/medium`, {
          credential: key.register(first.options),
        }),
      );
      assert.equal(done.state, 'authenticated');
      assert.equal(done.operator.enterprise.name, DEMO_ENTERPRISE.name);
      const accounts = json(await client.get('/api/v1/corporate/accounts')).items;
      assert.deepEqual(
        accounts.map((a: { balance: { amount: string } }) => a.balance.amount),
        ['1000000.00'],
      );
      const policies = json(await client.get('/api/v1/corporate/policies'));
      assert.equal(policies.items.length, 2);
      const operators = json(await client.get('/api/v1/corporate/operators')).items;
      assert.deepEqual(
        operators.map((o: { code: string; role: string }) => `${o.code}:${o.role}`),
        ['001:admin', '002:maker', '003:checker', '004:checker', '005:releaser'],
      );
    });
  });
}
