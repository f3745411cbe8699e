import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { deletePasskeyLoginsBefore } from './passkey-store.ts';
import { purgeQrLogins } from './qr-store.ts';
import { purgeAuthRows } from './store.ts';

const DAY_MS = 86_400_000;
/** Ended sessions are kept a while for support questions ("was I signed in on Tuesday?"), then go. */
const ENDED_SESSION_KEEP_MS = 30 * DAY_MS;
/**
 * The lock state of an identifier that names nobody is kept while it might still differ from a real
 * customer's (whose count of wrong passwords has no expiry); after 30 quiet days it goes, so guessing
 * cannot fill the table for ever.
 */
const UNKNOWN_IDENTIFIER_KEEP_MS = 30 * DAY_MS;

/**
 * Deletes sign-in leftovers nobody can use any more: attempts and captchas past their expiry, failure
 * records older than the 24-hour window that counts them, QR login requests a day after they ended, expired passkey sign-in challenges, and sessions ended over 30 days ago. Login
 * history (`login_event`) and the audit log are kept. Returns the number of rows removed.
 */
export async function purgeAuthLeftovers(db: Kysely<Database>, nowMs: number): Promise<number> {
  // QR login requests are kept a day past their two minutes (support: "did my phone approve that?").
  const qrLogins = await purgeQrLogins(db, nowMs - DAY_MS);
  const rows = await purgeAuthRows(db, {
    attemptsBeforeMs: nowMs - DAY_MS,
    captchasBeforeMs: nowMs,
    failuresBeforeMs: nowMs - DAY_MS,
    sessionsEndedBeforeMs: nowMs - ENDED_SESSION_KEEP_MS,
    unknownIdentifiersIdleBeforeMs: nowMs - UNKNOWN_IDENTIFIER_KEEP_MS,
  });
  // Passkey sign-in challenges are of no use past their expiry.
  const passkeyLogins = await deletePasskeyLoginsBefore(db, nowMs);
  return rows + qrLogins + passkeyLogins;
}
