import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { deleteChallengesCreatedBefore, deleteSmsOtpsCreatedBefore } from './store.ts';

/**
 * Deletes SMS codes and challenges older than a day: they expired after 5 minutes, and the daily cap
 * counts only the last 24 hours of codes. Returns the number of rows removed.
 */
export async function purgeOldSmsCodes(db: Kysely<Database>, nowMs: number): Promise<number> {
  const codes = await deleteSmsOtpsCreatedBefore(db, nowMs - 86_400_000);
  return codes + (await deleteChallengesCreatedBefore(db, nowMs - 86_400_000));
}
