import type { Kysely } from 'kysely';
import { batchPerTurn } from './batch-per-turn.ts';
import { dialectOf } from './database.ts';

/**
 * A read by key that shares one query with the other reads of the same turn of the event loop on
 * PostgreSQL (batchPerTurn), and runs alone on SQLite, which reads in-process with no round trip to
 * save. Nothing is cached: each call reads afresh. The dialect is decided here, so callers write no
 * dialect checks.
 */
export function readPerTurn<DB, K, V>(options: {
  maxBatchSize: number;
  /** One query for many keys; answers each key in order. */
  readMany: (db: Kysely<DB>, keys: readonly K[]) => Promise<Array<V | Error>>;
  /** The query for one key. */
  readOne: (db: Kysely<DB>, key: K) => Promise<V>;
}): (db: Kysely<DB>, key: K) => Promise<V> {
  const batchers = batchPerTurn<DB, K, V>(options.maxBatchSize, options.readMany);
  return (db, key) => (dialectOf(db) === 'postgres' ? batchers(db).load(key) : options.readOne(db, key));
}
