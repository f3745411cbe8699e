import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { issueUShieldFor, SoftSecurityKey } from '../testing/webauthn.ts';

for (const dialect of DIALECTS) {
  describe(`U-shield certificate download and signing [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });

    test('the download needs the current medium and the PIN; the key then signs exactly one payment', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), {
        name: '张伟',
        balancesFen: [200_000_000],
        pin: '135790',
      });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const mediumId = await issueUShieldFor(t.db.handle.kysely, deps(), zhang.id, 'US20260001');
      const client = await signedInClient(t, zhang);
      const listed = json(await client.get('/api/v1/security/media'));
      assert.equal(listed.items.find((m: { id: string }) => m.id === mediumId).status, 'issued');

      const asked = await client.post('/api/v1/security/u-shield/registration', { mediumId, cardPin: '135790' });
      assert.equal(asked.statusCode, 202);
      const { challengeId, authorization } = json(asked);
      assert.equal(authorization.method, 'sms');
      const code = await latestCode(t.db.handle.kysely, zhang.mobile);
      const started = await client.post('/api/v1/security/u-shield/registration', {
        mediumId,
        cardPin: '135790',
        authorization: { method: 'sms', challengeId, response: code },
      });
      assert.equal(started.statusCode, 201, started.body);
      const { registrationId, options } = json(started);
      assert.equal(options.authenticatorSelection.userVerification, 'required');
      assert.equal(options.authenticatorSelection.authenticatorAttachment, 'cross-platform');
      assert.equal(options.rp.id, t.ctx.config.webauthnRpId);

      // A key that cannot verify its PIN is refused, and the registration is used up.
      const noPin = new SoftSecurityKey(t.ctx.config.publicOrigin, t.ctx.config.webauthnRpId, false);
      const refused = await client.post(`/api/v1/security/u-shield/registration/${registrationId}/verify`, {
        credential: noPin.register(options),
      });
      assert.equal(refused.statusCode, 422);
      assert.equal(json(refused).code, 'media.u_shield_rejected');

      // A new SMS for the same download waits out the resend time.
      t.clock.advance(120_000);
      const again = json(await client.post('/api/v1/security/u-shield/registration', { mediumId, cardPin: '135790' }));
      const code2 = await latestCode(t.db.handle.kysely, zhang.mobile);
      const second = json(
        await client.post('/api/v1/security/u-shield/registration', {
          mediumId,
          cardPin: '135790',
          authorization: { method: 'sms', challengeId: again.challengeId, response: code2 },
        }),
      );
      const key = new SoftSecurityKey(t.ctx.config.publicOrigin, t.ctx.config.webauthnRpId);
      const done = await client.post(`/api/v1/security/u-shield/registration/${second.registrationId}/verify`, {
        credential: key.register(second.options),
      });
      assert.equal(done.statusCode, 200, done.body);
      assert.deepEqual(json(done), { id: mediumId, kind: 'u_shield', status: 'active', serial: 'US20260001' });
      assert.equal(json(await client.get('/api/v1/security/media')).tier, 'u_shield');
      // The registration is used: the same attestation again is refused.
      const replayed = await client.post(`/api/v1/security/u-shield/registration/${second.registrationId}/verify`, {
        credential: key.register(second.options),
      });
      assert.equal(replayed.statusCode, 409);

      // ¥600,000 is above every other tier: the U-shield signs it.
      const pay = async (amount: string) =>
        json(
          await client.post('/api/v1/transfers', {
            fromAccountId: zhang.accounts[0]!.id,
            payee: { name: '李娜', accountNumber: li.accounts[0]!.account_number },
            amount: { amount, currency: 'CNY' },
          }),
        );
      const x = await pay('600000.00');
      assert.equal(x.authorization.method, 'u_shield');
      const requestOptions = x.authorization.challenge.options;
      assert.equal(requestOptions.userVerification, 'required');
      assert.deepEqual(
        requestOptions.allowCredentials.map((c: { id: string }) => c.id),
        [key.credentialId.toString('base64url')],
      );
      const y = await pay('500001.00');
      assert.equal(y.authorization.method, 'u_shield');
      // X's assertion does not sign Y, nor comes from another origin.
      const forX = key.assert(requestOptions);
      const wrongPayment = await client.post(`/api/v1/transfers/${y.id}/authorize`, {
        method: 'u_shield',
        response: forX,
      });
      assert.equal(wrongPayment.statusCode, 422);
      const elsewhere = await client.post(`/api/v1/transfers/${x.id}/authorize`, {
        method: 'u_shield',
        response: key.assert(requestOptions, 'http://evil.example'),
      });
      assert.equal(elsewhere.statusCode, 422);
      const signed = await client.post(`/api/v1/transfers/${x.id}/authorize`, { method: 'u_shield', response: forX });
      assert.equal(signed.statusCode, 200, signed.body);
      assert.equal(json(signed).status, 'completed');
      // Once: the same assertion is refused a second time.
      const twice = await client.post(`/api/v1/transfers/${x.id}/authorize`, { method: 'u_shield', response: forX });
      assert.notEqual(twice.statusCode, 200);
      // Y is signed by its own assertion, sent as JSON text too.
      const forY = key.assert(y.authorization.challenge.options);
      const signedY = await client.post(`/api/v1/transfers/${y.id}/authorize`, {
        method: 'u_shield',
        response: JSON.stringify(forY),
      });
      assert.equal(json(signedY).status, 'completed', signedY.body);
    });

    test('the card PIN, when given, is checked before the current medium is asked; wrong PINs count', async () => {
      const wang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '王芳', pin: '135790' });
      const mediumId = await issueUShieldFor(t.db.handle.kysely, deps(), wang.id, 'US20260002');
      const client = await signedInClient(t, wang);
      const wrong = await client.post('/api/v1/security/u-shield/registration', { mediumId, cardPin: '000000' });
      assert.equal(wrong.statusCode, 401);
      assert.equal(json(wrong).code, 'account.pin_invalid');
      const right = await client.post('/api/v1/security/u-shield/registration', { mediumId, cardPin: '135790' });
      assert.equal(right.statusCode, 202);
      // Another customer's U-shield is nobody's to download.
      const other = await createTestCustomer(t.db.handle.kysely, deps(), { name: '赵六', pin: '135790' });
      const stranger = await signedInClient(t, other);
      const refused = await stranger.post('/api/v1/security/u-shield/registration', { mediumId, cardPin: '135790' });
      assert.equal(refused.statusCode, 404);
    });
  });
}
