import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { endMaintenance, startMaintenance } from '../auth/index.ts';
import { seedDemoBank } from '../demo/seed.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { ensureTestBank } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { DEMO_STAFF_TOTP_SECRET } from './index.ts';
import { STAFF_IDLE_TIMEOUT_MS } from './staff.ts';
import { createTestStaff, staffClient, totpNow } from './test-support.ts';
import { staffTotpCode } from './totp.ts';

for (const dialect of DIALECTS) {
  describe(`counter staff and sessions [${dialect}]`, () => {
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

    test('the demo teller and supervisor sign in with the TOTP secret API.md gives', async () => {
      await ensureTestBank(db(), t.clock);
      await seedDemoBank(t.ctx);
      for (const [username, password, role] of [
        ['teller01', 'Teller2026!', 'teller'],
        ['super01', 'Super2026!', 'supervisor'],
      ] as const) {
        const client = new TestClient(t.app, { sessionPath: '/api/v1/counter/session' });
        const response = await client.post('/api/v1/counter/login', {
          username,
          password,
          totp: staffTotpCode(DEMO_STAFF_TOTP_SECRET, t.clock.nowMs()),
        });
        assert.equal(response.statusCode, 200, response.body);
        const { staff } = json(response);
        assert.deepEqual(
          { username: staff.username, role: staff.role, branch: staff.branch },
          { username, role, branch: '0001' },
        );
        const cookie = response.cookies.find((c) => c.name === 'jinku_staff_sid');
        assert.ok(cookie?.httpOnly && cookie.sameSite === 'Strict', 'HttpOnly, SameSite=Strict');
        const session = json(await client.get('/api/v1/counter/session'));
        assert.equal(session.authenticated, true);
        assert.equal(session.staff.username, username);
        assert.ok(session.csrfToken.length > 20);
        // The stored session is the token's hash only.
        const rows = await db()
          .selectFrom('staff_session')
          .select('token_hash')
          .where('staff_id', '=', staff.id)
          .execute();
        assert.equal(rows.length, 1);
        assert.notEqual(rows[0]!.token_hash, cookie?.value);
      }
    });

    test('a wrong username, password or code answers one code; the fifth wrong in a row locks; a code is accepted once', async () => {
      const teller = await createTestStaff(t, 'teller');
      const client = new TestClient(t.app, { sessionPath: '/api/v1/counter/session' });
      const login = (body: Record<string, string>) => client.post('/api/v1/counter/login', body);
      const wrongs = [
        { username: 'nobody', password: teller.password, totp: totpNow(t, teller) },
        { username: teller.username, password: 'wrong', totp: totpNow(t, teller) },
        { username: teller.username, password: teller.password, totp: '000000' },
      ];
      const answers = [];
      for (const body of wrongs) answers.push(await login(body));
      assert.deepEqual(
        answers.map((a) => [a.statusCode, json(a).code]),
        Array(3).fill([401, 'counter.invalid_credentials']),
      );
      const first = await login({ username: teller.username, password: teller.password, totp: totpNow(t, teller) });
      assert.equal(first.statusCode, 200);
      const replay = await login({ username: teller.username, password: teller.password, totp: totpNow(t, teller) });
      assert.equal(json(replay).code, 'counter.invalid_credentials', 'the same code twice is refused');
      for (let i = 0; i < 4; i++) await login({ username: teller.username, password: 'wrong', totp: '123456' });
      const row = await db().selectFrom('staff').selectAll().where('id', '=', teller.id).executeTakeFirstOrThrow();
      assert.ok(row.locked_until_ms !== null && row.locked_until_ms > t.clock.nowMs(), 'locked after 5 wrong in a row');
      t.clock.advance(30_000);
      const locked = await login({ username: teller.username, password: teller.password, totp: totpNow(t, teller) });
      assert.equal(locked.statusCode, 423);
      assert.equal(json(locked).code, 'counter.locked');
      const kinds = await auditKinds(teller.id);
      assert.deepEqual(kinds.filter((k) => k === 'counter.login_failed').length, 6);
      assert.ok(kinds.includes('counter.locked'));
      assert.ok(kinds.includes('counter.login_refused_locked'));
      assert.equal(kinds.filter((k) => k === 'counter.login').length, 1);
    });

    test('the session idles out after 5 minutes; logout ends it on the server; sign-in rotates it', async () => {
      const teller = await createTestStaff(t, 'teller');
      const client = await staffClient(t, teller);
      const firstToken = client.cookies.get('jinku_staff_sid');
      t.clock.advance(STAFF_IDLE_TIMEOUT_MS - 30_000);
      assert.equal(json(await client.get('/api/v1/counter/session')).authenticated, true);
      t.clock.advance(STAFF_IDLE_TIMEOUT_MS + 1000);
      assert.equal(json(await client.get('/api/v1/counter/session')).authenticated, false);
      assert.equal(json(await client.get('/api/v1/counter/approvals')).code, 'counter.session_required');

      t.clock.advance(30_000);
      const again = await client.post('/api/v1/counter/login', {
        username: teller.username,
        password: teller.password,
        totp: totpNow(t, teller),
      });
      assert.equal(again.statusCode, 200);
      assert.notEqual(client.cookies.get('jinku_staff_sid'), firstToken, 'a new token at sign-in');
      assert.equal((await client.post('/api/v1/counter/logout')).statusCode, 204);
      const sessions = await db().selectFrom('staff_session').selectAll().where('staff_id', '=', teller.id).execute();
      assert.ok(
        sessions.every((s) => s.revoked_at_ms !== null || s.last_seen_at_ms + STAFF_IDLE_TIMEOUT_MS < t.clock.nowMs()),
      );
      assert.ok((await auditKinds(teller.id)).includes('counter.logout'));
    });

    test("counter state changes need the staff session's CSRF token, not the customer's; the counter works during maintenance", async () => {
      const supervisor = await createTestStaff(t, 'supervisor');
      const client = await staffClient(t, supervisor);
      const noToken = await client.post(
        '/api/v1/counter/approvals/00000000-0000-4000-8000-000000000000/reject',
        { reason: 'x' },
        { 'x-csrf-token': 'forged' },
      );
      assert.equal(json(noToken).code, 'request.csrf');
      const customerToken = json(await client.get('/api/v1/session')).csrfToken;
      const withCustomers = await client.post(
        '/api/v1/counter/approvals/00000000-0000-4000-8000-000000000000/reject',
        { reason: 'x' },
        { 'x-csrf-token': customerToken },
      );
      assert.equal(json(withCustomers).code, 'request.csrf');
      const right = await client.post('/api/v1/counter/approvals/00000000-0000-4000-8000-000000000000/reject', {
        reason: 'x',
      });
      assert.equal(json(right).code, 'counter.approval_not_found');
      const crossSite = await client.post('/api/v1/counter/logout', {}, { origin: 'https://evil.example' });
      assert.equal(json(crossSite).code, 'request.csrf');

      await startMaintenance(
        db(),
        { messageZh: '升级', messageEn: 'Upgrade', untilMs: t.clock.nowMs() + 3600_000 },
        t.clock.nowMs(),
      );
      try {
        assert.equal((await client.get('/api/v1/counter/approvals?state=pending')).statusCode, 200);
      } finally {
        await endMaintenance(db());
      }
    });
  });
}
