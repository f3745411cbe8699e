import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { issuePasswordCard } from './register.ts';

for (const dialect of DIALECTS) {
  describe(`payment password of a static-password customer [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });

    test('set by SMS code bound to it, signs within ¥300, locks after 5 wrong, ends when a card is issued', async () => {
      const li = await createTestCustomer(t.db.handle.kysely, deps(), {
        name: '李娜',
        balancesFen: [100_000],
        sms: false,
      });
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟' });
      const client = await signedInClient(t, li);
      assert.equal(
        (await client.put('/api/v1/security/payment-password', { paymentPassword: '123456' })).statusCode,
        422,
      );
      const asked = await client.put('/api/v1/security/payment-password', { paymentPassword: '246813' });
      assert.equal(asked.statusCode, 202);
      const { challengeId } = json(asked);
      const code = await latestCode(t.db.handle.kysely, li.mobile);
      // The code approves exactly the password it was sent for.
      const other = await client.put('/api/v1/security/payment-password', {
        paymentPassword: '975310',
        authorization: { method: 'sms', challengeId, response: code },
      });
      assert.equal(other.statusCode, 409);
      const set = await client.put('/api/v1/security/payment-password', {
        paymentPassword: '246813',
        authorization: { method: 'sms', challengeId, response: code },
      });
      assert.equal(set.statusCode, 204);
      const media = json(await client.get('/api/v1/security/media'));
      assert.equal(media.tier, 'static');
      assert.deepEqual(
        media.items.map((m: { kind: string; status: string }) => [m.kind, m.status]),
        [['payment_password', 'active']],
      );

      const pay = async (amount: string) =>
        json(
          await client.post('/api/v1/transfers', {
            fromAccountId: li.accounts[0]!.id,
            payee: { name: '张伟', accountNumber: zhang.accounts[0]!.account_number },
            amount: { amount, currency: 'CNY' },
          }),
        );
      const first = await pay('200.00');
      assert.equal(first.authorization.method, 'payment_password');
      assert.deepEqual(first.authorization.alternatives, ['sms']);
      const signed = await client.post(`/api/v1/transfers/${first.id}/authorize`, {
        method: 'payment_password',
        response: '246813',
      });
      assert.equal(json(signed).status, 'completed');

      const second = await pay('50.00');
      for (let i = 1; i <= 5; i++) {
        const wrong = await client.post(`/api/v1/transfers/${second.id}/authorize`, {
          method: 'payment_password',
          response: '000001',
        });
        assert.equal(json(wrong).code, i < 5 ? 'media.wrong_answer' : 'media.locked');
      }
      const third = await pay('50.00');
      assert.equal(third.authorization.method, 'sms', 'a locked payment password is asked no more');

      await withTransaction(t.db.handle.kysely, (trx) => issuePasswordCard(trx, deps(), li.id));
      const after = json(await client.get('/api/v1/security/media'));
      assert.equal(after.items.find((m: { kind: string }) => m.kind === 'payment_password').status, 'revoked');
      assert.equal(
        (await client.put('/api/v1/security/payment-password', { paymentPassword: '246813' })).statusCode,
        409,
      );
    });
  });
}
