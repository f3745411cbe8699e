import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setLoginPassword } from './index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { TEST_PASSWORD } from '../testing/session.ts';

const BEIJING_IP = '123.125.114.144';
const US_IP = '8.8.8.8';

/** A browser at an address (or behind a proxy that names one) signs in with password and SMS code. */
async function signInFrom(t: TestApp, customer: TestCustomer, client: TestClient) {
  const started = json(
    await client.post('/api/v1/auth/login', { identifier: customer.mobile, password: TEST_PASSWORD, channel: 'web' }),
  );
  const done =
    started.state === 'challenge'
      ? json(
          await client.post(`/api/v1/auth/login/${started.attemptId}/verify`, {
            method: 'sms',
            response: await latestCode(t.db.handle.kysely, customer.mobile),
          }),
        )
      : started;
  assert.equal(done.state, 'authenticated', JSON.stringify(done));
  // The next sign-in's code must not wait for this one's resend minute.
  t.clock.advance(61_000);
  return done;
}

async function newCustomer(t: TestApp) {
  const customer = await createTestCustomer(t.db.handle.kysely, { config: t.ctx.config, clock: t.clock });
  await withTransaction(t.db.handle.kysely, (trx) =>
    setLoginPassword(trx, { config: t.ctx.config, clock: t.clock }, customer.id, TEST_PASSWORD, { temporary: false }),
  );
  return customer;
}

for (const dialect of DIALECTS) {
  describe(`the last sign-in's time and place [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('the session names the sign-in before this one: its time and the place of its address', async () => {
      const customer = await newCustomer(t);
      const inBeijing = new TestClient(t.app, { ip: BEIJING_IP });
      const first = await signInFrom(t, customer, inBeijing);
      // A first sign-in has none before it.
      assert.equal(first.customer.lastLoginAt, null);
      assert.equal(first.customer.lastLoginPlace, null);
      const firstSession = json(await inBeijing.get('/api/v1/session'));
      assert.equal(firstSession.customer.lastLoginPlace, null, 'the session asking is not its own last sign-in');

      const atHome = new TestClient(t.app, { ip: '127.0.0.1' });
      const second = await signInFrom(t, customer, atHome);
      assert.deepEqual(second.customer.lastLoginPlace, { kind: 'china', zh: '北京', en: 'Beijing' });
      const session = json(await atHome.get('/api/v1/session'));
      assert.deepEqual(session.customer.lastLoginPlace, { kind: 'china', zh: '北京', en: 'Beijing' });
      // The time is the Beijing sign-in's, not this session's.
      assert.equal(session.customer.lastLoginAt, second.customer.lastLoginAt);
      assert.ok(Date.parse(session.customer.lastLoginAt) < Date.parse(session.session.createdAt));

      // A third sign-in sees the second, from the loopback address: the private network.
      const third = await signInFrom(t, customer, new TestClient(t.app, { ip: '10.20.30.40' }));
      assert.deepEqual(third.customer.lastLoginPlace, { kind: 'private', zh: '内网', en: 'private network' });
    });

    test('the security centre names the place of every session, device and sign-in', async () => {
      const customer = await newCustomer(t);
      await signInFrom(t, customer, new TestClient(t.app, { ip: BEIJING_IP }));
      const here = new TestClient(t.app, { ip: '192.168.1.20' });
      await signInFrom(t, customer, here);
      const sessions = json(await here.get('/api/v1/security/sessions')).items as Array<{
        ip: string;
        place: { zh: string };
      }>;
      assert.deepEqual(sessions.map((s) => [s.ip, s.place.zh]).sort(), [
        ['123.125.114.144', '北京'],
        ['192.168.1.20', '内网'],
      ]);
      const devices = json(await here.get('/api/v1/security/devices')).items as Array<{ lastPlace: { zh: string } }>;
      assert.deepEqual(devices.map((d) => d.lastPlace.zh).sort(), ['内网', '北京']);
      const logins = json(await here.get('/api/v1/security/logins')).items as Array<{ place: { en: string } }>;
      assert.deepEqual(logins.map((l) => l.place.en).sort(), ['Beijing', 'private network']);
    });

    test('a new-device message names the place of the address', async () => {
      const customer = await newCustomer(t);
      await signInFrom(t, customer, new TestClient(t.app, { ip: BEIJING_IP }));
      const sms = await t.db.handle.kysely
        .selectFrom('outbox')
        .select('text')
        .where('purpose', '=', 'auth.new_device')
        .where('recipient', '=', customer.mobile)
        .execute();
      assert.equal(sms.length, 1);
      assert.match(sms[0]!.text, /在新设备（.+，北京）登录/);
    });
  });

  describe(`client addresses behind a trusted proxy [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { env: { JINKU_TRUST_PROXY: 'true' } });
    });
    after(() => t.close());

    test('X-Forwarded-For from the trusted proxy is the client: its place is looked up', async () => {
      const customer = await newCustomer(t);
      // The proxy on the loopback address forwards a browser in the United States.
      const browser = new TestClient(t.app, { ip: '127.0.0.1', headers: { 'x-forwarded-for': US_IP } });
      await signInFrom(t, customer, browser);
      const sessions = json(await browser.get('/api/v1/security/sessions')).items as Array<{
        ip: string;
        place: { zh: string; en: string };
      }>;
      assert.equal(sessions[0]?.ip, US_IP);
      assert.deepEqual(sessions[0]?.place, { kind: 'abroad', zh: '美国', en: 'United States' });
      await signInFrom(t, customer, new TestClient(t.app, { ip: '127.0.0.1' }));
      const later = new TestClient(t.app, { ip: '127.0.0.1' });
      const answer = await signInFrom(t, customer, later);
      assert.equal(answer.customer.lastLoginPlace.zh, '内网');
    });
  });
}
