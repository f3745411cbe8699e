/**
 * How the platform tells "the database is out of reach" from every other failure. Such errors are
 * operating conditions, not bugs: the request in flight answers 503 `system.unavailable` with
 * Retry-After (http/problem.ts), a transaction that had not sent its COMMIT is run again
 * (transaction.ts), and the background loops back off until the database returns.
 */

/** Socket-level codes Node gives a connection that was refused, reset or cut. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away or not yet back (PostgreSQL, Appendix A): class 08
 * (connection exception), 57P01–57P03 (admin, crash or immediate shutdown; starting up) and 53300
 * (too many connections, while a restarted server fills its slots).
 */
const SERVER_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300']);

/** node-postgres and pg-pool report a cut connection or a full pool by message only (pg 8, client.js and pg-pool). */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Connection terminated due to connection timeout/,
];

/** True when `error` says the database connection is lost or cannot be made, so nothing on it can be trusted. */
export function isConnectionLost(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (SOCKET_CODES.has(e.code) || SERVER_CODES.has(e.code))) return true;
  return typeof e.message === 'string' && DRIVER_MESSAGES.some((re) => re.test(e.message as string));
}

/**
 * The connection was lost while the COMMIT was on its way: the database may or may not have committed,
 * and only reading it again tells. The request answers 503; the client's retry with the same
 * Idempotency-Key replays the stored answer if the work committed, or runs it afresh if not.
 */
export class CommitInDoubt extends Error {
  override name = 'CommitInDoubt';
  constructor(cause: unknown) {
    super('the connection was lost during COMMIT: the transaction may or may not have committed', { cause });
  }
}

/** True for every error after which the answer is 503 `system.unavailable`. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return error instanceof CommitInDoubt || isConnectionLost(error) || isSqliteBusy(error);
}

/**
 * SQLite's BUSY/LOCKED that outlasted the retries: another process holds the write lock (a backup, an
 * operator's shell). The database is there but not ours for now.
 */
function isSqliteBusy(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; errcode?: unknown };
  if (e.code !== 'ERR_SQLITE_ERROR' || typeof e.errcode !== 'number') return false;
  const primary = e.errcode & 0xff;
  return primary === 5 || primary === 6;
}
