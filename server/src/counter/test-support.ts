import { randomBytes, randomInt } from 'node:crypto';
import { withTransaction } from '../platform/db/transaction.ts';
import type { TestApp } from '../testing/app.ts';
import { TestClient } from '../testing/client.ts';
import { createStaff } from './staff.ts';
import type { StaffRole } from './store.ts';
import { staffTotpCode } from './totp.ts';

/** Test helpers of the counter: staff members with their own secrets, and browsers signed in as them. */

export type TestStaff = { id: string; username: string; password: string; totpSecret: string; branch: string };

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new staff member with a random username and 160-bit TOTP secret. */
export async function createTestStaff(t: TestApp, role: StaffRole, branch = '0001'): Promise<TestStaff> {
  const username = `${role}${randomInt(1_000_000)}`;
  const password = `Pw-${randomBytes(6).toString('hex')}`;
  const totpSecret = Array.from(randomBytes(32), (byte) => BASE32[byte % 32]).join('');
  const id = await withTransaction(t.db.handle.kysely, (trx) =>
    createStaff(
      trx,
      { config: t.ctx.config, clock: t.clock },
      {
        username,
        name: `测试${role}`,
        role,
        branchCode: branch,
        password,
        totpSecret,
      },
    ),
  );
  return { id, username, password, totpSecret, branch };
}

/** The code the staff member's authenticator app shows now. */
export function totpNow(t: TestApp, staff: TestStaff): string {
  return staffTotpCode(staff.totpSecret, t.clock.nowMs());
}

/**
 * A browser signed in at the counter as the staff member. The clock moves on one TOTP step first, so
 * the same staff member may sign in again in one test (a code is accepted once).
 */
export async function staffClient(t: TestApp, staff: TestStaff): Promise<TestClient> {
  t.clock.advance(30_000);
  const client = new TestClient(t.app, { sessionPath: '/api/v1/counter/session' });
  const response = await client.post('/api/v1/counter/login', {
    username: staff.username,
    password: staff.password,
    totp: totpNow(t, staff),
  });
  if (response.statusCode !== 200) throw new Error(`staff sign-in failed: ${response.body}`);
  return client;
}
