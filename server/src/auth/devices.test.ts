import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient, TEST_PASSWORD } from '../testing/session.ts';
import { authMigrations } from './migrations.ts';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

for (const dialect of DIALECTS) {
  describe(`known devices [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    /** Signs the browser in with its password, answering the SMS code when one is asked. */
    async function signIn(client: TestClient, mobile: string) {
      const started = json(await client.post('/api/v1/auth/login', { identifier: mobile, password: TEST_PASSWORD }));
      if (started.state === 'challenge') {
        const code = await latestCode(t.db.handle.kysely, mobile);
        const done = await client.post(`/api/v1/auth/login/${started.attemptId}/verify`, {
          method: 'sms',
          response: code,
        });
        assert.equal(json(done).state, 'authenticated', done.body);
      } else {
        assert.equal(started.state, 'authenticated');
      }
      t.clock.advance(61_000);
      return started.state as string;
    }

    test('the same browser signing in again, even from another network, stays one device', async () => {
      const zhou = await createTestCustomer(
        t.db.handle.kysely,
        { config: t.ctx.config, clock: t.clock },
        { name: '周敏' },
      );
      await signedInClient(t, zhou); // sets the password; another browser
      const headers = { 'user-agent': CHROME_WINDOWS };
      const home = new TestClient(t.app, { ip: '10.1.1.7', headers });
      assert.equal(await signIn(home, zhou.mobile), 'challenge', 'a new browser is asked for a code');
      assert.equal((await home.post('/api/v1/auth/logout')).statusCode, 204);
      assert.equal(await signIn(home, zhou.mobile), 'authenticated', 'the same browser on the same network is not');
      assert.equal((await home.post('/api/v1/auth/logout')).statusCode, 204);
      const travelling = new TestClient(t.app, { ip: '10.9.9.9', headers });
      for (const [name, value] of home.cookies) travelling.cookies.set(name, value);
      assert.equal(await signIn(travelling, zhou.mobile), 'challenge', 'a new network asks for a code');
      const devices = json(await travelling.get('/api/v1/security/devices')).items;
      assert.equal(devices.length, 2, JSON.stringify(devices));
      const mine = devices.filter((d: { label: string }) => d.label === 'Chrome · Windows');
      assert.equal(mine.length, 1, 'one entry for this browser, named plainly');
      assert.match(mine[0].firstSeenAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.equal(mine[0].lastIp, '10.9.9.9', 'the address of its latest sign-in');
      const sessions = json(await travelling.get('/api/v1/security/sessions')).items;
      const current = sessions.find((s: { current: boolean }) => s.current);
      assert.equal(current.device, 'Chrome · Windows');
      assert.equal(current.ip, '10.9.9.9');
    });

    test('devices and sign-ins named before read plainly too ("Chrome on Linux" becomes "Chrome · Linux")', async () => {
      const db = t.db.handle.kysely;
      const lin = await createTestCustomer(db, { config: t.ctx.config, clock: t.clock }, { name: '林静' });
      const client = await signedInClient(t, lin);
      await db
        .updateTable('known_device')
        .set({ label: 'Chrome on Linux' })
        .where('customer_id', '=', lin.id)
        .execute();
      await db
        .updateTable('login_event')
        .set({ device: 'Firefox on Windows' })
        .where('customer_id', '=', lin.id)
        .execute();
      await authMigrations['0304_plain_device_labels']!.up(db);
      const devices = json(await client.get('/api/v1/security/devices')).items;
      assert.deepEqual(
        devices.map((d: { label: string }) => d.label),
        ['Chrome · Linux'],
      );
      const logins = json(await client.get('/api/v1/security/logins')).items;
      assert.ok(logins.every((l: { device: string }) => l.device === 'Firefox · Windows'));
    });
  });
}
