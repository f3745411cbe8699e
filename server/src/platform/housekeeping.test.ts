import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { purgeAuthLeftovers } from '../auth/index.ts';
import { purgeExpiredIdempotencyKeys } from '../ledger/index.ts';
import { purgeOldSmsCodes } from '../media/index.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';

for (const dialect of DIALECTS) {
  describe(`housekeeping [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    const count = async (
      table: 'captcha' | 'login_failure' | 'login_attempt' | 'sms_otp' | 'idempotency_key' | 'session' | 'login_event',
    ) =>
      Number(
        (
          await t.db.handle.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const purgeAll = async () => {
      const nowMs = t.clock.nowMs();
      return (
        (await purgeExpiredIdempotencyKeys(t.db.handle.kysely, nowMs)) +
        (await purgeAuthLeftovers(t.db.handle.kysely, nowMs)) +
        (await purgeOldSmsCodes(t.db.handle.kysely, nowMs))
      );
    };

    test('deletes expired keys, captchas, codes, attempts, failures and long-ended sessions; keeps history', async () => {
      const customer = await createTestCustomer(
        t.db.handle.kysely,
        { config: t.ctx.config, clock: t.clock },
        { balancesFen: [10_000, 0] },
      );
      const client = await signedInClient(t, customer);
      await client.post(
        '/api/v1/transfers',
        {
          fromAccountId: customer.accounts[0]!.id,
          payee: { name: customer.name, accountNumber: customer.accounts[1]!.account_number },
          amount: { amount: '1.00', currency: 'CNY' },
        },
        { 'idempotency-key': 'kept-a-day' },
      );
      const stranger = new TestClient(t.app, { ip: '198.51.100.77' });
      await stranger.get('/api/v1/auth/captcha');
      await stranger.post('/api/v1/auth/login', { identifier: '13912340000', password: 'Nope2026x', channel: 'web' });
      assert.equal(await purgeAll(), 0, 'nothing is purged while it may still be used');
      for (const table of [
        'captcha',
        'login_failure',
        'login_attempt',
        'sms_otp',
        'idempotency_key',
        'session',
      ] as const) {
        assert.ok((await count(table)) > 0, `${table} has rows before`);
      }
      const events = await count('login_event');
      t.clock.advance(31 * 86_400_000);
      assert.ok((await purgeAll()) > 0);
      for (const table of [
        'captcha',
        'login_failure',
        'login_attempt',
        'sms_otp',
        'idempotency_key',
        'session',
      ] as const) {
        assert.equal(await count(table), 0, `${table} is empty after`);
      }
      assert.equal(await count('login_event'), events, 'sign-in history is kept');
    });
  });
}
