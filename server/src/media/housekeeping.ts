import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

/**
 * Deletes SMS codes older than a day: they expired after 5 minutes and the daily cap counts only the
 * last 24 hours. Returns the number of rows removed.
 */
export async function purgeOldSmsCodes(db: Kysely<Database>, nowMs: number): Promise<number> {
  const result = await db
    .deleteFrom('sms_otp')
    .where('created_at_ms', '<', nowMs - 86_400_000)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
