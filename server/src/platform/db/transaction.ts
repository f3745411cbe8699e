import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import { dialectOf } from './database.ts';
import { inGroupCommit } from './group-commit.ts';
import { CommitInDoubt, isConnectionLost } from './unavailable.ts';

export const MAX_TRANSACTION_TRIES = 10;

/**
 * Runs `fn` in a database transaction, and runs it again from the start when the database asks for a
 * retry: SQLITE_BUSY from another process, or PostgreSQL's serialization failure (40001) and deadlock
 * (40P01), which Postgres-compatible distributed databases raise routinely, and a PostgreSQL connection
 * lost before its COMMIT was sent. `fn` must therefore read the state it needs inside the transaction
 * and have no side effects outside it. A connection lost during COMMIT throws CommitInDoubt. On SQLite the
 * transaction shares its durable commit with those queued beside it (see group-commit.ts).
 */
export async function withTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (dialectOf(db) === 'sqlite') {
    return inGroupCommit(db, fn, (error, attempt) => attempt < MAX_TRANSACTION_TRIES && isRetryable(error));
  }
  for (let attempt = 1; ; attempt++) {
    // Set once `fn` has returned: from then on Kysely is sending COMMIT.
    let committing = false;
    try {
      return await db.transaction().execute(async (trx) => {
        const result = await fn(trx);
        committing = true;
        return result;
      });
    } catch (error) {
      // A connection lost before COMMIT was sent leaves nothing behind (PostgreSQL rolls back the
      // transaction of a connection that goes away), so it is retried like a serialization failure; one
      // lost during COMMIT may have committed, and only the client's retry with its key can tell.
      const lost = isConnectionLost(error);
      if (lost && committing) throw new CommitInDoubt(error);
      if (attempt >= MAX_TRANSACTION_TRIES || !(lost || isRetryable(error))) throw error;
      // Full jitter backoff (2, 4, 8 … ms, capped) so colliding transactions spread out; a lost
      // connection waits longer, for the pool to reconnect or the database to come back.
      await sleep(Math.random() * Math.min(lost ? 400 : 200, 2 ** (lost ? attempt + 4 : attempt)));
    }
  }
}

/** True for errors after which the whole transaction may succeed when run again. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; errcode?: unknown };
  if (e.code === '40001' || e.code === '40P01' || e.code === '55P03') return true;
  // node:sqlite reports SQLITE_BUSY (5) and SQLITE_LOCKED (6), with extended codes in the high bits.
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    const primary = e.errcode & 0xff;
    return primary === 5 || primary === 6;
  }
  return false;
}

/** True when the error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown };
  if (e.code === '23505') return true;
  return e.code === 'ERR_SQLITE_ERROR' && (e.errcode === 2067 || e.errcode === 1555);
}
