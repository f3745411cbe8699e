import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { purgeRegistrationRows } from './store.ts';

const DAY_MS = 86_400_000;

/**
 * Deletes registration SMS requests older than a day (the throttles count only the last 24 hours) and
 * password resets that expired more than a day ago (their audit rows stay). Returns the rows removed.
 */
export function purgeRegistrationLeftovers(db: Kysely<Database>, nowMs: number): Promise<number> {
  return purgeRegistrationRows(db, { requestsBeforeMs: nowMs - DAY_MS, resetsBeforeMs: nowMs - DAY_MS });
}
