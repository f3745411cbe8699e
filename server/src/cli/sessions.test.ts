import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuditLog } from '../audit/index.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';

const ROOT = join(import.meta.dirname, '../../..');

for (const dialect of DIALECTS) {
  describe(`npm run sessions [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/cli/sessions.ts'), ...args],
        {
          env: { ...process.env, DATABASE_URL: t.db.url, JINKU_ENV: 'test', JINKU_SECRET: '22'.repeat(32) },
          encoding: 'utf8',
        },
      );

    test("ends one customer's sessions, then everyone's, on the server, each run audited (ASVS 5.0 7.4.5)", async () => {
      const deps = { config: t.ctx.config, clock: t.clock };
      const one = await createTestCustomer(t.db.handle.kysely, deps);
      const other = await createTestCustomer(t.db.handle.kysely, deps);
      const oneWeb = await signedInClient(t, one);
      const onePhone = await signedInClient(t, one);
      const otherWeb = await signedInClient(t, other);
      const accounts = async (client: typeof oneWeb) => (await client.get('/api/v1/accounts')).statusCode;

      const ended = run('end', '--customer', one.id);
      assert.equal(ended.status, 0, ended.stderr);
      assert.equal(ended.stdout.trim(), 'ended 2 sessions');
      assert.equal(await accounts(oneWeb), 401);
      assert.equal(await accounts(onePhone), 401);
      assert.equal(await accounts(otherWeb), 200, "another customer's session holds");

      const all = run('end', '--all');
      assert.equal(all.status, 0, all.stderr);
      assert.match(all.stdout, /^ended [1-9]\d* sessions?\n$/);
      assert.equal(await accounts(otherWeb), 401);
      assert.equal(await signedInClient(t, other).then(accounts), 200, 'signing in again works');

      const audit = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select(['subject_id', 'details'])
        .where('kind', '=', 'system.sessions_ended')
        .orderBy('at_ms')
        .execute();
      assert.equal(audit.length, 2);
      assert.equal(audit[0]!.subject_id, one.id);
      assert.ok((await verifyAuditLog(t.db.handle.kysely)).ok);
      assert.equal(run('end').status, 2, 'a scope is required');
      assert.equal(run('end', '--all', '--customer', one.id).status, 2, 'and only one');
    });
  });
}
