import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { assert } from '../platform/assert.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError, requestErrors } from '../platform/errors.ts';
import { ledgerErrors } from './errors.ts';
import {
  deleteIdempotencyKeys,
  deleteIdempotencyKeysExpiredBy,
  deleteInFlightIdempotencyKey,
  type IdempotencyKeyRef,
  insertIdempotencyKey,
  insertIdempotencyKeysIfAbsent,
  lockIdempotencyKey,
  markIdempotencyKeyDone,
  restartIdempotencyKey,
} from './idempotency-store.ts';

/** Keys are kept at least this long (API contract: a client may retry for 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;

export type { IdempotencyKeyRef };
export type IdempotencyStart =
  /** Go ahead; pass `token` to finishIdempotent. `takenOver` when a crashed holder's lease had expired. */
  | { kind: 'new'; token: string; takenOver: boolean }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'conflict' }
  | { kind: 'in_flight' };

/**
 * Reserves an Idempotency-Key, committed before the work starts, so a concurrent request with the same
 * key sees it at once and never runs the work a second time.
 */
export async function beginIdempotent(
  db: Kysely<Database>,
  input: IdempotencyKeyRef & { requestHash: string; nowMs: number; leaseMs: number },
): Promise<IdempotencyStart> {
  assert(input.leaseMs > 0, 'lease must be positive');
  const token = randomUUID();
  // The usual case, a new key, is one statement committing on its own (no BEGIN/COMMIT round trips).
  const inserted = await insertKey(db, input, token);
  if (inserted) return { kind: 'new', token, takenOver: false };
  return withTransaction(db, async (trx) =>
    (await insertKey(trx, input, token))
      ? { kind: 'new', token, takenOver: false }
      : resolveExisting(trx, input, token),
  );
}

/**
 * Reserves the key inside the caller's transaction, the one that will also do the work and store the
 * answer. For SQLite, whose single writer already serialises requests: a duplicate waits for the first
 * to commit and then replays its answer, and the request costs one durable commit instead of two.
 */
export async function beginIdempotentIn(
  trx: Tx,
  input: IdempotencyKeyRef & { requestHash: string; nowMs: number; leaseMs: number },
): Promise<IdempotencyStart> {
  assert(input.leaseMs > 0, 'lease must be positive');
  const token = randomUUID();
  return (await insertKey(trx, input, token))
    ? { kind: 'new', token, takenOver: false }
    : resolveExisting(trx, input, token);
}

/** Inserts the key as in flight under `token`; false when the key is already there. */
async function insertKey(
  db: Kysely<Database>,
  input: IdempotencyKeyRef & { requestHash: string; nowMs: number; leaseMs: number },
  token: string,
): Promise<boolean> {
  return insertIdempotencyKey(db, {
    scope: input.scope,
    key: input.key,
    request_hash: input.requestHash,
    state: 'in_flight',
    lease_token: token,
    lease_until_ms: input.nowMs + input.leaseMs,
    response_status: null,
    response_body: null,
    created_at_ms: input.nowMs,
    expires_at_ms: input.nowMs + IDEMPOTENCY_RETENTION_MS,
  });
}

async function resolveExisting(
  trx: Tx,
  input: IdempotencyKeyRef & { requestHash: string; nowMs: number; leaseMs: number },
  token: string,
): Promise<IdempotencyStart> {
  const row = await lockIdempotencyKey(trx, input);
  const expired = row.expires_at_ms <= input.nowMs;
  if (!expired && row.request_hash !== input.requestHash) return { kind: 'conflict' };
  if (!expired && row.state === 'done') {
    assert(row.response_status !== null && row.response_body !== null, 'a done idempotency key has its answer');
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }
  if (!expired && row.lease_until_ms > input.nowMs) return { kind: 'in_flight' };
  // The holder crashed (lease over) or the key's retention ended: start afresh under a new token, which
  // also stops a holder that was merely slow from committing its answer (finishIdempotent checks it).
  await restartIdempotencyKey(trx, input, {
    requestHash: input.requestHash,
    leaseToken: token,
    leaseUntilMs: input.nowMs + input.leaseMs,
    retention: expired ? { createdAtMs: input.nowMs, expiresAtMs: input.nowMs + IDEMPOTENCY_RETENTION_MS } : null,
  });
  return { kind: 'new', token, takenOver: !expired };
}

/** Turns a refused start into its 409 problem; returns the start otherwise. */
export function requireProceed(start: IdempotencyStart): Exclude<IdempotencyStart, { kind: 'conflict' | 'in_flight' }> {
  if (start.kind === 'conflict') throw new AppError(requestErrors['request.idempotency_conflict']);
  if (start.kind === 'in_flight') throw new AppError(ledgerErrors['request.idempotency_in_flight']);
  return start;
}

/**
 * Stores the answer, called INSIDE the transaction that does the work so the answer and the money
 * movement commit together or not at all. Fails (rolling the work back) when the lease was taken over.
 */
export async function finishIdempotent(
  trx: Tx,
  input: IdempotencyKeyRef & { token: string; status: number; body: string; nowMs: number },
): Promise<void> {
  assert(Number.isInteger(input.status) && input.status >= 100 && input.status <= 599, 'HTTP status');
  const done = await markIdempotencyKeyDone(trx, input, { status: input.status, body: input.body });
  if (!done) throw new AppError(ledgerErrors['request.idempotency_in_flight']);
}

export type StoredAnswer = IdempotencyKeyRef & {
  requestHash: string;
  status: number;
  body: string;
  nowMs: number;
};

/**
 * Stores the answers of a batch of requests under their keys at once, inside the transaction that does
 * their work, before it moves any money: a key another request holds (in flight or done) is left as it
 * is and reported, and its request must go the way of idempotently (replay, 409). On PostgreSQL a
 * concurrent request with one of these keys waits for this transaction and then replays its answer.
 * Keys are inserted in sorted order, so two batches never wait on each other's keys in a circle.
 * Returns, per answer, whether it was stored.
 */
export async function storeAnswers(trx: Tx, answers: readonly StoredAnswer[]): Promise<boolean[]> {
  const refOf = (a: IdempotencyKeyRef) => `${a.scope}\u001f${a.key}`;
  const sorted = [...answers].sort((a, b) => (refOf(a) < refOf(b) ? -1 : refOf(a) > refOf(b) ? 1 : 0));
  const inserted = await insertIdempotencyKeysIfAbsent(
    trx,
    sorted.map((a) => ({
      scope: a.scope,
      key: a.key,
      request_hash: a.requestHash,
      state: 'done' as const,
      lease_token: randomUUID(),
      lease_until_ms: a.nowMs,
      response_status: a.status,
      response_body: a.body,
      created_at_ms: a.nowMs,
      expires_at_ms: a.nowMs + IDEMPOTENCY_RETENTION_MS,
    })),
  );
  const stored = new Set(inserted.map(refOf));
  return answers.map((a) => stored.has(refOf(a)));
}

/** Removes answers stored by storeAnswers whose work was then refused in the same transaction. */
export async function forgetAnswers(trx: Tx, refs: readonly IdempotencyKeyRef[]): Promise<void> {
  if (refs.length === 0) return;
  await deleteIdempotencyKeys(trx, refs);
}

/**
 * Gives the key up after a failure that stored no answer (an unexpected error), so the client's retry
 * runs afresh instead of waiting for the lease to run out. Only the current holder can release it.
 */
export async function releaseIdempotent(db: Kysely<Database>, input: IdempotencyKeyRef & { token: string }) {
  await deleteInFlightIdempotencyKey(db, input);
}

/** Deletes keys past their retention; run periodically. Returns how many were removed. */
export async function purgeExpiredIdempotencyKeys(db: Kysely<Database>, nowMs: number): Promise<number> {
  return deleteIdempotencyKeysExpiredBy(db, nowMs);
}

/** SHA-256 (hex) of the request in a canonical form: same method, URL and JSON body → same hash. */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson([method.toUpperCase(), url, body ?? null]))
    .digest('hex');
}

/** JSON with object keys sorted at every level, so key order in the client's body does not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
