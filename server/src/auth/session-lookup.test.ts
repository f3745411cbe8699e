import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../database.ts';
import { migrations } from '../migrations.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { createTestDatabaseUrl } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';

// On PostgreSQL the sessions of requests that arrive together are read in one query (sessions.ts).
describe('session lookups on PostgreSQL, read together', () => {
  let t: TestApp;
  const sessionReads: string[] = [];
  before(async () => {
    const { url, drop } = await createTestDatabaseUrl('postgres');
    const handle = openDatabase<Database>(url, {
      poolSize: 10,
      onQuery: (sql) => {
        if (/from "session"/.test(sql) && /^select/i.test(sql.trim())) sessionReads.push(sql);
      },
    });
    await migrateToLatest(handle.kysely, migrations);
    t = await createTestApp('postgres', {
      db: {
        url,
        handle,
        drop: async () => {
          await handle.close();
          await drop();
        },
      },
    });
  });
  after(async () => {
    await t.close();
    await t.db.drop();
  });

  test('each request gets its own session, one query serves many, and a revoked session is refused at once', async () => {
    const deps = { config: t.ctx.config, clock: t.clock };
    const customers = await Promise.all(
      ['张伟', '李娜', '王芳'].map((name) => createTestCustomer(t.db.handle.kysely, deps, { name })),
    );
    const clients = [];
    for (const customer of customers) clients.push(await signedInClient(t, customer));
    // Requests sent at once usually have their sessions read together; a few bursts make sure some did.
    let sharedARead = false;
    for (let burst = 0; burst < 10 && !sharedARead; burst++) {
      const readsBefore = sessionReads.length;
      const answers = await Promise.all(
        clients.flatMap((client) => [client.get('/api/v1/accounts'), client.get('/api/v1/accounts')]),
      );
      answers.forEach((answer, i) => {
        assert.equal(answer.statusCode, 200);
        const customer = customers[Math.floor(i / 2)]!;
        assert.deepEqual(
          json(answer).items.map((a: { id: string }) => a.id),
          customer.accounts.map((a) => a.id),
        );
      });
      sharedARead = sessionReads.length - readsBefore < answers.length;
    }
    assert.ok(sharedARead, 'some requests had their sessions read in one query');

    // Logging out ends the session for the very next request, read together with others or not.
    const [first, second] = clients as [(typeof clients)[0], (typeof clients)[0]];
    assert.equal((await first.post('/api/v1/auth/logout')).statusCode, 204);
    const [gone, still] = await Promise.all([first.get('/api/v1/accounts'), second.get('/api/v1/accounts')]);
    assert.equal(gone.statusCode, 401);
    assert.equal(json(gone).code, 'auth.session_required');
    assert.equal(still.statusCode, 200);
  });
});
