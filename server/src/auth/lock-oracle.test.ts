import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { setLoginPassword } from './credentials.ts';

/** The headers a prober could read something from. */
const COMPARED_HEADERS = ['content-type', 'cache-control', 'retry-after'];
const LOCAL_TIME = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/g;

type Answer = { status: number; headers: Record<string, unknown>; body: Record<string, unknown> };

/**
 * An answer without what differs between any two requests: the request id, and the lock's end, which
 * depends on the millisecond of the fifth attempt (checked separately to be within seconds).
 */
function comparable(answer: Answer) {
  const { instance: _instance, lockedUntil: _lockedUntil, ...body } = answer.body;
  return {
    status: answer.status,
    headers: Object.fromEntries(COMPARED_HEADERS.map((name) => [name, answer.headers[name]])),
    setCookies: [answer.headers['set-cookie'] ?? []].flat().map((cookie) => String(cookie).split('=')[0]),
    body: { ...body, detail: String(body.detail ?? '').replace(LOCAL_TIME, '<time>') },
  };
}

for (const dialect of DIALECTS) {
  describe(`the lock tells nobody who banks here [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    /** One wrong password with the captcha solved, as a prober would send it. */
    async function wrongPassword(client: TestClient, identifier: string, attempt: number): Promise<Answer> {
      const { captchaId } = json(await client.get('/api/v1/auth/captcha'));
      const { answer } = json(await client.get(`/api/v1/dev/captcha/${captchaId}`));
      const response = await client.post('/api/v1/auth/login', {
        identifier,
        password: `Wrong${attempt}abc`,
        channel: 'web',
        captchaId,
        captchaAnswer: answer,
      });
      return { status: response.statusCode, headers: response.headers, body: json(response) };
    }

    /** Seven wrong passwords for each identifier, step by step side by side; every pair must match. */
    async function assertSameSequence(real: string, unknown: string, round: string) {
      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 7; attempt++) {
        const a = await wrongPassword(new TestClient(t.app, { ip: `10.77.${round}.1` }), real, attempt);
        const b = await wrongPassword(new TestClient(t.app, { ip: `10.77.${round}.2` }), unknown, attempt);
        assert.deepEqual(comparable(b), comparable(a), `${round}: attempt ${attempt}`);
        if (a.body.lockedUntil !== undefined) {
          const apartMs = Math.abs(Date.parse(String(a.body.lockedUntil)) - Date.parse(String(b.body.lockedUntil)));
          assert.ok(apartMs < 10_000, `${round}: the locks end together (${apartMs} ms apart)`);
        }
        statuses.push(a.status);
      }
      return statuses;
    }

    test('a real customer and an unknown identifier answer alike at every step, and after the lock period', async () => {
      const deps = { config: t.ctx.config, clock: t.clock };
      const customer = await createTestCustomer(t.db.handle.kysely, deps);
      await withTransaction(t.db.handle.kysely, (trx) =>
        setLoginPassword(trx, deps, customer.id, 'Qiang2026x', { temporary: false }),
      );
      const unknown = dialect === 'sqlite' ? '13988880001' : '13988880002';
      const first = await assertSameSequence(customer.mobile, unknown, '1');
      assert.deepEqual(first, [401, 401, 401, 401, 423, 423, 423], 'locked at the fifth, and stays locked');
      t.clock.advance((t.ctx.config.loginLockSeconds + 1) * 1000);
      const second = await assertSameSequence(customer.mobile, unknown, '2');
      assert.deepEqual(second, [401, 401, 401, 401, 423, 423, 423], 'after the lock the count starts afresh');
    });
  });
}
