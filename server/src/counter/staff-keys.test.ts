import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { SoftSecurityKey } from '../testing/webauthn.ts';
import { purgeStaffKeyLogins } from './staff-keys.ts';
import { createTestStaff, staffClient, type TestStaff, totpNow } from './test-support.ts';
import { staffTotpCode } from './totp.ts';

for (const dialect of DIALECTS) {
  describe(`counter staff security keys [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    const auditKinds = async (staffId: string) =>
      (
        await db()
          .selectFrom('audit_log')
          .select('kind')
          .where('actor_id', '=', staffId)
          .orderBy('at_ms')
          .orderBy('seq')
          .execute()
      ).map((row) => row.kind);
    const newKey = (userVerified = true) =>
      new SoftSecurityKey(t.ctx.config.publicOrigin, t.ctx.config.webauthnRpId, userVerified);

    /** The code the authenticator shows one step after the sign-in's (each step is accepted once). */
    const nextCode = (staff: TestStaff) => staffTotpCode(staff.totpSecret, t.clock.nowMs() + 30_000);

    /** Signs the staff member in with TOTP and registers a key from that console. */
    async function registerKey(staff: TestStaff, key = newKey()) {
      const console = await staffClient(t, staff);
      const started = await console.post('/api/v1/counter/keys/registration', { totp: nextCode(staff) });
      assert.equal(started.statusCode, 201, started.body);
      // The clock passes the step just used, so this staff member can sign in again in the same test.
      t.clock.advance(30_000);
      const { registrationId, options } = json(started);
      assert.equal(options.authenticatorSelection.userVerification, 'required');
      assert.equal(options.authenticatorSelection.authenticatorAttachment, 'cross-platform');
      const done = await console.post(`/api/v1/counter/keys/registration/${registrationId}/verify`, {
        credential: key.register(options),
      });
      return { console, done, key };
    }

    test('a signed-in teller registers a key, then signs in with password and key; the attempt works once', async () => {
      const teller = await createTestStaff(t, 'teller');
      const { console, done, key } = await registerKey(teller);
      assert.equal(done.statusCode, 201, done.body);
      const list = json(await console.get('/api/v1/counter/keys'));
      assert.deepEqual(
        list.items.map((k: { id: string; status: string }) => [k.id, k.status]),
        [[json(done).id, 'active']],
      );
      const second = await console.post('/api/v1/counter/keys/registration', { totp: nextCode(teller) });
      assert.equal(json(second).code, 'counter.key_exists');

      const browser = new TestClient(t.app, { sessionPath: '/api/v1/counter/session' });
      const started = await browser.post('/api/v1/counter/login/key', {
        username: teller.username,
        password: teller.password,
      });
      assert.equal(started.statusCode, 200, started.body);
      const { attemptId, options } = json(started);
      assert.equal(options.userVerification, 'required');
      const assertion = key.assert(options);
      const verified = await browser.post(`/api/v1/counter/login/key/${attemptId}/verify`, { credential: assertion });
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal(json(verified).staff.username, teller.username);
      assert.equal(json(await browser.get('/api/v1/counter/session')).authenticated, true);
      const again = await browser.post(`/api/v1/counter/login/key/${attemptId}/verify`, { credential: assertion });
      assert.equal(json(again).code, 'counter.key_attempt_invalid', 'an attempt is answered once');

      const kinds = await auditKinds(teller.id);
      for (const kind of ['counter.key_registered', 'counter.login_password_ok', 'counter.login'])
        assert.ok(kinds.includes(kind), kind);
      const rows = await db().selectFrom('staff_key_login').selectAll().where('staff_id', '=', teller.id).execute();
      assert.equal(rows.length, 1);
      assert.ok(rows[0]!.used_at_ms !== null);
      assert.equal(await purgeStaffKeyLogins(db(), t.clock.nowMs()), 0, 'kept for a day after it expires');
      assert.ok((await purgeStaffKeyLogins(db(), t.clock.nowMs() + 25 * 3_600_000)) >= 1);
    });

    test("adding a key asks the authenticator's code again: a wrong or already used code is refused and counted", async () => {
      const teller = await createTestStaff(t, 'teller');
      const console = await staffClient(t, teller);
      const missing = await console.post('/api/v1/counter/keys/registration', {});
      assert.equal(missing.statusCode, 400, 'the code is required');
      const used = await console.post('/api/v1/counter/keys/registration', { totp: totpNow(t, teller) });
      assert.equal(used.statusCode, 403, used.body);
      assert.equal(json(used).code, 'counter.code_rejected', "the sign-in's own code is not accepted twice");
      const wrong = await console.post('/api/v1/counter/keys/registration', { totp: '000000' });
      assert.equal(json(wrong).code, 'counter.code_rejected');
      const row = await db()
        .selectFrom('staff')
        .select('failed_count')
        .where('id', '=', teller.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.failed_count), 2, 'each wrong code counts towards the lock');
      const kinds = await auditKinds(teller.id);
      assert.equal(kinds.filter((kind) => kind === 'counter.key_code_rejected').length, 2);
      assert.equal(json(await console.get('/api/v1/counter/keys')).items.length, 0, 'no key was started');
      const right = await console.post('/api/v1/counter/keys/registration', { totp: nextCode(teller) });
      assert.equal(right.statusCode, 201, right.body);
      const replay = await console.post('/api/v1/counter/keys/registration', { totp: nextCode(teller) });
      assert.equal(json(replay).code, 'counter.code_rejected', 'a code used to add a key is not accepted again');
    });

    test('wrong username or password answers as for TOTP and counts; no key means key_missing only after the right password', async () => {
      const teller = await createTestStaff(t, 'teller');
      const browser = new TestClient(t.app, { sessionPath: '/api/v1/counter/session', ip: '198.51.100.20' });
      const login = (body: Record<string, string>) => browser.post('/api/v1/counter/login/key', body);
      const unknown = await login({ username: 'nobody-here', password: teller.password });
      const wrong = await login({ username: teller.username, password: 'wrong-one' });
      assert.deepEqual(
        [unknown, wrong].map((a) => [a.statusCode, json(a).code, json(a).detail]),
        [
          [401, 'counter.invalid_credentials', json(unknown).detail],
          [401, 'counter.invalid_credentials', json(unknown).detail],
        ],
      );
      const missing = await login({ username: teller.username, password: teller.password });
      assert.equal(json(missing).code, 'counter.key_missing');
      const row = await db().selectFrom('staff').selectAll().where('id', '=', teller.id).executeTakeFirstOrThrow();
      assert.equal(row.failed_count, 1, 'the wrong password counted');
    });

    test('a wrong key, an expired attempt and a key without its PIN verified are refused; five wrong lock the login', async () => {
      const teller = await createTestStaff(t, 'teller');
      const { key } = await registerKey(teller);
      const browser = new TestClient(t.app, { sessionPath: '/api/v1/counter/session', ip: '198.51.100.21' });
      const start = async () =>
        json(await browser.post('/api/v1/counter/login/key', { username: teller.username, password: teller.password }));

      const other = newKey();
      const first = await start();
      const foreign = await browser.post(`/api/v1/counter/login/key/${first.attemptId}/verify`, {
        credential: other.assert(first.options),
      });
      assert.equal(json(foreign).code, 'counter.key_rejected');

      const second = await start();
      t.clock.advance(5 * 60_000 + 1000);
      const late = await browser.post(`/api/v1/counter/login/key/${second.attemptId}/verify`, {
        credential: key.assert(second.options),
      });
      assert.equal(json(late).code, 'counter.key_attempt_invalid');

      for (let i = 0; i < 4; i++) {
        const attempt = await start();
        await browser.post(`/api/v1/counter/login/key/${attempt.attemptId}/verify`, {
          credential: other.assert(attempt.options),
        });
      }
      const locked = await browser.post('/api/v1/counter/login/key', {
        username: teller.username,
        password: teller.password,
      });
      assert.equal(locked.statusCode, 423, locked.body);
      assert.equal(json(locked).code, 'counter.locked');
      assert.ok((await auditKinds(teller.id)).includes('counter.locked'));
    });

    test('a key whose PIN was not verified is not registered; a removed key no longer signs in', async () => {
      const teller = await createTestStaff(t, 'teller');
      const { done, console } = await registerKey(teller, newKey(false));
      assert.equal(done.statusCode, 422, done.body);
      assert.ok((await auditKinds(teller.id)).includes('counter.key_refused'));
      assert.deepEqual(json(await console.get('/api/v1/counter/keys')).items, []);

      const { done: good, console: again } = await registerKey(teller);
      const keyId = json(good).id;
      assert.equal((await again.delete(`/api/v1/counter/keys/${keyId}`)).statusCode, 204);
      assert.equal(json(await again.delete(`/api/v1/counter/keys/${keyId}`)).code, 'counter.key_not_found');
      const credentials = await db()
        .selectFrom('webauthn_credential')
        .selectAll()
        .where('medium_id', '=', keyId)
        .execute();
      assert.equal(credentials.length, 0, 'the server keeps no removed key');
      const browser = new TestClient(t.app, { sessionPath: '/api/v1/counter/session' });
      const started = await browser.post('/api/v1/counter/login/key', {
        username: teller.username,
        password: teller.password,
      });
      assert.equal(json(started).code, 'counter.key_missing');
      assert.ok((await auditKinds(teller.id)).includes('counter.key_removed'));

      // Another staff member cannot remove someone else's key.
      const { done: theirs } = await registerKey(teller);
      const other = await staffClient(t, await createTestStaff(t, 'supervisor'));
      assert.equal(json(await other.delete(`/api/v1/counter/keys/${json(theirs).id}`)).code, 'counter.key_not_found');
      assert.equal(json(await browser.get('/api/v1/counter/keys')).code, 'counter.session_required');
    });

    test('an address guessing at staff logins is refused for a while, without an audit row each time', async () => {
      const browser = new TestClient(t.app, { sessionPath: '/api/v1/counter/session', ip: '203.0.113.150' });
      const auditCount = async () =>
        Number(
          (
            await db()
              .selectFrom('audit_log')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('kind', '=', 'counter.login_failed')
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (let i = 0; i < 20; i++) {
        const answer = await browser.post('/api/v1/counter/login', {
          username: `guess${i}`,
          password: 'Guess2026!',
          totp: '123456',
        });
        assert.equal(json(answer).code, 'counter.invalid_credentials');
      }
      const before = await auditCount();
      for (const [path, body] of [
        ['/api/v1/counter/login', { username: 'guess99', password: 'Guess2026!', totp: '123456' }],
        ['/api/v1/counter/login/key', { username: 'guess99', password: 'Guess2026!' }],
      ] as const) {
        const refused = await browser.post(path, body);
        assert.equal(refused.statusCode, 429, path);
        assert.equal(json(refused).code, 'request.rate_limited');
      }
      assert.equal(await auditCount(), before, 'a refused guess writes no audit row');
      // Another address is not slowed by it.
      const elsewhere = new TestClient(t.app, { sessionPath: '/api/v1/counter/session', ip: '203.0.113.151' });
      const fine = await elsewhere.post('/api/v1/counter/login', { username: 'guess0', password: 'x', totp: '1' });
      assert.equal(json(fine).code, 'counter.invalid_credentials');
    });
  });
}
