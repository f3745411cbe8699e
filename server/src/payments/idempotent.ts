import type { Tx } from '../database.ts';
import {
  beginIdempotent,
  beginIdempotentIn,
  finishIdempotent,
  releaseIdempotent,
  requireProceed,
} from '../ledger/index.ts';
import type { AppContext } from '../platform/context.ts';
import { hasSingleWriter } from '../platform/db/capabilities.ts';
import { withTransaction } from '../platform/db/transaction.ts';

/** How long a request may hold its key before a retry may take over (it crashed): above any request's time. */
export const LEASE_MS = 30_000;

/** What the work of a request answers. */
export type Answer = { status: number; body: unknown };
/**
 * What the client is sent: an answer (`body`), or one already in JSON (`json`): the stored answer of the
 * first request with the key (`replayed`), or one made by a batch with the answer it stored.
 */
export type Outcome = { status: number; replayed: boolean } & ({ body: unknown } | { json: string });

/** A request's Idempotency-Key, in the scope of its customer, with the hash of the request itself. */
export type IdempotencyRef = { scope: string; key: string; requestHash: string };

/**
 * Runs a money-moving request at most once per Idempotency-Key (API.md, "Conventions"): the same key
 * and body answer the stored result again, a different body is a 409, and a request still running
 * with the key is a 409 too (on SQLite it waits and gets the answer) — never a second execution. The
 * stored answer commits in the same transaction as the work. Without a key the work simply runs.
 */
export async function idempotently(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  ref: IdempotencyRef | null,
  work: (trx: Tx) => Promise<Answer>,
): Promise<Outcome> {
  const db = ctx.db.kysely;
  if (!ref) return { ...(await withTransaction(db, work)), replayed: false };
  const reservation = { ...ref, nowMs: ctx.clock.nowMs(), leaseMs: LEASE_MS };
  const finish = async (trx: Tx, token: string, answer: Answer) =>
    finishIdempotent(trx, {
      scope: ref.scope,
      key: ref.key,
      token,
      status: answer.status,
      body: JSON.stringify(answer.body),
      nowMs: ctx.clock.nowMs(),
    });
  if (hasSingleWriter(db)) {
    // One writer: reserve, work and answer in one transaction (one durable commit per request).
    return withTransaction(db, async (trx): Promise<Outcome> => {
      const start = requireProceed(await beginIdempotentIn(trx, { ...reservation, nowMs: ctx.clock.nowMs() }));
      if (start.kind === 'replay') return { status: start.status, json: start.body, replayed: true };
      const answer = await work(trx);
      await finish(trx, start.token, answer);
      return { ...answer, replayed: false };
    });
  }
  const start = requireProceed(await beginIdempotent(db, reservation));
  if (start.kind === 'replay') return { status: start.status, json: start.body, replayed: true };
  try {
    return await withTransaction(db, async (trx): Promise<Outcome> => {
      const answer = await work(trx);
      await finish(trx, start.token, answer);
      return { ...answer, replayed: false };
    });
  } catch (error) {
    // Nothing was stored or moved: let the client's retry run afresh rather than wait out the lease.
    // With the database gone the release fails too; then the lease runs out (LEASE_MS) and the retry
    // meanwhile hears 409 "in flight". The first error is the one the client is told.
    await releaseIdempotent(db, { scope: ref.scope, key: ref.key, token: start.token }).catch(() => undefined);
    throw error;
  }
}
