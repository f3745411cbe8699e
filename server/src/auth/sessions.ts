import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { batchPerTurn } from '../platform/db/batch-per-turn.ts';
import { dialectOf } from '../platform/db/database.ts';
import { preparedQuery } from '../platform/db/prepared.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { authErrors as errors } from './errors.ts';
import type { SessionRow } from './store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in customer, set by requireCustomer. */
    customerId: string;
    /** The customer's session, set by requireCustomer. */
    sessionId: string;
  }
}

export const SESSION_COOKIE = 'jinku_sid';
/** A session's last-seen time is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 15_000;

/**
 * Sessions (ARCHITECTURE.md §3): a 256-bit random token in an HttpOnly, SameSite=Strict cookie, stored
 * only as its SHA-256, so a copy of the table cannot be used to sign in. Idle and absolute timeouts
 * come from the configuration.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type NewSession = {
  customerId: string;
  channel: string;
  deviceId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The token of the session this browser had, revoked now (rotation at login). */
  previousToken?: string | undefined;
};

// Prepared (compiled once): every sign-in runs them.
const revokeByToken = preparedQuery((db: Kysely<Database>, args: { tokenHash: string; nowMs: number }) =>
  db
    .updateTable('session')
    .set({ revoked_at_ms: args.nowMs })
    .where('token_hash', '=', args.tokenHash)
    .where('revoked_at_ms', 'is', null),
);
const insertSession = preparedQuery(
  (
    db: Kysely<Database>,
    args: {
      id: string;
      tokenHash: string;
      customerId: string;
      channel: string;
      deviceId: string | null;
      ip: string | null;
      userAgent: string | null;
      nowMs: number;
      expiresAtMs: number;
    },
  ) =>
    db.insertInto('session').values({
      id: args.id,
      token_hash: args.tokenHash,
      customer_id: args.customerId,
      channel: args.channel,
      device_id: args.deviceId,
      ip: args.ip,
      user_agent: args.userAgent,
      created_at_ms: args.nowMs,
      last_seen_at_ms: args.nowMs,
      expires_at_ms: args.expiresAtMs,
      revoked_at_ms: null,
    }),
);

/** Creates a session in the caller's transaction and returns its token (for the cookie). */
export async function createSession(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'config' | 'clock'>,
  input: NewSession,
) {
  const nowMs = ctx.clock.nowMs();
  if (input.previousToken) await revokeByToken.run(trx, { tokenHash: hashToken(input.previousToken), nowMs });
  const token = randomBytes(32).toString('base64url');
  const id = newId<'Session'>();
  await insertSession.run(trx, {
    id,
    tokenHash: hashToken(token),
    customerId: input.customerId,
    channel: input.channel,
    deviceId: input.deviceId,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    nowMs,
    expiresAtMs: nowMs + ctx.config.sessionAbsoluteTimeoutSeconds * 1000,
  });
  return { id, token };
}

export function setSessionCookie(reply: FastifyReply, ctx: Pick<AppContext, 'config'>, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.env === 'production',
    maxAge: ctx.config.sessionAbsoluteTimeoutSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, ctx: Pick<AppContext, 'config'>) {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.env === 'production',
  });
}

/** Whether a stored session is still usable now: not revoked, within both timeouts. */
export function isLive(session: SessionRow, nowMs: number, idleTimeoutSeconds: number): boolean {
  return (
    session.revoked_at_ms === null &&
    session.expires_at_ms > nowMs &&
    session.last_seen_at_ms + idleTimeoutSeconds * 1000 > nowMs
  );
}

/** The live session of a request's cookie, touching its last-seen time; null when there is none. */
export async function currentSession(ctx: AppContext, request: FastifyRequest): Promise<SessionRow | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || token.length > 100) return null;
  const db = ctx.db.kysely;
  const session =
    dialectOf(db) === 'postgres'
      ? await sessionLookups(db).load(hashToken(token))
      : await sessionByToken.first(db, { tokenHash: hashToken(token) });
  const nowMs = ctx.clock.nowMs();
  if (!session || !isLive(session, nowMs, ctx.config.sessionIdleTimeoutSeconds)) return null;
  if (nowMs - session.last_seen_at_ms >= TOUCH_EVERY_MS) await touchSession.run(db, { id: session.id, nowMs });
  return session;
}

// Prepared (compiled once): every signed-in request reads its session.
const sessionByToken = preparedQuery((db: Kysely<Database>, args: { tokenHash: string }) =>
  db.selectFrom('session').selectAll().where('token_hash', '=', args.tokenHash),
);
const touchSession = preparedQuery((db: Kysely<Database>, args: { id: string; nowMs: number }) =>
  db.updateTable('session').set({ last_seen_at_ms: args.nowMs }).where('id', '=', args.id),
);

/**
 * On PostgreSQL the sessions of the requests that arrive in one turn of the event loop are read in one
 * query. Nothing is cached: every request reads its session afresh, so a revocation holds at once on
 * every instance. (SQLite reads in-process; there is no round trip to save.)
 */
const sessionLookups = batchPerTurn<Database, string, SessionRow | undefined>(64, async (db, hashes) => {
  const rows = await db
    .selectFrom('session')
    .selectAll()
    .where(sql<boolean>`token_hash = any(${[...hashes]}::text[])`)
    .execute();
  const byHash = new Map(rows.map((row) => [row.token_hash, row]));
  return hashes.map((hash) => byHash.get(hash));
});

/** A preHandler for customer routes: 401 `auth.session_required` without a live session. */
export function requireCustomer(ctx: AppContext) {
  return async (request: FastifyRequest) => {
    const session = await currentSession(ctx, request);
    if (!session) throw new AppError(errors['auth.session_required']);
    request.customerId = session.customer_id;
    request.sessionId = session.id;
  };
}

/** Ends a session on the server (logout, or revoked from the security centre). */
export async function revokeSession(db: Kysely<Database>, sessionId: string, nowMs: number): Promise<void> {
  await db
    .updateTable('session')
    .set({ revoked_at_ms: nowMs })
    .where('id', '=', sessionId)
    .where('revoked_at_ms', 'is', null)
    .execute();
}
