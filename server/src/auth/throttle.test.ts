import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { setLoginPassword } from './credentials.ts';

// Two server instances on one PostgreSQL database: what one learns about guessing, the other knows.
describe('login throttling across instances [postgres]', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    db = await openTestDatabase('postgres');
    a = await createTestApp('postgres', { db });
    b = await createTestApp('postgres', { db });
  });
  after(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  test('a failure on one instance makes the other ask for the captcha, by identifier and by address', async () => {
    const customer = await createTestCustomer(db.handle.kysely, { config: a.ctx.config, clock: a.clock });
    await withTransaction(db.handle.kysely, (trx) =>
      setLoginPassword(trx, { config: a.ctx.config, clock: a.clock }, customer.id, 'Qiang2026x', { temporary: false }),
    );
    const failed = await new TestClient(a.app, { ip: '203.0.113.9' }).post('/api/v1/auth/login', {
      identifier: customer.mobile,
      password: 'Wrong2026x',
      channel: 'web',
    });
    assert.equal(json(failed).code, 'auth.invalid_credentials');
    const sameIdentifier = await new TestClient(b.app, { ip: '198.51.100.1' }).post('/api/v1/auth/login', {
      identifier: customer.mobile,
      password: 'Qiang2026x',
      channel: 'web',
    });
    assert.equal(json(sameIdentifier).code, 'auth.captcha_required');
    const sameAddress = await new TestClient(b.app, { ip: '203.0.113.9' }).post('/api/v1/auth/login', {
      identifier: '13912345678',
      password: 'Whatever1',
      channel: 'web',
    });
    assert.equal(json(sameAddress).code, 'auth.captcha_required');
  });

  test('guessing at many accounts from one address is slowed, and nobody is locked out by it', async () => {
    const client = new TestClient(a.app, { ip: '203.0.113.77' });
    for (let i = 0; i < 21; i++) {
      const { captchaId } = json(await client.get('/api/v1/auth/captcha'));
      const { answer } = json(await client.get(`/api/v1/dev/captcha/${captchaId}`));
      await client.post('/api/v1/auth/login', {
        identifier: `1391000${String(i).padStart(4, '0')}`,
        password: 'Guess2026x',
        channel: 'web',
        captchaId,
        captchaAnswer: answer,
      });
    }
    const started = performance.now();
    const slowed = await new TestClient(b.app, { ip: '203.0.113.77' }).post('/api/v1/auth/login', {
      identifier: '13910009999',
      password: 'Guess2026x',
      channel: 'web',
    });
    assert.equal(json(slowed).code, 'auth.captcha_required');
    assert.ok(performance.now() - started >= 900, 'the other instance makes the flooding address wait');
  });
});
