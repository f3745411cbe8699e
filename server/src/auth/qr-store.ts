import type { Kysely, Selectable } from 'kysely';
import type { Database, Tx } from '../database.ts';

/**
 * Every query on QR login's table (qr-login.ts has the rules). A QR login request lives in the database,
 * not in a server's memory, so whichever instance the browser or the phone reaches answers alike
 * (ARCHITECTURE.md §3, "QR login").
 */

export type QrLoginState = 'pending' | 'scanned' | 'approved' | 'denied';

export type QrLoginTables = {
  qr_login: {
    /** The QR id: 256 random bits, base64url; it is also what the code carries. */
    id: string;
    /** SHA-256 of the random secret in the creating browser's HttpOnly cookie; only that browser may poll. */
    browser_hash: string;
    /** The two-digit number the browser shows and the phone must pick (number matching). */
    match_number: number;
    state: QrLoginState;
    created_at_ms: number;
    expires_at_ms: number;
    /** Who asked: shown on the phone before it approves. */
    requester_ip: string;
    requester_user_agent: string | null;
    /** The customer whose phone scanned it, and that phone's session: only it may approve or deny. */
    customer_id: string | null;
    scan_session_id: string | null;
    scanned_at_ms: number | null;
    decided_at_ms: number | null;
    /** Why it was denied: `customer` (the Deny button) or `wrong_number`. */
    deny_reason: string | null;
    /** When the browser received its session: at most once. */
    session_issued_at_ms: number | null;
  };
};

export type QrLoginRow = Selectable<QrLoginTables['qr_login']>;

export async function insertQrLogin(db: Kysely<Database>, row: QrLoginRow) {
  await db.insertInto('qr_login').values(row).execute();
}

/** A QR login request as it stands, or undefined. */
export function qrLoginById(db: Kysely<Database>, qrId: string) {
  return db.selectFrom('qr_login').selectAll().where('id', '=', qrId).executeTakeFirst();
}

/** The request, locked for the rest of the transaction (each transition happens once). */
export function lockedQrLogin(trx: Tx, qrId: string) {
  return trx.selectFrom('qr_login').selectAll().where('id', '=', qrId).forUpdate().executeTakeFirst();
}

export async function markQrScanned(
  trx: Tx,
  qrId: string,
  input: { customerId: string; sessionId: string; nowMs: number },
) {
  await trx
    .updateTable('qr_login')
    .set({
      state: 'scanned',
      customer_id: input.customerId,
      scan_session_id: input.sessionId,
      scanned_at_ms: input.nowMs,
    })
    .where('id', '=', qrId)
    .where('state', '=', 'pending')
    .execute();
}

export async function markQrDecided(
  trx: Tx,
  qrId: string,
  input: { state: 'approved' | 'denied'; denyReason: string | null; nowMs: number },
) {
  await trx
    .updateTable('qr_login')
    .set({ state: input.state, deny_reason: input.denyReason, decided_at_ms: input.nowMs })
    .where('id', '=', qrId)
    .where('state', '=', 'scanned')
    .execute();
}

/**
 * Marks the session handed over; false when it already was (the conditional update is the "exactly
 * once", whatever instance or request got there first).
 */
export async function markQrSessionIssued(trx: Tx, qrId: string, nowMs: number): Promise<boolean> {
  const result = await trx
    .updateTable('qr_login')
    .set({ session_issued_at_ms: nowMs })
    .where('id', '=', qrId)
    .where('state', '=', 'approved')
    .where('session_issued_at_ms', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** How many QR logins the customer's phones scanned since `sinceMs`. */
export async function qrScansSince(db: Kysely<Database>, customerId: string, sinceMs: number): Promise<number> {
  const row = await db
    .selectFrom('qr_login')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('scanned_at_ms', '>=', sinceMs)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A session's channel and when it began, for the rules on who may scan and approve. */
export function sessionFacts(db: Kysely<Database>, sessionId: string) {
  return db
    .selectFrom('session')
    .select(['channel', 'created_at_ms', 'customer_id'])
    .where('id', '=', sessionId)
    .executeTakeFirst();
}

/** Deletes requests that ended before `beforeMs` (housekeeping). */
export async function purgeQrLogins(db: Kysely<Database>, beforeMs: number) {
  return Number(
    (await db.deleteFrom('qr_login').where('expires_at_ms', '<', beforeMs).executeTakeFirst()).numDeletedRows,
  );
}
