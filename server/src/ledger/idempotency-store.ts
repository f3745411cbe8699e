import type { Insertable, Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import type { LedgerTables } from './store.ts';

/**
 * Every query on idempotency_key (the rules are in idempotency.ts). Functions that must run inside a
 * transaction (they lock the key, or write beside the work they answer for) take a `Tx`.
 */

export type IdempotencyKeyRef = { scope: string; key: string };
export type NewIdempotencyKey = Insertable<LedgerTables['idempotency_key']>;

/** Writes the key unless it is already there; false when it was. */
export async function insertIdempotencyKey(db: Kysely<Database>, row: NewIdempotencyKey): Promise<boolean> {
  const inserted = await db
    .insertInto('idempotency_key')
    .values(row)
    // On PostgreSQL this waits for a concurrent inserter of the same key to commit, then skips.
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .executeTakeFirst();
  return inserted.numInsertedOrUpdatedRows === 1n;
}

/** The key's row, locked until the transaction ends; it must exist. */
export function lockIdempotencyKey(trx: Tx, ref: IdempotencyKeyRef) {
  return trx
    .selectFrom('idempotency_key')
    .selectAll()
    .where('scope', '=', ref.scope)
    .where('key', '=', ref.key)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/**
 * Puts the key back in flight for a new request hash under a new lease token, with no answer; with
 * `retention`, its retention period starts again too.
 */
export async function restartIdempotencyKey(
  trx: Tx,
  ref: IdempotencyKeyRef,
  start: {
    requestHash: string;
    leaseToken: string;
    leaseUntilMs: number;
    retention: { createdAtMs: number; expiresAtMs: number } | null;
  },
): Promise<void> {
  await trx
    .updateTable('idempotency_key')
    .set({
      request_hash: start.requestHash,
      state: 'in_flight',
      lease_token: start.leaseToken,
      lease_until_ms: start.leaseUntilMs,
      response_status: null,
      response_body: null,
      ...(start.retention
        ? { created_at_ms: start.retention.createdAtMs, expires_at_ms: start.retention.expiresAtMs }
        : {}),
    })
    .where('scope', '=', ref.scope)
    .where('key', '=', ref.key)
    .execute();
}

/** Stores the answer on a key still in flight under this lease token; false when it is not. */
export async function markIdempotencyKeyDone(
  trx: Tx,
  ref: IdempotencyKeyRef & { token: string },
  answer: { status: number; body: string },
): Promise<boolean> {
  const result = await trx
    .updateTable('idempotency_key')
    .set({ state: 'done', response_status: answer.status, response_body: answer.body })
    .where('scope', '=', ref.scope)
    .where('key', '=', ref.key)
    .where('state', '=', 'in_flight')
    .where('lease_token', '=', ref.token)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Writes the keys in the given order, skipping any already there; returns the ones written. */
export function insertIdempotencyKeysIfAbsent(trx: Tx, rows: readonly NewIdempotencyKey[]) {
  return trx
    .insertInto('idempotency_key')
    .values(rows)
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning(['scope', 'key'])
    .execute();
}

/** Deletes the given keys (at least one) in one statement. */
export async function deleteIdempotencyKeys(trx: Tx, refs: readonly IdempotencyKeyRef[]): Promise<void> {
  await trx
    .deleteFrom('idempotency_key')
    .where((eb) => eb.or(refs.map((r) => eb.and([eb('scope', '=', r.scope), eb('key', '=', r.key)]))))
    .execute();
}

/** Deletes the key if it is still in flight under this lease token. */
export async function deleteInFlightIdempotencyKey(
  db: Kysely<Database>,
  ref: IdempotencyKeyRef & { token: string },
): Promise<void> {
  await db
    .deleteFrom('idempotency_key')
    .where('scope', '=', ref.scope)
    .where('key', '=', ref.key)
    .where('state', '=', 'in_flight')
    .where('lease_token', '=', ref.token)
    .execute();
}

/** Deletes keys whose retention ended at or before `nowMs`; returns how many went. */
export async function deleteIdempotencyKeysExpiredBy(db: Kysely<Database>, nowMs: number): Promise<number> {
  const result = await db.deleteFrom('idempotency_key').where('expires_at_ms', '<=', nowMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}
