import { setLoginPassword } from '../auth/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import type { TestApp } from './app.ts';
import { json } from './app.ts';
import { latestCode, type TestCustomer } from './bank.ts';
import { TestClient } from './client.ts';

export const TEST_PASSWORD = 'Qiang2026x';
let ipCounter = 1;

/**
 * A browser signed in as the customer through the real flow: password, then the SMS code a new device
 * is asked for. Each client speaks from its own address.
 */
export async function signedInClient(
  t: TestApp,
  customer: TestCustomer,
  password = TEST_PASSWORD,
): Promise<TestClient> {
  const deps = { config: t.ctx.config, clock: t.clock };
  const existing = await t.db.handle.kysely
    .selectFrom('login_credential')
    .select('customer_id')
    .where('customer_id', '=', customer.id)
    .executeTakeFirst();
  if (!existing) {
    await withTransaction(t.db.handle.kysely, (trx) =>
      setLoginPassword(trx, deps, customer.id, password, { temporary: false }),
    );
  }
  const client = new TestClient(t.app, { ip: `172.16.${Math.floor(ipCounter / 250)}.${ipCounter++ % 250}` });
  const started = json(
    await client.post('/api/v1/auth/login', { identifier: customer.mobile, password, channel: 'web' }),
  );
  if (started.state === 'challenge') {
    const code = await latestCode(t.db.handle.kysely, customer.mobile);
    const done = json(
      await client.post(`/api/v1/auth/login/${started.attemptId}/verify`, { method: 'sms', response: code }),
    );
    if (done.state !== 'authenticated') throw new Error(`sign-in failed: ${JSON.stringify(done)}`);
  } else if (started.state !== 'authenticated') {
    throw new Error(`sign-in failed: ${JSON.stringify(started)}`);
  }
  // The sign-in code used this mobile's resend minute; payments in the test may send the next one at once.
  t.clock.advance(61_000);
  return client;
}
