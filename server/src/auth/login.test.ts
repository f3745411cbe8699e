import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chinaDateTime } from '../platform/business-day.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { setLoginName, setLoginPassword, setUsername } from './credentials.ts';
import { TEMPORARY_PASSWORD_VALID_MS } from './login.ts';

const PASSWORD = 'Qiang2026x';

for (const dialect of DIALECTS) {
  describe(`sign-in [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    let ipCounter = 1;
    /** Each test speaks from its own address, so failures in one test do not ask for captchas in another. */
    const browser = () => new TestClient(t.app, { ip: `10.${dialect === 'sqlite' ? 1 : 2}.${ipCounter++}.7` });

    async function customerWithLogin(
      options: { temporary?: boolean; status?: 'active' | 'not_activated'; username?: string } = {},
    ) {
      const customer = await createTestCustomer(t.db.handle.kysely, deps(), {
        name: '陈强',
        ...(options.status ? { status: options.status } : {}),
      });
      await withTransaction(t.db.handle.kysely, async (trx) => {
        await setLoginPassword(trx, deps(), customer.id, options.temporary ? '20261122' : PASSWORD, {
          temporary: options.temporary ?? false,
        });
        if (options.username) await setUsername(trx, customer.id, options.username);
      });
      return customer;
    }

    async function captcha(client: TestClient) {
      const { captchaId } = json((await client.get('/api/v1/auth/captcha')) as never) as { captchaId: string };
      const { answer } = json(await client.get(`/api/v1/dev/captcha/${captchaId}`)) as { answer: string };
      return { captchaId, captchaAnswer: answer.toLowerCase() };
    }

    /** Signs in through the whole flow (SMS step-up on a new device included). */
    async function signIn(client: TestClient, customer: TestCustomer, identifier = customer.mobile, extra = {}) {
      let response = await client.post('/api/v1/auth/login', {
        identifier,
        password: PASSWORD,
        channel: 'web',
        ...extra,
      });
      let body = json(response);
      if (body.state === 'challenge') {
        response = await client.post(`/api/v1/auth/login/${body.attemptId}/verify`, {
          method: 'sms',
          response: await latestCode(t.db.handle.kysely, customer.mobile),
        });
        body = json(response);
      }
      return { response, body };
    }

    test('signs in with card number, account number, mobile, username and login name', async () => {
      const username = `user${ipCounter}${dialect}`;
      const customer = await customerWithLogin({ username });
      await withTransaction(t.db.handle.kysely, (trx) => setLoginName(trx, customer.id, `Chen_${dialect}1`));
      const card = customer.accounts[0]!.card_number!;
      const spaced = card.replace(/(\d{4})/g, '$1 ');
      for (const identifier of [
        spaced,
        customer.accounts[0]!.account_number,
        customer.mobile,
        username.toUpperCase(),
        `chen_${dialect}1`,
      ]) {
        // Each new browser gets an SMS code; a new code for the same mobile waits a minute.
        t.clock.advance(61_000);
        const client = browser();
        const { body } = await signIn(client, customer, identifier);
        assert.equal(body.state, 'authenticated', `signed in with ${identifier.length}-character identifier`);
        assert.equal(body.customer.name, '陈强');
        const session = json(await client.get('/api/v1/session'));
        assert.equal(session.authenticated, true);
      }
    });

    test('an unknown identifier and a wrong password get the same answer', async () => {
      const customer = await customerWithLogin();
      const wrong = await browser().post('/api/v1/auth/login', {
        identifier: customer.mobile,
        password: 'Wrong2026x',
        channel: 'web',
      });
      const unknown = await browser().post('/api/v1/auth/login', {
        identifier: '13999999999',
        password: 'Wrong2026x',
        channel: 'web',
      });
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, wrong.statusCode);
      const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
      assert.deepEqual(strip(json(unknown)), strip(json(wrong)));
      assert.equal(json(wrong).code, 'auth.invalid_credentials');
    });

    test('asks for the captcha after a failure, and refuses a wrong one', async () => {
      const customer = await customerWithLogin();
      const client = browser();
      await client.post('/api/v1/auth/login', { identifier: customer.mobile, password: 'Wrong2026x', channel: 'web' });
      const again = await browser().post('/api/v1/auth/login', {
        identifier: customer.mobile,
        password: PASSWORD,
        channel: 'web',
      });
      assert.equal(
        json(again).code,
        'auth.captcha_required',
        'the identifier had a failure: any browser needs a captcha',
      );
      const bad = await client.post('/api/v1/auth/login', {
        identifier: customer.mobile,
        password: PASSWORD,
        channel: 'web',
        captchaId: (await captcha(client)).captchaId,
        captchaAnswer: 'ZZZZ',
      });
      assert.equal(json(bad).code, 'auth.captcha_invalid');
      const { body } = await signIn(client, customer, customer.mobile, await captcha(client));
      assert.equal(body.state, 'authenticated');
    });

    test('locks the login after 5 wrong passwords, tells the customer by SMS, and unlocks after the period', async () => {
      const customer = await customerWithLogin();
      const client = browser();
      let last: Record<string, unknown> = {};
      for (let i = 1; i <= 5; i++) {
        last = json(
          await client.post('/api/v1/auth/login', {
            identifier: customer.mobile,
            password: `Wrong${i}abc`,
            channel: 'web',
            ...(await captcha(client)),
          }),
        );
      }
      assert.equal(last.code, 'auth.locked');
      const sms = await t.db.handle.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', customer.mobile)
        .where('purpose', '=', 'auth.locked')
        .execute();
      assert.equal(sms.length, 1);
      // A person reads the lock's end in the bank's local time, the same in the SMS and the answer.
      const localEnd = chinaDateTime(Date.parse(String(last.lockedUntil)));
      assert.ok(sms[0]?.text.includes(`${localEnd}（北京时间）`), sms[0]?.text);
      assert.ok(String(last.detail).includes(localEnd), String(last.detail));
      assert.doesNotMatch(`${sms[0]?.text} ${last.detail}`, /UTC|T\d{2}:\d{2}/);
      const audit = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('subject_id', '=', customer.id)
        .where('kind', '=', 'auth.locked')
        .execute();
      assert.equal(audit.length, 1);
      const stillLocked = json(
        await client.post('/api/v1/auth/login', {
          identifier: customer.mobile,
          password: PASSWORD,
          channel: 'web',
          ...(await captcha(client)),
        }),
      );
      assert.equal(stillLocked.code, 'auth.locked', 'the right password shows the lock');
      t.clock.advance(t.ctx.config.loginLockSeconds * 1000 + 1000);
      const { body } = await signIn(client, customer, customer.mobile, await captcha(client));
      assert.equal(body.state, 'authenticated');
    });

    test('a new device must answer an SMS code; a known one does not, and the customer hears of the new one', async () => {
      const customer = await customerWithLogin();
      const client = browser();
      const first = json(
        await client.post('/api/v1/auth/login', { identifier: customer.mobile, password: PASSWORD, channel: 'web' }),
      );
      assert.equal(first.state, 'challenge');
      assert.equal(first.challenge.method, 'sms');
      assert.match(first.challenge.maskedMobile, /^\d{3}\*{4}\d{4}$/);
      const wrong = await client.post(`/api/v1/auth/login/${first.attemptId}/verify`, {
        method: 'sms',
        response: '000000',
      });
      assert.equal(wrong.statusCode, 422);
      assert.equal(json(wrong).code, 'media.wrong_answer');
      assert.equal(json(wrong).triesLeft, 4);
      const ok = json(
        await client.post(`/api/v1/auth/login/${first.attemptId}/verify`, {
          method: 'sms',
          response: await latestCode(t.db.handle.kysely, customer.mobile),
        }),
      );
      assert.equal(ok.state, 'authenticated');
      const notice = await t.db.handle.kysely
        .selectFrom('outbox')
        .select('id')
        .where('recipient', '=', customer.mobile)
        .where('purpose', '=', 'auth.new_device')
        .execute();
      assert.equal(notice.length, 1);
      const replay = await client.post(`/api/v1/auth/login/${first.attemptId}/verify`, {
        method: 'sms',
        response: '000000',
      });
      assert.equal(json(replay).code, 'auth.attempt_expired', 'an attempt is used once');
      await client.post('/api/v1/auth/logout');
      const second = json(
        await client.post('/api/v1/auth/login', { identifier: customer.mobile, password: PASSWORD, channel: 'web' }),
      );
      assert.equal(second.state, 'authenticated', 'same device, same network: no code');
    });

    test('a counter-registered customer must change the temporary password first', async () => {
      const customer = await customerWithLogin({ temporary: true, status: 'not_activated' });
      const client = browser();
      const first = json(
        await client.post('/api/v1/auth/login', { identifier: customer.mobile, password: '20261122', channel: 'web' }),
      );
      assert.equal(first.state, 'change_password');
      const weak = await client.post(`/api/v1/auth/login/${first.attemptId}/password`, { newPassword: 'abcdefgh' });
      assert.equal(json(weak).code, 'auth.password_policy');
      const changed = json(
        await client.post(`/api/v1/auth/login/${first.attemptId}/password`, { newPassword: PASSWORD }),
      );
      assert.equal(changed.state, 'challenge', 'then the security check');
      const ok = json(
        await client.post(`/api/v1/auth/login/${first.attemptId}/verify`, {
          method: 'sms',
          response: await latestCode(t.db.handle.kysely, customer.mobile),
        }),
      );
      assert.equal(ok.state, 'authenticated');
      const row = await t.db.handle.kysely
        .selectFrom('customer')
        .select('status')
        .where('id', '=', customer.id)
        .executeTakeFirst();
      assert.equal(row?.status, 'active');
    });

    test('a temporary password more than 30 days old no longer signs in, and says so only to its holder', async () => {
      const customer = await customerWithLogin({ temporary: true, status: 'not_activated' });
      const givenAt = (ageMs: number) =>
        t.db.handle.kysely
          .updateTable('login_credential')
          .set({ password_changed_at_ms: t.clock.nowMs() - ageMs })
          .where('customer_id', '=', customer.id)
          .execute();
      const client = browser();
      // With the picture code answered: a wrong password of this test (or of earlier ones) may ask for it.
      const login = async (password: string) =>
        client.post('/api/v1/auth/login', {
          identifier: customer.mobile,
          password,
          channel: 'web',
          ...(await captcha(client)),
        });
      await givenAt(TEMPORARY_PASSWORD_VALID_MS - 60_000);
      assert.equal(json(await login('20261122')).state, 'change_password', 'a day short of the limit it still works');

      await givenAt(TEMPORARY_PASSWORD_VALID_MS + 60_000);
      const wrong = await login('20261121');
      assert.equal(json(wrong).code, 'auth.invalid_credentials', 'a wrong password learns nothing of the expiry');
      const expired = await login('20261122');
      assert.equal(expired.statusCode, 403, expired.body);
      assert.equal(json(expired).code, 'auth.temporary_password_expired');
      const audited = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('subject_id', '=', customer.id)
        .where('kind', '=', 'auth.temporary_password_expired')
        .execute();
      assert.equal(audited.length, 1);
      const credential = await t.db.handle.kysely
        .selectFrom('login_credential')
        .select('failed_count')
        .where('customer_id', '=', customer.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(credential.failed_count), 0, 'the right password clears the wrong one before it');
    });

    test('tells a suspended, closed or investigated customer why, only after the right password', async () => {
      for (const [status, code] of [
        ['suspended', 'auth.account_frozen'],
        ['closed', 'auth.account_closed'],
        ['under_investigation', 'auth.under_investigation'],
      ] as const) {
        const customer = await customerWithLogin();
        await t.db.handle.kysely.updateTable('customer').set({ status }).where('id', '=', customer.id).execute();
        const wrong = json(
          await browser().post('/api/v1/auth/login', {
            identifier: customer.mobile,
            password: 'Wrong2026x',
            channel: 'web',
          }),
        );
        assert.equal(wrong.code, 'auth.invalid_credentials');
        const right = json(
          await browser().post('/api/v1/auth/login', {
            identifier: customer.mobile,
            password: PASSWORD,
            channel: 'web',
            ...(await captcha(browser())),
          }),
        );
        assert.equal(right.code, code);
      }
    });

    test('sessions rotate at sign-in, end at logout, and expire when idle or too old', async () => {
      const customer = await customerWithLogin();
      const client = browser();
      await signIn(client, customer);
      const firstToken = client.cookies.get('jinku_sid');
      await client.post('/api/v1/auth/logout');
      assert.equal((await client.get('/api/v1/accounts')).statusCode, 401, 'logged out on the server');
      client.cookies.set('jinku_sid', firstToken ?? '');
      assert.equal(
        (await client.get('/api/v1/accounts')).statusCode,
        401,
        'the old token is dead, not just the cookie',
      );
      await signIn(client, customer);
      assert.notEqual(client.cookies.get('jinku_sid'), firstToken);
      assert.equal((await client.get('/api/v1/accounts')).statusCode, 200);
      t.clock.advance((t.ctx.config.sessionIdleTimeoutSeconds + 1) * 1000);
      assert.equal((await client.get('/api/v1/accounts')).statusCode, 401, 'idle timeout');
      await signIn(client, customer);
      const steps = Math.ceil(
        t.ctx.config.sessionAbsoluteTimeoutSeconds / (t.ctx.config.sessionIdleTimeoutSeconds - 60),
      );
      for (let i = 0; i < steps; i++) {
        t.clock.advance((t.ctx.config.sessionIdleTimeoutSeconds - 60) * 1000);
        await client.get('/api/v1/session');
      }
      assert.equal((await client.get('/api/v1/accounts')).statusCode, 401, 'absolute timeout even when active');
    });

    test('refuses a cross-site POST even with a valid session cookie', async () => {
      const customer = await customerWithLogin();
      const client = browser();
      await signIn(client, customer);
      const forged = await client.post(
        '/api/v1/security/reserved-message',
        { message: 'hacked' },
        { 'sec-fetch-site': 'cross-site', 'x-csrf-token': 'nope' },
      );
      assert.equal(forged.statusCode, 403);
      assert.equal(json(forged).code, 'request.csrf');
      const noToken = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/security/reserved-message',
        cookies: Object.fromEntries(client.cookies),
        payload: { message: 'hacked' },
      });
      assert.equal(noToken.statusCode, 403);
      const real = await client.put('/api/v1/security/reserved-message', { message: '青山绿水' });
      assert.equal(real.statusCode, 200);
      assert.equal(json(await client.get('/api/v1/session')).customer.reservedMessage, '青山绿水');
    });

    test('maintenance closes customer routes with 503 and Retry-After, not health or the session route', async () => {
      const { startMaintenance, endMaintenance } = await import('./maintenance.ts');
      await startMaintenance(
        t.db.handle.kysely,
        { messageZh: '系统升级', messageEn: 'Upgrade', untilMs: t.clock.nowMs() + 3600_000 },
        t.clock.nowMs(),
      );
      t.clock.advance(3000);
      try {
        const client = browser();
        const login = await client.post('/api/v1/auth/login', {
          identifier: '13800000001',
          password: PASSWORD,
          channel: 'web',
        });
        assert.equal(login.statusCode, 503);
        assert.equal(json(login).code, 'system.maintenance');
        assert.ok(Number(login.headers['retry-after']) > 0);
        assert.equal((await client.get('/livez')).statusCode, 200);
        const session = json(await client.get('/api/v1/session'));
        assert.equal(session.maintenance.messageEn, 'Upgrade');
      } finally {
        await endMaintenance(t.db.handle.kysely);
        t.clock.advance(3000);
      }
    });
  });
}
