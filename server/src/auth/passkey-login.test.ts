import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { SoftSecurityKey } from '../testing/webauthn.ts';

let ip = 1;
const phone = (t: TestApp) => new TestClient(t.app, { ip: `10.77.${Math.floor(ip / 250)}.${ip++ % 250}` });

for (const dialect of DIALECTS) {
  describe(`fingerprint / face login (passkeys) [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    const key = () => new SoftSecurityKey(t.ctx.config.publicOrigin, t.ctx.config.webauthnRpId);

    async function registered(customer: TestCustomer, authenticator: SoftSecurityKey) {
      const client = await signedInClient(t, customer);
      const asked = await client.post('/api/v1/security/passkeys/registration', {});
      assert.equal(asked.statusCode, 202, asked.body);
      const { challengeId, authorization } = json(asked);
      assert.equal(authorization.method, 'sms');
      const code = await latestCode(t.db.handle.kysely, customer.mobile);
      const started = await client.post('/api/v1/security/passkeys/registration', {
        authorization: { method: 'sms', challengeId, response: code },
      });
      assert.equal(started.statusCode, 201, started.body);
      const { registrationId, options } = json(started);
      assert.equal(options.authenticatorSelection.authenticatorAttachment, 'platform');
      assert.equal(options.authenticatorSelection.residentKey, 'preferred');
      assert.equal(options.authenticatorSelection.userVerification, 'required');
      const done = await client.post(`/api/v1/security/passkeys/registration/${registrationId}/verify`, {
        credential: authenticator.register(options),
      });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(json(done).kind, 'passkey');
      return { client, passkeyId: json(done).id as string };
    }

    async function passkeyLogin(client: TestClient, authenticator: SoftSecurityKey) {
      const started = await client.post('/api/v1/auth/passkey', { channel: 'mobile' });
      assert.equal(started.statusCode, 200, started.body);
      const { attemptId, options } = json(started);
      assert.equal(options.userVerification, 'required');
      const assertion = authenticator.assert(options);
      const answer = await client.post(`/api/v1/auth/passkey/${attemptId}/verify`, { credential: assertion });
      return { answer, attemptId, assertion };
    }

    async function auditKinds(customerId: string): Promise<string[]> {
      const rows = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('actor_id', '=', customerId)
        .execute();
      return rows.map((r) => r.kind);
    }

    test('registered after the SMS check, it signs in on a new phone with one tap and no SMS step-up', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟' });
      const authenticator = key();
      const { client } = await registered(zhang, authenticator);
      const listed = json(await client.get('/api/v1/security/passkeys'));
      assert.equal(listed.items.length, 1);
      const media = json(await client.get('/api/v1/security/media'));
      assert.ok(
        media.items.some((m: { kind: string; status: string }) => m.kind === 'passkey' && m.status === 'active'),
      );

      const device = phone(t);
      const { answer } = await passkeyLogin(device, authenticator);
      assert.equal(answer.statusCode, 200, answer.body);
      assert.equal(json(answer).state, 'authenticated');
      assert.equal(json(answer).customer.id, zhang.id);
      const session = json(await device.get('/api/v1/session'));
      assert.equal(session.authenticated, true);
      // The device is now a known one.
      const known = await t.db.handle.kysely
        .selectFrom('known_device')
        .select('customer_id')
        .where('customer_id', '=', zhang.id)
        .execute();
      assert.ok(known.length >= 2);
      const kinds = await auditKinds(zhang.id);
      for (const kind of ['media.passkey_registration_started', 'media.passkey_registered', 'auth.passkey_login']) {
        assert.ok(kinds.includes(kind), kind);
      }
    });

    test('an unknown credential, a wrong origin and a replayed assertion are refused alike', async () => {
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const authenticator = key();
      await registered(li, authenticator);

      const stranger = await passkeyLogin(phone(t), key());
      assert.equal(stranger.answer.statusCode, 401);
      assert.equal(json(stranger.answer).code, 'auth.passkey_failed');

      const device = phone(t);
      const started = json(await device.post('/api/v1/auth/passkey', {}));
      const phishing = authenticator.assert(started.options, 'https://evil.example.com');
      const refused = await device.post(`/api/v1/auth/passkey/${started.attemptId}/verify`, { credential: phishing });
      assert.equal(refused.statusCode, 401);
      assert.equal(json(refused).code, 'auth.passkey_failed');

      const good = await passkeyLogin(device, authenticator);
      assert.equal(good.answer.statusCode, 200, good.answer.body);
      // The same attempt answered again: spent.
      const again = await phone(t).post(`/api/v1/auth/passkey/${good.attemptId}/verify`, {
        credential: good.assertion,
      });
      assert.equal(json(again).code, 'auth.attempt_expired');
      // The same assertion on a fresh attempt: its challenge does not match.
      const other = phone(t);
      const fresh = json(await other.post('/api/v1/auth/passkey', {}));
      const replay = await other.post(`/api/v1/auth/passkey/${fresh.attemptId}/verify`, { credential: good.assertion });
      assert.equal(replay.statusCode, 401);
      assert.equal(json(replay).code, 'auth.passkey_failed');
      // Garbage is refused without a 500.
      const junk = json(await other.post('/api/v1/auth/passkey', {}));
      const broken = await other.post(`/api/v1/auth/passkey/${junk.attemptId}/verify`, {
        credential: {
          id: 'x',
          rawId: 'x',
          type: 'public-key',
          response: { clientDataJSON: 'x', authenticatorData: 'x', signature: 'x' },
          clientExtensionResults: {},
        },
      });
      assert.equal(broken.statusCode, 401);
    });

    test('a deleted passkey no longer signs in; its credential is gone from the server', async () => {
      const wang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '王芳' });
      const authenticator = key();
      const { client, passkeyId } = await registered(wang, authenticator);
      const removed = await client.delete(`/api/v1/security/passkeys/${passkeyId}`);
      assert.equal(removed.statusCode, 204, removed.body);
      assert.equal(json(await client.get('/api/v1/security/passkeys')).items.length, 0);
      const stored = await t.db.handle.kysely
        .selectFrom('webauthn_credential')
        .select('medium_id')
        .where('medium_id', '=', passkeyId)
        .execute();
      assert.equal(stored.length, 0);
      const { answer } = await passkeyLogin(phone(t), authenticator);
      assert.equal(answer.statusCode, 401);
      assert.equal(json(answer).code, 'auth.passkey_failed');
      assert.equal((await client.delete(`/api/v1/security/passkeys/${passkeyId}`)).statusCode, 404);
      assert.ok((await auditKinds(wang.id)).includes('media.passkey_deleted'));
    });

    test('forgetting the registering device in the security centre deletes its passkey', async () => {
      const zhao = await createTestCustomer(t.db.handle.kysely, deps(), { name: '赵敏' });
      const authenticator = key();
      const { client, passkeyId } = await registered(zhao, authenticator);
      const devices = json(await client.get('/api/v1/security/devices')).items as Array<{ id: string }>;
      assert.equal(devices.length, 1);
      const forgotten = await client.delete(`/api/v1/security/devices/${devices[0]!.id}`);
      assert.equal(forgotten.statusCode, 204, forgotten.body);
      assert.equal(json(await client.get('/api/v1/security/passkeys')).items.length, 0);
      const stored = await t.db.handle.kysely
        .selectFrom('webauthn_credential')
        .select('medium_id')
        .where('medium_id', '=', passkeyId)
        .execute();
      assert.equal(stored.length, 0);
      const { answer } = await passkeyLogin(phone(t), authenticator);
      assert.equal(json(answer).code, 'auth.passkey_failed');
    });

    test('a locked login or a frozen customer is refused as with a password', async () => {
      const qian = await createTestCustomer(t.db.handle.kysely, deps(), { name: '钱多' });
      const authenticator = key();
      await registered(qian, authenticator);
      const db = t.db.handle.kysely;
      await db
        .updateTable('login_credential')
        .set({ locked_until_ms: t.clock.nowMs() + 3_600_000 })
        .where('customer_id', '=', qian.id)
        .execute();
      const locked = await passkeyLogin(phone(t), authenticator);
      assert.equal(locked.answer.statusCode, 423);
      assert.equal(json(locked.answer).code, 'auth.locked');
      await db
        .updateTable('login_credential')
        .set({ locked_until_ms: null })
        .where('customer_id', '=', qian.id)
        .execute();
      await db.updateTable('customer').set({ status: 'suspended' }).where('id', '=', qian.id).execute();
      const frozen = await passkeyLogin(phone(t), authenticator);
      assert.equal(json(frozen.answer).code, 'auth.account_frozen');
      const refusals = (await auditKinds(qian.id)).filter((kind) => kind === 'auth.passkey_refused');
      assert.equal(refusals.length, 2);
    });
  });
}
