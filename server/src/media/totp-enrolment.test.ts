import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { otpauthSecret } from '../testing/totp.ts';
import { totpCode } from './totp.ts';

for (const dialect of DIALECTS) {
  describe(`soft token enrolment and use [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });

    test('binding an authenticator app needs the current medium; its first code activates it; it then signs a payment once', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [100_000_000] });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const client = await signedInClient(t, zhang);
      const asked = await client.post('/api/v1/security/totp', {});
      assert.equal(asked.statusCode, 202);
      const { challengeId, authorization } = json(asked);
      assert.equal(authorization.method, 'sms');
      const wrongly = await client.post('/api/v1/security/totp', {
        authorization: { method: 'sms', challengeId, response: '000000' },
      });
      assert.equal(wrongly.statusCode, 422);
      const code = await latestCode(t.db.handle.kysely, zhang.mobile);
      const enrolled = await client.post('/api/v1/security/totp', {
        authorization: { method: 'sms', challengeId, response: code },
      });
      assert.equal(enrolled.statusCode, 201);
      const { enrollmentId, otpauthUrl, qr } = json(enrolled);
      assert.match(otpauthUrl, /^otpauth:\/\/totp\//);
      assert.match(qr, /^data:image\/png;base64,/);
      // Issued, not yet a medium: the tier stays SMS until the app's first code.
      assert.equal(json(await client.get('/api/v1/security/media')).tier, 'sms');
      const secret = otpauthSecret(otpauthUrl);
      const bad = await client.post(`/api/v1/security/totp/${enrollmentId}/verify`, { code: '12345x' });
      assert.equal(bad.statusCode, 422);
      const first = totpCode(secret, t.clock.nowMs());
      const active = await client.post(`/api/v1/security/totp/${enrollmentId}/verify`, { code: first });
      assert.deepEqual(json(active), { id: enrollmentId, kind: 'totp', status: 'active' });
      assert.equal(json(await client.get('/api/v1/security/media')).tier, 'e_token');

      // ¥80,000 is above the password card's and SMS's tiers: the soft token signs it.
      t.clock.advance(30_000);
      const transfer = json(
        await client.post('/api/v1/transfers', {
          fromAccountId: zhang.accounts[0]!.id,
          payee: { name: '李娜', accountNumber: li.accounts[0]!.account_number },
          amount: { amount: '80000.00', currency: 'CNY' },
        }),
      );
      assert.equal(transfer.authorization.method, 'totp');
      const now = totpCode(secret, t.clock.nowMs());
      const signed = await client.post(`/api/v1/transfers/${transfer.id}/authorize`, { method: 'totp', response: now });
      assert.equal(json(signed).status, 'completed');
      // The same code never signs again, even another payment.
      const next = json(
        await client.post('/api/v1/transfers', {
          fromAccountId: zhang.accounts[0]!.id,
          payee: { name: '李娜', accountNumber: li.accounts[0]!.account_number },
          amount: { amount: '70000.00', currency: 'CNY' },
        }),
      );
      const replay = await client.post(`/api/v1/transfers/${next.id}/authorize`, { method: 'totp', response: now });
      assert.equal(replay.statusCode, 422);
      assert.equal(json(replay).code, 'media.wrong_answer');
    });
  });
}
