import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setLoginPassword } from '../../auth/index.ts';
import { createTestApp, json, type TestApp } from '../../testing/app.ts';
import { createTestCustomer, latestCode } from '../../testing/bank.ts';
import { TestClient } from '../../testing/client.ts';
import { withTransaction } from '../db/transaction.ts';

// Secrets never reach the logs, even at the most verbose level (issue 2's acceptance).
describe('secrets in logs [sqlite]', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { env: { LOG_LEVEL: 'trace' } });
  });
  after(() => t.close());

  test('a sign-in and a payment leave no password, code or card number in the log', async () => {
    const deps = { config: t.ctx.config, clock: t.clock };
    const payer = await createTestCustomer(t.db.handle.kysely, deps, { name: '张伟', balancesFen: [100_000] });
    const payee = await createTestCustomer(t.db.handle.kysely, deps, { name: '李娜' });
    const password = 'Secret7Word';
    await withTransaction(t.db.handle.kysely, (trx) =>
      setLoginPassword(trx, deps, payer.id, password, { temporary: false }),
    );
    const client = new TestClient(t.app);
    const card = payer.accounts[0]!.card_number!;
    const login = json(await client.post('/api/v1/auth/login', { identifier: card, password, channel: 'web' }));
    const loginCode = await latestCode(t.db.handle.kysely, payer.mobile);
    await client.post(`/api/v1/auth/login/${login.attemptId}/verify`, { method: 'sms', response: loginCode });
    t.clock.advance(61_000);
    const transfer = json(
      await client.post('/api/v1/transfers', {
        fromAccountId: payer.accounts[0]!.id,
        payee: { name: '李娜', accountNumber: payee.accounts[0]!.card_number },
        amount: { amount: '12.34', currency: 'CNY' },
      }),
    );
    const payCode = await latestCode(t.db.handle.kysely, payer.mobile);
    const done = json(
      await client.post(`/api/v1/transfers/${transfer.id}/authorize`, { method: 'sms', response: payCode }),
    );
    assert.equal(done.status, 'completed');
    const log = t.logs.join('');
    assert.ok(log.length > 1000, 'the requests were logged');
    for (const secret of [
      password,
      loginCode,
      payCode,
      card,
      payee.accounts[0]!.card_number!,
      client.cookies.get('jinku_sid')!,
    ]) {
      assert.ok(!log.includes(secret), `the log must not contain a secret (${secret.length} characters)`);
    }
    // One access line per request, with the request id a customer quotes to the hotline.
    const access = t.logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request');
    const authorize = access.find((line) => line.url === `/api/v1/transfers/${transfer.id}/authorize`);
    assert.equal(authorize?.method, 'POST');
    assert.equal(authorize?.statusCode, 200);
    assert.match(authorize?.reqId ?? '', /^R[0-9A-F]{12}$/);
    assert.equal(access.filter((line) => line.url === '/api/v1/auth/login').length, 1);
  });
});
