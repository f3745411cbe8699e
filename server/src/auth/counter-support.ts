import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { credentialOf } from './store.ts';

/**
 * What the counter (another domain) may read of a customer's online-banking login, so that it never
 * touches auth's tables itself (it lifts locks with liftLoginLock and ends sessions with endSessionsOf).
 */

/** The online-banking login of a customer as the teller sees it; `registered: false` when there is none. */
export type LoginStatus = {
  registered: boolean;
  mustChangePassword: boolean;
  failedCount: number;
  lockedUntilMs: number | null;
  lastLoginAtMs: number | null;
};

export async function loginStatusOf(db: Kysely<Database>, customerId: string): Promise<LoginStatus> {
  const credential = await credentialOf(db, customerId);
  if (!credential)
    return { registered: false, mustChangePassword: false, failedCount: 0, lockedUntilMs: null, lastLoginAtMs: null };
  return {
    registered: true,
    mustChangePassword: Boolean(credential.must_change_password),
    failedCount: credential.failed_count,
    lockedUntilMs: credential.locked_until_ms,
    lastLoginAtMs: credential.last_login_at_ms,
  };
}
