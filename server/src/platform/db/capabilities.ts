import type { Kysely } from 'kysely';
import { dialectOf } from './database.ts';

/**
 * True when the database has one writer at a time (SQLite): a transaction never waits for another's
 * row locks, so a request may reserve its Idempotency-Key, do its work and store its answer in one
 * transaction and one durable commit. Domains ask for the property, never for the dialect.
 */
export function hasSingleWriter<DB>(db: Kysely<DB>): boolean {
  return dialectOf(db) === 'sqlite';
}
