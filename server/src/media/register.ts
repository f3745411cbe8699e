import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { newId } from '../platform/ids.ts';
import { secretBox } from '../platform/secret-box.ts';
import type { Deps } from './authorization.ts';
import { E_TOKEN_SUITE, ocraResponse, ocraSuite, ocraTimeStep } from './ocra.ts';
import { type CardCell, cellDigits, newPasswordCardSecret, PASSWORD_CARD_USES } from './password-card.ts';
import { insertMedium, insertSmsMedium, mediumBySerial, revokeMediaOfKind } from './store.ts';

/** Registers SMS verification on the customer's mobile as a security medium (counter or demo seed). */
export async function registerSmsMedium(trx: Tx, customerId: string, nowMs: number): Promise<string> {
  const id = newId<'Medium'>();
  await insertSmsMedium(trx, id, customerId, nowMs);
  return id;
}

/**
 * Issues a password card (口令卡), active at once as when the counter hands it over: a fresh secret,
 * sealed at rest, PASSWORD_CARD_USES uses. The serial is printed on the card.
 */
export async function issuePasswordCard(
  trx: Tx,
  deps: Deps,
  customerId: string,
  serial = `PC${String(randomInt(10 ** 10)).padStart(10, '0')}`,
): Promise<{ mediumId: string; serial: string }> {
  const id = newId<'Medium'>();
  const nowMs = deps.clock.nowMs();
  // The customer now pays with the card: a payment password is no longer theirs to use (issue 14).
  await revokeMediaOfKind(trx, customerId, 'payment_password', nowMs);
  await insertMedium(trx, {
    id,
    customer_id: customerId,
    kind: 'password_card',
    status: 'active',
    serial,
    secret_sealed: secretBox(deps.config.secret).seal('media/password-card', newPasswordCardSecret()),
    uses_left: PASSWORD_CARD_USES,
    wrong_in_row: 0,
    last_step: null,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  return { mediumId: id, serial };
}

/**
 * Issues an e-password device (电子密码器) with its seed (OCRA, `E_TOKEN_SUITE`), active at once. The
 * seed is what the bank loads into the device; it is kept sealed at rest.
 */
export async function issueEToken(
  trx: Tx,
  deps: Deps,
  customerId: string,
  serial = `ET${String(randomInt(10 ** 8)).padStart(8, '0')}`,
): Promise<{ mediumId: string; serial: string }> {
  const id = newId<'Medium'>();
  const nowMs = deps.clock.nowMs();
  await insertMedium(trx, {
    id,
    customer_id: customerId,
    kind: 'e_token',
    status: 'active',
    serial,
    // SHA-256 suites take a 32-byte seed (RFC 6287's test seeds have that length).
    secret_sealed: secretBox(deps.config.secret).seal('media/e-token', randomBytes(32)),
    uses_left: null,
    wrong_in_row: 0,
    last_step: null,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  return { mediumId: id, serial };
}

/**
 * The digits of some cells of a password card, by serial: the dev route that stands in for the printed
 * card in tests and demos (outside production only). Null for an unknown serial.
 */
export async function passwordCardDigits(
  db: Kysely<Database>,
  deps: Deps,
  serial: string,
  cells: readonly CardCell[],
): Promise<string | null> {
  const medium = await mediumBySerial(db, serial);
  if (medium?.kind !== 'password_card' || !medium.secret_sealed) return null;
  const secret = secretBox(deps.config.secret).open('media/password-card', medium.secret_sealed);
  return cells.map((cell) => cellDigits(secret, cell)).join('');
}

/**
 * What an e-password device with this serial shows for a challenge now: the device simulator
 * (`npm run e-token`, outside production only). Null for an unknown serial.
 */
export async function eTokenAnswer(
  db: Kysely<Database>,
  deps: Deps,
  serial: string,
  challenge: string,
): Promise<string | null> {
  const medium = await mediumBySerial(db, serial);
  if (medium?.kind !== 'e_token' || !medium.secret_sealed) return null;
  const key = secretBox(deps.config.secret).open('media/e-token', medium.secret_sealed);
  const suite = ocraSuite(E_TOKEN_SUITE);
  return ocraResponse(suite, { key, challenge, timeStep: ocraTimeStep(suite, deps.clock.nowMs()) });
}
