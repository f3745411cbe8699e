import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

const DAY_MS = 86_400_000;
/** Ended sessions are kept a while for support questions ("was I signed in on Tuesday?"), then go. */
const ENDED_SESSION_KEEP_MS = 30 * DAY_MS;

/**
 * Deletes sign-in leftovers nobody can use any more: attempts and captchas past their expiry, failure
 * records older than the 24-hour window that counts them, and sessions ended over 30 days ago. Login
 * history (`login_event`) and the audit log are kept. Returns the number of rows removed.
 */
export async function purgeAuthLeftovers(db: Kysely<Database>, nowMs: number): Promise<number> {
  const removed = await Promise.all([
    db
      .deleteFrom('login_attempt')
      .where('expires_at_ms', '<', nowMs - DAY_MS)
      .executeTakeFirst(),
    db.deleteFrom('captcha').where('expires_at_ms', '<', nowMs).executeTakeFirst(),
    db
      .deleteFrom('login_failure')
      .where('at_ms', '<', nowMs - DAY_MS)
      .executeTakeFirst(),
    db
      .deleteFrom('session')
      .where((eb) =>
        eb.or([
          eb('expires_at_ms', '<', nowMs - ENDED_SESSION_KEEP_MS),
          eb('revoked_at_ms', '<', nowMs - ENDED_SESSION_KEEP_MS),
        ]),
      )
      .executeTakeFirst(),
  ]);
  return removed.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
}
