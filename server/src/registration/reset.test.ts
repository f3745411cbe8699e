import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeResidentId } from '../customers/index.ts';
import { seedDemoBank } from '../demo/seed.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { ensureTestBank, latestCode } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { purgeRegistrationLeftovers } from './housekeeping.ts';

const LI_NA = { mobile: '13800000002', idNumber: makeResidentId('110105', '19900722', '042') };
const ZHANG_WEI = { mobile: '13800000001', idNumber: makeResidentId('110105', '19850315', '031') };
const NEW_PASSWORD = 'Mudan2026q';

for (const dialect of DIALECTS) {
  describe(`online password reset [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { config: { demo: true } });
      await ensureTestBank(t.db.handle.kysely, t.clock);
      await seedDemoBank(t.ctx);
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    let ipCounter = 1;
    const browser = () => new TestClient(t.app, { ip: `10.8${dialect === 'sqlite' ? 1 : 2}.${ipCounter++}.5` });

    async function captcha(client: TestClient) {
      const { captchaId } = json(await client.get('/api/v1/auth/captcha'));
      const { answer } = json(await client.get(`/api/v1/dev/captcha/${captchaId}`));
      return { captchaId: captchaId as string, captchaAnswer: (answer as string).toLowerCase() };
    }

    async function cardOf(mobile: string) {
      const row = await db()
        .selectFrom('account')
        .innerJoin('customer', 'customer.id', 'account.customer_id')
        .select('account.card_number')
        .where('customer.mobile', '=', mobile)
        .orderBy('account.opened_at_ms')
        .executeTakeFirstOrThrow();
      return row.card_number!;
    }

    async function login(client: TestClient, identifier: string, password: string) {
      const response = await client.post('/api/v1/auth/login', {
        identifier,
        password,
        channel: 'web',
        ...(await captcha(client)),
      });
      return { response, body: json(response) };
    }

    /** Signs in through the SMS step-up a new device gets. */
    async function signIn(client: TestClient, identifier: string, password: string, mobile: string) {
      let { body } = await login(client, identifier, password);
      if (body.state === 'challenge') {
        body = json(
          await client.post(`/api/v1/auth/login/${body.attemptId}/verify`, {
            method: 'sms',
            response: await latestCode(db(), mobile),
          }),
        );
      }
      return body;
    }

    test('a locked customer resets online (captcha, card, PIN, ID, SMS) and signs in; the reset cannot be replayed', async () => {
      const card = await cardOf(LI_NA.mobile);
      const earlier = browser();
      assert.equal((await signIn(earlier, 'lina', 'Jinku2026', LI_NA.mobile)).state, 'authenticated');
      t.clock.advance(61_000);

      const attacker = browser();
      let last = '';
      for (let i = 0; i < 5; i++) last = (await login(attacker, 'lina', `Wrong${i}2026x`)).body.code;
      assert.equal(last, 'auth.locked');
      assert.equal((await login(browser(), 'lina', 'Jinku2026')).body.code, 'auth.locked');

      const client = browser();
      const body = { identifier: 'lina', cardNumber: card, cardPin: '123456', idNumber: LI_NA.idNumber };
      const badCaptcha = await client.post('/api/v1/password-reset', {
        ...body,
        captchaId: (await captcha(client)).captchaId,
        captchaAnswer: 'zzzz',
      });
      assert.equal(json(badCaptcha).code, 'auth.captcha_invalid');
      const refusals = [];
      for (const wrong of [
        { idNumber: ZHANG_WEI.idNumber },
        { identifier: 'nobody_here' },
        { cardNumber: await cardOf(ZHANG_WEI.mobile) },
      ]) {
        const response = await client.post('/api/v1/password-reset', { ...body, ...wrong, ...(await captcha(client)) });
        assert.equal(response.statusCode, 422, response.body);
        const { instance: _instance, ...problem } = json(response);
        refusals.push(problem);
      }
      for (const refusal of refusals) assert.deepEqual(refusal, refusals[0]);
      assert.equal(refusals[0].code, 'registration.details_mismatch');

      const started = await client.post('/api/v1/password-reset', { ...body, ...(await captcha(client)) });
      assert.equal(started.statusCode, 200, started.body);
      const { resetId, authorization } = json(started);
      assert.equal(authorization.method, 'sms');
      assert.deepEqual(authorization.alternatives, []);
      // The registration SMS route's `reset` purpose sends the live reset a new code.
      t.clock.advance(61_000);
      const firstCode = await latestCode(db(), LI_NA.mobile);
      assert.equal(
        (await browser().post('/api/v1/registration/sms', { mobile: LI_NA.mobile, purpose: 'reset' })).statusCode,
        200,
      );
      const code = await latestCode(db(), LI_NA.mobile);
      assert.notEqual(code, firstCode);

      assert.equal(
        (await client.post(`/api/v1/password-reset/${resetId}/password`, { newPassword: NEW_PASSWORD })).statusCode,
        410,
      );
      const wrong = await client.post(`/api/v1/password-reset/${resetId}/verify`, {
        method: 'sms',
        response: code === '000000' ? '000001' : '000000',
      });
      assert.equal(json(wrong).code, 'media.wrong_answer');
      const verified = await client.post(`/api/v1/password-reset/${resetId}/verify`, { method: 'sms', response: code });
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal(json(verified).status, 'verified');
      const weak = await client.post(`/api/v1/password-reset/${resetId}/password`, { newPassword: 'password1' });
      assert.equal(json(weak).code, 'auth.password_policy');
      const done = await client.post(`/api/v1/password-reset/${resetId}/password`, { newPassword: NEW_PASSWORD });
      assert.equal(done.statusCode, 204, done.body);

      // Each step is taken once.
      const replays = [
        await client.post(`/api/v1/password-reset/${resetId}/verify`, { method: 'sms', response: code }),
        await client.post(`/api/v1/password-reset/${resetId}/password`, { newPassword: 'Another2026z' }),
      ];
      for (const replay of replays) {
        assert.equal(replay.statusCode, 410);
        assert.equal(json(replay).code, 'registration.reset_expired');
      }
      assert.equal(json(await earlier.get('/api/v1/session')).authenticated, false, 'other sessions ended');
      const told = await db()
        .selectFrom('outbox')
        .select('text')
        .where('recipient', '=', LI_NA.mobile)
        .where('purpose', '=', 'registration.password_reset')
        .execute();
      assert.equal(told.length, 1);

      t.clock.advance(61_000);
      const after = await signIn(browser(), card, NEW_PASSWORD, LI_NA.mobile);
      assert.equal(after.state, 'authenticated', JSON.stringify(after));
      const kinds = (
        await db().selectFrom('audit_log').select('kind').where('kind', 'like', 'registration.%').execute()
      ).map((row) => row.kind);
      for (const kind of ['registration.reset_started', 'registration.reset_verified', 'registration.password_reset'])
        assert.ok(kinds.includes(kind), kind);
    });

    test('a customer with a stronger medium answers it, not SMS; an expired reset is over', async () => {
      const client = browser();
      const started = await client.post('/api/v1/password-reset', {
        identifier: ZHANG_WEI.mobile,
        cardNumber: await cardOf(ZHANG_WEI.mobile),
        cardPin: '123456',
        idNumber: ZHANG_WEI.idNumber,
        ...(await captcha(client)),
      });
      assert.equal(started.statusCode, 200, started.body);
      const { resetId, authorization } = json(started);
      assert.equal(authorization.method, 'password_card');
      assert.ok(!authorization.alternatives.includes('sms'));
      const other = await client.post(`/api/v1/password-reset/${resetId}/challenge`, { method: 'e_token' });
      assert.equal(json(other).authorization.method, 'e_token');
      t.clock.advance(11 * 60_000);
      const late = await client.post(`/api/v1/password-reset/${resetId}/verify`, {
        method: 'e_token',
        response: '123456',
      });
      assert.equal(json(late).code, 'registration.reset_expired');
      // Housekeeping drops resets a day after they expired, and SMS requests a day old.
      assert.ok((await purgeRegistrationLeftovers(db(), t.clock.nowMs() + 2 * 86_400_000)) >= 2);
      const left = await db().selectFrom('password_reset').select('id').where('id', '=', resetId).execute();
      assert.equal(left.length, 0);
    });
  });
}
