import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import {
  beginIdempotent,
  beginIdempotentIn,
  finishIdempotent,
  releaseIdempotent,
  requestHash,
  requireProceed,
} from '../ledger/index.ts';
import type { AppContext } from '../platform/context.ts';
import { dialectOf } from '../platform/db/database.ts';
import { withTransaction } from '../platform/db/transaction.ts';

/** How long a request may hold its key before a retry may take over (it crashed): above any request's time. */
export const LEASE_MS = 30_000;

export type Answer = { status: number; body: unknown };

/**
 * Runs a money-moving request at most once per Idempotency-Key (API.md, "Conventions"): the same key
 * and body answer the stored result again, a different body is a 409, and a request still running
 * with the key is a 409 too (on SQLite it waits and gets the answer) — never a second execution. The
 * stored answer commits in the same transaction as the work. Without a key the work simply runs.
 */
export async function idempotently(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  work: (trx: Kysely<Database>) => Promise<Answer>,
) {
  const key = request.headers['idempotency-key'];
  const db = ctx.db.kysely;
  if (typeof key !== 'string') {
    const answer = await withTransaction(db, work);
    return reply.code(answer.status).send(answer.body);
  }
  const reservation = {
    scope,
    key,
    requestHash: requestHash(request.method, request.routeOptions.url ?? request.url, request.body),
    nowMs: ctx.clock.nowMs(),
    leaseMs: LEASE_MS,
  };
  if (dialectOf<Database>(db) === 'sqlite') {
    // One writer: reserve, work and answer in one transaction (one durable commit per request).
    const outcome: { replay: { status: number; body: string } } | { result: Answer } = await withTransaction(
      db,
      async (trx) => {
        const start = requireProceed(await beginIdempotentIn(trx, { ...reservation, nowMs: ctx.clock.nowMs() }));
        if (start.kind === 'replay') return { replay: start };
        const result = await work(trx);
        await finishIdempotent(trx, {
          scope,
          key,
          token: start.token,
          status: result.status,
          body: JSON.stringify(result.body),
          nowMs: ctx.clock.nowMs(),
        });
        return { result };
      },
    );
    if ('replay' in outcome) {
      return reply
        .code(outcome.replay.status)
        .header('idempotency-replayed', 'true')
        .type('application/json')
        .send(outcome.replay.body);
    }
    return reply.code(outcome.result.status).send(outcome.result.body);
  }
  const start = requireProceed(await beginIdempotent(db, reservation));
  if (start.kind === 'replay') {
    return reply.code(start.status).header('idempotency-replayed', 'true').type('application/json').send(start.body);
  }
  try {
    const answer = await withTransaction(db, async (trx) => {
      const result = await work(trx);
      await finishIdempotent(trx, {
        scope,
        key,
        token: start.token,
        status: result.status,
        body: JSON.stringify(result.body),
        nowMs: ctx.clock.nowMs(),
      });
      return result;
    });
    return reply.code(answer.status).send(answer.body);
  } catch (error) {
    // Nothing was stored or moved: let the client's retry run afresh rather than wait out the lease.
    await releaseIdempotent(db, { scope, key, token: start.token });
    throw error;
  }
}
