import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient, TEST_PASSWORD } from '../testing/session.ts';
import { LOGIN_NAME_ANSWER_FLOOR_MS } from './security.ts';

for (const dialect of DIALECTS) {
  describe(`security centre [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const customer = () =>
      createTestCustomer(t.db.handle.kysely, { config: t.ctx.config, clock: t.clock }, { name: '周敏' });
    /** Asks for a login name and confirms it with the SMS code; answers the confirmation. */
    async function setNameWithCode(client: TestClient, mobile: string, loginName: string) {
      const asked = await client.put('/api/v1/security/login-name', { loginName });
      assert.equal(asked.statusCode, 202);
      const code = await latestCode(t.db.handle.kysely, mobile);
      return client.put('/api/v1/security/login-name', {
        loginName,
        authorization: { method: 'sms', challengeId: json(asked).challengeId, response: code },
      });
    }

    /** Asks to change the password; answers the 202 and the SMS code it sent. */
    async function askPasswordChange(client: TestClient, mobile: string, currentPassword: string, newPassword: string) {
      const asked = await client.post('/api/v1/security/password', { currentPassword, newPassword });
      assert.equal(asked.statusCode, 202, asked.body);
      return { challengeId: json(asked).challengeId as string, code: await latestCode(t.db.handle.kysely, mobile) };
    }
    /** Repeats the password change with an answer to the SMS code. */
    function confirmPasswordChange(
      client: TestClient,
      passwords: { currentPassword: string; newPassword: string },
      challengeId: string,
      response: string,
    ) {
      return client.post('/api/v1/security/password', {
        ...passwords,
        authorization: { method: 'sms', challengeId, response },
      });
    }
    /** Asks to change the password and confirms it with the SMS code; answers the confirmation. */
    async function changePasswordWithCode(
      client: TestClient,
      mobile: string,
      currentPassword: string,
      newPassword: string,
    ) {
      const { challengeId, code } = await askPasswordChange(client, mobile, currentPassword, newPassword);
      return confirmPasswordChange(client, { currentPassword, newPassword }, challengeId, code);
    }
    const outboxCount = async (mobile: string) =>
      (await t.db.handle.kysely.selectFrom('outbox').select('id').where('recipient', '=', mobile).execute()).length;

    test('a login name is set only with the SMS code, and then signs in', async () => {
      const zhou = await customer();
      const client = await signedInClient(t, zhou);
      const name = `Zhou_${dialect}`;
      assert.equal(
        json(await client.put('/api/v1/security/login-name', { loginName: '12345678' })).code,
        'auth.login_name_invalid',
      );
      const asked = await client.put('/api/v1/security/login-name', { loginName: name });
      assert.equal(asked.statusCode, 202);
      const { challengeId } = json(asked);
      const wrong = await client.put('/api/v1/security/login-name', {
        loginName: name,
        authorization: { method: 'sms', challengeId, response: '000000' },
      });
      assert.equal(wrong.statusCode, 401);
      const code = await latestCode(t.db.handle.kysely, zhou.mobile);
      const other = await client.put('/api/v1/security/login-name', {
        loginName: `${name}x`,
        authorization: { method: 'sms', challengeId, response: code },
      });
      assert.equal(other.statusCode, 401, 'the code confirms only the name it was sent for');
      const done = await client.put('/api/v1/security/login-name', {
        loginName: name,
        authorization: { method: 'sms', challengeId, response: code },
      });
      assert.equal(done.statusCode, 200);
      t.clock.advance(61_000);
      const again = await new TestClient(t.app, { ip: '172.31.0.9' }).post('/api/v1/auth/login', {
        identifier: name.toUpperCase(),
        password: TEST_PASSWORD,
        channel: 'web',
      });
      assert.ok(['challenge', 'authenticated'].includes(json(again).state), 'the login name (any case) signs in');
      const someoneElse = await signedInClient(t, await customer());
      const asking = await someoneElse.put('/api/v1/security/login-name', { loginName: name.toLowerCase() });
      assert.equal(asking.statusCode, 202, 'a taken name is not revealed before the SMS code');
    });

    test('a taken login name is told only after the SMS code, and no sooner than a free one', async () => {
      const owner = await customer();
      const name = `Owner_${dialect}`;
      await setNameWithCode(await signedInClient(t, owner), owner.mobile, name);
      const other = await customer();
      const client = await signedInClient(t, other);
      const startedAt = performance.now();
      const taken = await setNameWithCode(client, other.mobile, name.toUpperCase());
      const takenMs = performance.now() - startedAt;
      assert.equal(taken.statusCode, 409);
      assert.equal(json(taken).code, 'auth.login_name_taken');
      assert.ok(takenMs >= LOGIN_NAME_ANSWER_FLOOR_MS, `answered after ${Math.round(takenMs)} ms`);
      t.clock.advance(61_000);
      const free = await setNameWithCode(client, other.mobile, `${name}2`);
      assert.equal(free.statusCode, 200, 'the used-up code is replaced by a new one for the next name');
    });

    test('lists sessions, devices and sign-ins; ends another session; a password change ends them all but this one', async () => {
      const zhou = await customer();
      const phone = await signedInClient(t, zhou);
      const laptop = await signedInClient(t, zhou);
      const sessions = json(await laptop.get('/api/v1/security/sessions')).items;
      assert.equal(sessions.length, 2);
      const phoneSession = sessions.find((s: { current: boolean }) => !s.current);
      assert.equal((await laptop.delete(`/api/v1/security/sessions/${phoneSession.id}`)).statusCode, 204);
      assert.equal((await phone.get('/api/v1/accounts')).statusCode, 401);
      const devices = json(await laptop.get('/api/v1/security/devices')).items;
      assert.equal(devices.length, 2);
      const logins = json(await laptop.get('/api/v1/security/logins')).items;
      assert.ok(logins.length >= 2 && logins.every((l: { result: string }) => l.result === 'success'));
      const second = await signedInClient(t, zhou);
      const changed = await changePasswordWithCode(laptop, zhou.mobile, TEST_PASSWORD, 'Fresh2027zz');
      assert.equal(changed.statusCode, 204);
      assert.equal(
        (await laptop.get('/api/v1/accounts')).statusCode,
        200,
        'this browser stays signed in with a new token',
      );
      assert.equal((await second.get('/api/v1/accounts')).statusCode, 401, 'other sessions end');
      assert.equal((await phone.get('/api/v1/accounts')).statusCode, 401);
      const sent = await outboxCount(zhou.mobile);
      const reuse = await laptop.post('/api/v1/security/password', {
        currentPassword: 'Fresh2027zz',
        newPassword: TEST_PASSWORD,
      });
      assert.equal(json(reuse).code, 'auth.password_policy', 'not one of the last five');
      assert.equal(json(reuse).rule, 'reused');
      assert.equal(await outboxCount(zhou.mobile), sent, 'a refused password costs no SMS code');
    });

    test('a password change needs the SMS code sent for that new password, once', async () => {
      const zhou = await customer();
      const client = await signedInClient(t, zhou);
      const current = { currentPassword: TEST_PASSWORD };
      const sent = await outboxCount(zhou.mobile);
      const weak = await client.post('/api/v1/security/password', { ...current, newPassword: 'abcdef' });
      assert.equal(weak.statusCode, 422);
      assert.equal(json(weak).code, 'auth.password_policy');
      assert.equal(await outboxCount(zhou.mobile), sent, 'a refused password costs no SMS code');

      const newPassword = 'Fresh2027zz';
      const asked = await client.post('/api/v1/security/password', { ...current, newPassword });
      assert.equal(asked.statusCode, 202);
      const answer = json(asked);
      assert.equal(answer.status, 'authorization_required');
      assert.equal(answer.authorization.method, 'sms');
      assert.deepEqual(answer.authorization.alternatives, []);
      assert.match(answer.authorization.challenge.maskedMobile, /\*/);
      const sms = await t.db.handle.kysely
        .selectFrom('outbox')
        .select(['text', 'code', 'purpose'])
        .where('recipient', '=', zhou.mobile)
        .orderBy('created_at_ms', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(sms.purpose, 'security.password');
      assert.match(sms.text, /修改网上银行登录密码/);
      assert.match(sms.text, /5 分钟/);
      assert.ok(sms.code && sms.text.includes(sms.code));
      assert.ok(!sms.text.includes(newPassword), 'the new password is never in the SMS');
      const code = sms.code ?? '';

      const missing = await client.post('/api/v1/security/password', { ...current, newPassword });
      assert.equal(missing.statusCode, 429, 'a new code for the same password waits its minute');
      const other = await confirmPasswordChange(
        client,
        { ...current, newPassword: 'Other2027zz' },
        answer.challengeId,
        code,
      );
      assert.equal(other.statusCode, 401, 'the code changes only to the password it was sent for');
      assert.equal(json(other).code, 'media.otp_expired');
      const wrongCurrent = await confirmPasswordChange(
        client,
        { currentPassword: 'Guess1abcd', newPassword },
        answer.challengeId,
        code,
      );
      assert.equal(json(wrongCurrent).code, 'auth.password_wrong', 'the current password is checked again');

      const done = await confirmPasswordChange(client, { ...current, newPassword }, answer.challengeId, code);
      assert.equal(done.statusCode, 204);
      const replay = await confirmPasswordChange(
        client,
        { currentPassword: newPassword, newPassword },
        answer.challengeId,
        code,
      );
      assert.equal(json(replay).code, 'media.otp_expired', 'a code is used once');

      const audit = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select(['kind', 'details'])
        .where('subject_id', '=', zhou.id)
        .execute();
      assert.ok(audit.some((row) => row.kind === 'auth.password_changed'));
      assert.ok(
        audit.every((row) => !row.details.includes(newPassword) && !row.details.includes('Other2027zz')),
        'no password in the audit log',
      );
      const outbox = await t.db.handle.kysely.selectFrom('outbox').select('text').execute();
      assert.ok(outbox.every((row) => !row.text.includes(newPassword)));
      t.clock.advance(61_000);
      const signIn = await new TestClient(t.app, { ip: '172.31.2.9' }).post('/api/v1/auth/login', {
        identifier: zhou.mobile,
        password: newPassword,
        channel: 'web',
      });
      assert.ok(['challenge', 'authenticated'].includes(json(signIn).state), 'the new password signs in');
    });

    test("wrong SMS codes use up the code's tries and leave the password as it was", async () => {
      const zhou = await customer();
      const client = await signedInClient(t, zhou);
      const passwords = { currentPassword: TEST_PASSWORD, newPassword: 'Fresh2027zz' };
      const { challengeId, code } = await askPasswordChange(
        client,
        zhou.mobile,
        passwords.currentPassword,
        passwords.newPassword,
      );
      const wrongCode = code === '000000' ? '111111' : '000000';
      for (let triesLeft = 4; triesLeft >= 1; triesLeft--) {
        const wrong = await confirmPasswordChange(client, passwords, challengeId, wrongCode);
        assert.equal(wrong.statusCode, 401);
        assert.equal(json(wrong).code, 'media.otp_wrong');
        assert.match(json(wrong).detail, new RegExp(`${triesLeft}`), 'the answer says how many tries are left');
      }
      assert.equal(
        json(await confirmPasswordChange(client, passwords, challengeId, wrongCode)).code,
        'media.otp_too_many',
      );
      const late = await confirmPasswordChange(client, passwords, challengeId, code);
      assert.equal(json(late).code, 'media.otp_too_many', 'the right code comes too late');
      assert.equal((await client.get('/api/v1/accounts')).statusCode, 200, 'nothing changed: the session lives');
      t.clock.advance(61_000);
      const again = await client.post('/api/v1/security/password', passwords);
      assert.equal(again.statusCode, 202, 'the old password is still the current one');
    });

    test('wrong current passwords in the security centre lock the login password like wrong sign-ins', async () => {
      const zhou = await customer();
      const client = await signedInClient(t, zhou);
      const max = t.ctx.config.loginMaxFailures;
      for (let i = 1; i < max; i++) {
        const wrong = await client.post('/api/v1/security/password', {
          currentPassword: `Guess${i}abcd`,
          newPassword: 'Fresh2027zz',
        });
        assert.equal(json(wrong).code, 'auth.password_wrong', `guess ${i}`);
      }
      const locked = await client.post('/api/v1/security/password', {
        currentPassword: 'Guess9abcd',
        newPassword: 'Fresh2027zz',
      });
      assert.equal(locked.statusCode, 423);
      assert.equal(json(locked).code, 'auth.locked');
      assert.equal((await client.get('/api/v1/accounts')).statusCode, 401, 'the lock ends the sessions');
      const signIn = await new TestClient(t.app, { ip: '172.31.1.9' }).post('/api/v1/auth/login', {
        identifier: zhou.mobile,
        password: TEST_PASSWORD,
        channel: 'web',
      });
      assert.ok(
        ['auth.locked', 'auth.captcha_required'].includes(json(signIn).code),
        'the right password does not sign in',
      );
    });
  });
}
