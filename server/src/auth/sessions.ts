import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import {
  insertSession,
  revokeAllSessions,
  revokeSessionById,
  revokeSessionByTokenHash,
  revokeSessionsOf,
  type SessionRow,
  sessionByTokenHash,
  touchSession,
} from './store.ts';

export const SESSION_COOKIE = 'jinku_sid';
/** A session's last-seen time is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 15_000;
/** Longer than any token we issue (43 characters): not worth a hash and a query. */
const MAX_TOKEN_LENGTH = 100;

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

/** Creates a session in the caller's transaction and returns its token (for the cookie). */
export async function createSession(trx: Tx, ctx: Pick<AppContext, 'config' | 'clock'>, input: NewSession) {
  const nowMs = ctx.clock.nowMs();
  if (input.previousToken) await revokeSessionByTokenHash(trx, hashToken(input.previousToken), nowMs);
  const token = randomBytes(32).toString('base64url');
  const id = newId<'Session'>();
  await insertSession(trx, {
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

/** Whether a stored session is still usable now: not revoked, within both timeouts. */
export function isLive(session: SessionRow, nowMs: number, idleTimeoutSeconds: number): boolean {
  return (
    session.revoked_at_ms === null &&
    session.expires_at_ms > nowMs &&
    session.last_seen_at_ms + idleTimeoutSeconds * 1000 > nowMs
  );
}

/** The live session of a cookie's token, touching its last-seen time; null when there is none. */
export async function liveSession(ctx: AppContext, token: string | undefined): Promise<SessionRow | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  const db = ctx.db.kysely;
  const session = await sessionByTokenHash(db, hashToken(token));
  const nowMs = ctx.clock.nowMs();
  if (!session || !isLive(session, nowMs, ctx.config.sessionIdleTimeoutSeconds)) return null;
  if (nowMs - session.last_seen_at_ms >= TOUCH_EVERY_MS) await touchSession(db, session.id, nowMs);
  return session;
}

/** Ends a session on the server (logout, or revoked from the security centre). */
export function revokeSession(ctx: Pick<AppContext, 'db' | 'clock'>, sessionId: string): Promise<void> {
  return revokeSessionById(ctx.db.kysely, sessionId, ctx.clock.nowMs());
}

/**
 * Ends every session of a customer in the caller's transaction (a password reset signs out everywhere);
 * how many were open.
 */
export function endSessionsOf(trx: Tx, ctx: Pick<AppContext, 'clock'>, customerId: string): Promise<number> {
  return revokeSessionsOf(trx, customerId, ctx.clock.nowMs());
}

/**
 * Ends every customer session at once, in the caller's transaction: the operator's answer to a suspected
 * leak (`npm run sessions -- end --all`; OWASP ASVS 5.0 7.4.5). How many were open.
 */
export function endAllSessions(trx: Tx, ctx: Pick<AppContext, 'clock'>): Promise<number> {
  return revokeAllSessions(trx, ctx.clock.nowMs());
}
