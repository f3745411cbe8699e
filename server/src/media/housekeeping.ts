import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { deleteSmsOtpsCreatedBefore } from './store.ts';

/**
 * Deletes SMS codes older than a day: they expired after 5 minutes and the daily cap counts only the
 * last 24 hours. Returns the number of rows removed.
 */
export async function purgeOldSmsCodes(db: Kysely<Database>, nowMs: number): Promise<number> {
  return deleteSmsOtpsCreatedBefore(db, nowMs - 86_400_000);
}
