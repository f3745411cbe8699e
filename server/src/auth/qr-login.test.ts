import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Database } from '../database.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { openDatabase } from '../platform/db/database.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient, TEST_PASSWORD } from '../testing/session.ts';
import { setLoginPassword } from './credentials.ts';
import { QR_FRESH_SESSION_MS, QR_SCANS_PER_HOUR, QR_TTL_MS } from './qr-login.ts';

const DESKTOP_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36';

const sessionCookieSet = (response: LightMyRequestResponse) =>
  (response.cookies as Array<{ name: string; value: string }>).some((c) => c.name === 'jinku_sid' && c.value !== '');

/**
 * QR login (API.md, "Session and login"): a browser's code, approved from the customer's signed-in phone
 * with number matching, gives that browser — and only it — a session, once. Every test runs on SQLite and
 * on PostgreSQL.
 */
for (const dialect of DIALECTS) {
  describe(`QR login [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    let ipCounter = 1;
    const octet = dialect === 'sqlite' ? 41 : 42;
    const desktop = (app = t.app) =>
      new TestClient(app, { ip: `10.${octet}.${ipCounter++}.7`, headers: { 'user-agent': DESKTOP_UA } });

    async function customer(): Promise<TestCustomer> {
      const created = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟' });
      await withTransaction(t.db.handle.kysely, (trx) =>
        setLoginPassword(trx, deps(), created.id, TEST_PASSWORD, { temporary: false }),
      );
      return created;
    }

    /** The customer's phone, signed in to the mobile app (channel mobile) through the real flow. */
    async function phone(holder: TestCustomer, app = t.app): Promise<TestClient> {
      const client = new TestClient(app, {
        ip: `10.${octet + 10}.${ipCounter++}.8`,
        headers: { 'user-agent': PHONE_UA },
      });
      const started = json(
        await client.post('/api/v1/auth/login', {
          identifier: holder.mobile,
          password: TEST_PASSWORD,
          channel: 'mobile',
        }),
      );
      if (started.state === 'challenge') {
        const code = await latestCode(t.db.handle.kysely, holder.mobile);
        const done = json(
          await client.post(`/api/v1/auth/login/${started.attemptId}/verify`, { method: 'sms', response: code }),
        );
        assert.equal(done.state, 'authenticated', JSON.stringify(done));
      } else {
        assert.equal(started.state, 'authenticated', JSON.stringify(started));
      }
      return client;
    }

    async function newQr(client: TestClient) {
      const response = await client.post('/api/v1/auth/qr');
      assert.equal(response.statusCode, 200, response.body);
      return json<{ qrId: string; payload: string; expiresAt: string; matchNumber: number }>(response);
    }
    const poll = (client: TestClient, qrId: string, query = '') => client.get(`/api/v1/auth/qr/${qrId}${query}`);
    const stateOf = async (client: TestClient, qrId: string) => json(await poll(client, qrId)).state as string;
    const scan = (client: TestClient, qrId: string) => client.post(`/api/v1/auth/qr/${qrId}/scan`);
    const approve = (client: TestClient, qrId: string, matchNumber: number, password?: string) =>
      client.post(`/api/v1/auth/qr/${qrId}/approve`, password ? { matchNumber, password } : { matchNumber });
    const wrongNumber = (n: number) => (n === 99 ? 10 : n + 1);
    const auditKinds = async (customerId: string) =>
      (
        await t.db.handle.kysely
          .selectFrom('audit_log')
          .select('kind')
          .where('actor_id', '=', customerId)
          .where('kind', 'like', 'auth.qr%')
          .orderBy('at_ms')
          .execute()
      ).map((row) => row.kind);

    test('the phone approves with the matching number and the browser that asked is signed in', async () => {
      const holder = await customer();
      const browser = desktop();
      const qr = await newQr(browser);
      assert.match(qr.qrId, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(qr.payload, `jinku://qr-login?id=${qr.qrId}`);
      assert.ok(qr.matchNumber >= 10 && qr.matchNumber <= 99);
      assert.ok(Date.parse(qr.expiresAt) - t.clock.nowMs() <= QR_TTL_MS);
      assert.equal(await stateOf(browser, qr.qrId), 'pending');

      const mobile = await phone(holder);
      const scanned = await scan(mobile, qr.qrId);
      assert.equal(scanned.statusCode, 200, scanned.body);
      const { requester, choices, passwordRequired } = json(scanned);
      assert.equal(requester.browser, 'Chrome');
      assert.equal(requester.os, 'Windows');
      assert.match(requester.ip, /^10\./);
      assert.ok(Number.isFinite(Date.parse(requester.at)));
      assert.equal(choices.length, 3);
      assert.equal(new Set(choices).size, 3);
      assert.ok(choices.includes(qr.matchNumber));
      assert.equal(passwordRequired, false);

      // Before the approval the browser learns the state and nothing about the customer.
      const beforeApproval = await poll(browser, qr.qrId);
      assert.deepEqual(json(beforeApproval), { state: 'scanned' });
      assert.equal(sessionCookieSet(beforeApproval), false);

      const approved = await approve(mobile, qr.qrId, qr.matchNumber);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.deepEqual(json(approved), { state: 'approved' });

      const handover = await poll(browser, qr.qrId);
      assert.deepEqual(json(handover), { state: 'approved' });
      assert.equal(sessionCookieSet(handover), true);
      const session = json(await browser.get('/api/v1/session'));
      assert.equal(session.authenticated, true);
      assert.equal(session.customer.id, holder.id);
      assert.equal(session.session.channel, 'web');
      // Signed in: the browser now reads the customer's accounts.
      assert.equal((await browser.get('/api/v1/accounts')).statusCode, 200);

      const logins = await t.db.handle.kysely
        .selectFrom('login_event')
        .select(['channel', 'result'])
        .where('customer_id', '=', holder.id)
        .where('channel', '=', 'web')
        .execute();
      assert.deepEqual(
        logins.map((row) => ({ ...row })),
        [{ channel: 'web', result: 'success' }],
      );
      const devices = await t.db.handle.kysely
        .selectFrom('known_device')
        .select('label')
        .where('customer_id', '=', holder.id)
        .execute();
      assert.ok(
        devices.some((d) => d.label === 'Chrome · Windows'),
        JSON.stringify(devices),
      );
      assert.deepEqual(await auditKinds(holder.id), ['auth.qr_scanned', 'auth.qr_approved', 'auth.qr_session_issued']);
    });

    test('the customer is told by SMS: the new-device notice first, then a QR sign-in notice', async () => {
      const holder = await customer();
      const mobile = await phone(holder);
      const browser = desktop();
      const purposes = async () =>
        (
          await t.db.handle.kysely
            .selectFrom('outbox')
            .select(['purpose', 'text'])
            .where('recipient', '=', holder.mobile)
            .where('purpose', 'in', ['auth.new_device', 'auth.qr_login'])
            .orderBy('created_at_ms')
            .execute()
        ).map((row) => ({ ...row }));
      for (let round = 0; round < 2; round++) {
        const qr = await newQr(browser);
        await scan(mobile, qr.qrId);
        await approve(mobile, qr.qrId, qr.matchNumber);
        assert.equal(sessionCookieSet(await poll(browser, qr.qrId)), true);
      }
      const sent = await purposes();
      // The phone's own sign-in was a new device too; then the browser's first QR sign-in, then its second.
      assert.deepEqual(
        sent.map((m) => m.purpose),
        ['auth.new_device', 'auth.new_device', 'auth.qr_login'],
      );
      assert.match(sent[2]!.text, /扫码登录/);
      assert.match(sent[2]!.text, /Chrome · Windows/);
      // The browser's earlier session ended when the second one began (rotation).
      const live = await t.db.handle.kysely
        .selectFrom('session')
        .select('id')
        .where('customer_id', '=', holder.id)
        .where('channel', '=', 'web')
        .where('revoked_at_ms', 'is', null)
        .execute();
      assert.equal(live.length, 1);
    });

    test('hands the session over exactly once, even to polls that race', async () => {
      const holder = await customer();
      const browser = desktop();
      const qr = await newQr(browser);
      const mobile = await phone(holder);
      await scan(mobile, qr.qrId);
      await approve(mobile, qr.qrId, qr.matchNumber);
      const polls = await Promise.all([poll(browser, qr.qrId), poll(browser, qr.qrId), poll(browser, qr.qrId)]);
      assert.deepEqual(
        polls.map((p) => json(p).state),
        ['approved', 'approved', 'approved'],
      );
      assert.equal(polls.filter(sessionCookieSet).length, 1);
      const later = await poll(browser, qr.qrId);
      assert.equal(json(later).state, 'approved');
      assert.equal(sessionCookieSet(later), false);
      const sessions = await t.db.handle.kysely
        .selectFrom('session')
        .select('id')
        .where('customer_id', '=', holder.id)
        .where('channel', '=', 'web')
        .execute();
      assert.equal(sessions.length, 1);
    });

    test('only the browser that asked may poll; another browser learns nothing and gets no session', async () => {
      const holder = await customer();
      const browser = desktop();
      const qr = await newQr(browser);
      const stranger = desktop();
      await newQr(stranger); // a cookie of its own, for another request
      assert.equal((await poll(stranger, qr.qrId)).statusCode, 404);
      assert.equal(json(await poll(stranger, qr.qrId)).code, 'auth.qr_not_found');
      assert.equal((await poll(desktop(), qr.qrId)).statusCode, 404);

      const mobile = await phone(holder);
      await scan(mobile, qr.qrId);
      await approve(mobile, qr.qrId, qr.matchNumber);
      const stolen = await poll(stranger, qr.qrId);
      assert.equal(stolen.statusCode, 404);
      assert.equal(sessionCookieSet(stolen), false);
      assert.equal(json(await stranger.get('/api/v1/session')).authenticated, false);
      assert.equal(sessionCookieSet(await poll(browser, qr.qrId)), true);
    });

    test('a wrong number denies the request for good', async () => {
      const holder = await customer();
      const browser = desktop();
      const qr = await newQr(browser);
      const mobile = await phone(holder);
      await scan(mobile, qr.qrId);
      const wrong = await approve(mobile, qr.qrId, wrongNumber(qr.matchNumber));
      assert.equal(wrong.statusCode, 422);
      assert.equal(json(wrong).code, 'auth.qr_wrong_number');
      assert.equal(await stateOf(browser, qr.qrId), 'denied');
      const retry = await approve(mobile, qr.qrId, qr.matchNumber);
      assert.equal(retry.statusCode, 409);
      assert.equal(json(retry).code, 'auth.qr_used');
      const after = await poll(browser, qr.qrId);
      assert.equal(json(after).state, 'denied');
      assert.equal(sessionCookieSet(after), false);
      assert.deepEqual(await auditKinds(holder.id), ['auth.qr_scanned', 'auth.qr_denied']);
    });

    test('the phone may deny; the browser is told and gets no session', async () => {
      const holder = await customer();
      const browser = desktop();
      const qr = await newQr(browser);
      const mobile = await phone(holder);
      await scan(mobile, qr.qrId);
      const denied = await mobile.post(`/api/v1/auth/qr/${qr.qrId}/deny`);
      assert.equal(denied.statusCode, 200, denied.body);
      assert.deepEqual(json(denied), { state: 'denied' });
      assert.equal(await stateOf(browser, qr.qrId), 'denied');
      assert.equal((await approve(mobile, qr.qrId, qr.matchNumber)).statusCode, 409);
    });

    test('a web session may neither scan nor approve, and no session may not at all', async () => {
      const holder = await customer();
      const browser = desktop();
      const qr = await newQr(browser);
      const web = await signedInClient(t, holder);
      const scanned = await scan(web, qr.qrId);
      assert.equal(scanned.statusCode, 403);
      assert.equal(json(scanned).code, 'auth.qr_mobile_only');
      const anonymous = await scan(desktop(), qr.qrId);
      assert.equal(anonymous.statusCode, 401);
      assert.equal(await stateOf(browser, qr.qrId), 'pending');

      const mobile = await phone(holder);
      await scan(mobile, qr.qrId);
      const byWeb = await approve(web, qr.qrId, qr.matchNumber);
      assert.equal(byWeb.statusCode, 403);
      assert.equal(json(byWeb).code, 'auth.qr_mobile_only');
      assert.equal(await stateOf(browser, qr.qrId), 'scanned');
    });

    test('a request is scanned once; a second scan is refused, by the same phone or another', async () => {
      const holder = await customer();
      const other = await customer();
      const browser = desktop();
      const qr = await newQr(browser);
      const mobile = await phone(holder);
      assert.equal((await scan(mobile, qr.qrId)).statusCode, 200);
      const again = await scan(mobile, qr.qrId);
      assert.equal(again.statusCode, 409);
      assert.equal(json(again).code, 'auth.qr_used');
      const otherPhone = await phone(other);
      assert.equal((await scan(otherPhone, qr.qrId)).statusCode, 409);
      // The other customer's phone cannot decide a request it did not scan.
      assert.equal((await approve(otherPhone, qr.qrId, qr.matchNumber)).statusCode, 404);
      assert.equal((await otherPhone.post(`/api/v1/auth/qr/${qr.qrId}/deny`)).statusCode, 404);
      assert.equal(await stateOf(browser, qr.qrId), 'scanned');
    });

    test('an expired request is neither scanned nor approved and never yields a session', async () => {
      const holder = await customer();
      // Two browsers: the test client keeps one QR cookie, where a real browser keeps one per request path.
      const browser = desktop();
      const unscanned = await newQr(browser);
      const mobile = await phone(holder);
      const secondBrowser = desktop();
      const scannedLate = await newQr(secondBrowser);
      await scan(mobile, scannedLate.qrId);
      t.clock.advance(QR_TTL_MS + 1000);
      assert.equal(await stateOf(browser, unscanned.qrId), 'expired');
      assert.equal(await stateOf(secondBrowser, scannedLate.qrId), 'expired');
      const tooLate = await scan(mobile, unscanned.qrId);
      assert.equal(tooLate.statusCode, 410);
      assert.equal(json(tooLate).code, 'auth.qr_expired');
      const approveLate = await approve(mobile, scannedLate.qrId, scannedLate.matchNumber);
      assert.equal(approveLate.statusCode, 410);
      assert.equal(sessionCookieSet(await poll(secondBrowser, scannedLate.qrId)), false);
    });

    test('a phone session older than five minutes confirms the approval with the login password', async () => {
      const holder = await customer();
      const mobile = await phone(holder);
      t.clock.advance(QR_FRESH_SESSION_MS + 1000);
      await mobile.get('/api/v1/session'); // the session is still live (idle timeout 10 minutes)
      const browser = desktop();
      const qr = await newQr(browser);
      const scanned = json(await scan(mobile, qr.qrId));
      assert.equal(scanned.passwordRequired, true);
      const bare = await approve(mobile, qr.qrId, qr.matchNumber);
      assert.equal(bare.statusCode, 403);
      assert.equal(json(bare).code, 'auth.qr_password_required');
      const wrong = await approve(mobile, qr.qrId, qr.matchNumber, 'not-my-password');
      assert.equal(wrong.statusCode, 401);
      assert.equal(json(wrong).code, 'auth.password_wrong');
      assert.equal(await stateOf(browser, qr.qrId), 'scanned');
      const right = await approve(mobile, qr.qrId, qr.matchNumber, TEST_PASSWORD);
      assert.equal(right.statusCode, 200, right.body);
      assert.equal(sessionCookieSet(await poll(browser, qr.qrId)), true);
    });

    test('long polling answers as soon as the phone scans', async () => {
      const holder = await customer();
      const browser = desktop();
      const qr = await newQr(browser);
      const mobile = await phone(holder);
      const waiting = poll(browser, qr.qrId, '?after=pending');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await scan(mobile, qr.qrId);
      assert.equal(json(await waiting).state, 'scanned');
    });

    test('another server instance on the same database answers every step', async () => {
      const holder = await customer();
      const handle = openDatabase<Database>(t.db.url, { poolSize: 4 });
      const t2 = await createTestApp(dialect, { db: { url: t.db.url, handle, drop: async () => {} } });
      try {
        t2.clock.setOffset(t.clock.offsetMs());
        const browser = desktop();
        const qr = await newQr(browser);
        // The same browser (its cookies) reaching the second instance.
        const sameBrowserOn2 = new TestClient(t2.app, { ip: '10.99.0.7', headers: { 'user-agent': DESKTOP_UA } });
        for (const [name, value] of browser.cookies) sameBrowserOn2.cookies.set(name, value);
        const mobile = await phone(holder, t2.app);
        assert.equal((await scan(mobile, qr.qrId)).statusCode, 200);
        assert.equal(await stateOf(browser, qr.qrId), 'scanned');
        assert.equal((await approve(mobile, qr.qrId, qr.matchNumber)).statusCode, 200);
        const handover = await poll(sameBrowserOn2, qr.qrId);
        assert.equal(json(handover).state, 'approved');
        assert.equal(sessionCookieSet(handover), true);
        assert.equal(sessionCookieSet(await poll(browser, qr.qrId)), false);
        // The session opened by the second instance holds on the first.
        for (const [name, value] of sameBrowserOn2.cookies) browser.cookies.set(name, value);
        assert.equal(json(await browser.get('/api/v1/session')).authenticated, true);
      } finally {
        await t2.close();
        await handle.close();
      }
    });

    test(`a customer's phones scan at most ${QR_SCANS_PER_HOUR} QR logins an hour`, async () => {
      const holder = await customer();
      const mobile = await phone(holder);
      const browser = desktop();
      for (let i = 0; i < QR_SCANS_PER_HOUR; i++) {
        const qr = await newQr(browser);
        assert.equal((await scan(mobile, qr.qrId)).statusCode, 200);
      }
      const qr = await newQr(browser);
      const refused = await scan(mobile, qr.qrId);
      assert.equal(refused.statusCode, 429);
      assert.equal(json(refused).code, 'auth.qr_too_many');
      assert.equal(await stateOf(browser, qr.qrId), 'pending');
    });
  });
}
