import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

/**
 * Gathers the calls made in one turn of the event loop into one batch, one batcher per database
 * (DataLoader, without its cache: every call is sent). Under load, requests that arrive together then
 * share one round trip to PostgreSQL instead of one each, which costs the server and the database more
 * than the query itself. `load` answers each key in order; an Error answers that key's call with it.
 */
export function batchPerTurn<DB, K, V>(
  maxBatchSize: number,
  load: (db: Kysely<DB>, keys: readonly K[]) => Promise<Array<V | Error>>,
): (db: Kysely<DB>) => DataLoader<K, V> {
  const batchers = new WeakMap<Kysely<DB>, DataLoader<K, V>>();
  return (db) => {
    let batcher = batchers.get(db);
    if (!batcher) {
      batcher = new DataLoader((keys) => load(db, keys), {
        cache: false,
        maxBatchSize,
        batchScheduleFn: (send) => setImmediate(send),
      });
      batchers.set(db, batcher);
    }
    return batcher;
  };
}
