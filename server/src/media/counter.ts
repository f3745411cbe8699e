import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { customerById } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import { enqueueMessage, smsText } from '../notify/index.ts';
import { assert } from '../platform/assert.ts';
import { isUniqueViolation } from '../platform/db/transaction.ts';
import { secretBox } from '../platform/secret-box.ts';
import type { Deps } from './authorization.ts';
import { passwordCardGrid } from './password-card.ts';
import { issueEToken, issuePasswordCard } from './register.ts';
import { lockMedium, type MediumRow, mediumBySerial, revokeMediaOfKind, updateMediumState } from './store.ts';
import { issueUShield } from './u-shield.ts';

/**
 * What the counter does with security media (issue 15): hand one over, revoke one, print a password
 * card. The counter calls these through index.ts and never touches the media tables itself.
 */

export type CounterIssuable = 'password_card' | 'e_token' | 'u_shield';
export type IssueOutcome = { ok: true; medium: MediumRow } | { ok: false; reason: 'serial_taken' };

/**
 * Issues a medium handed over at the counter: a password card (active at once, its grid printed once),
 * an e-password device by its serial (active at once) or a U-shield (`issued` until its certificate is
 * downloaded online). A card or a U-shield makes a static-password customer's payment password void:
 * from now on they pay with the stronger medium, in its tier (tiers.ts) and its limits.
 */
export async function issueAtCounter(
  trx: Tx,
  deps: Deps,
  customerId: string,
  kind: CounterIssuable,
  serial: string | undefined,
): Promise<IssueOutcome> {
  if (serial && (await mediumBySerial(trx, serial))) return { ok: false, reason: 'serial_taken' };
  try {
    let mediumId: string;
    if (kind === 'password_card') mediumId = (await issuePasswordCard(trx, deps, customerId, serial)).mediumId;
    else if (kind === 'e_token') mediumId = (await issueEToken(trx, deps, customerId, serial)).mediumId;
    else {
      await revokeMediaOfKind(trx, customerId, 'payment_password', deps.clock.nowMs());
      mediumId = await issueUShield(
        trx,
        deps,
        customerId,
        serial ?? `US${String(randomInt(10 ** 8)).padStart(8, '0')}`,
      );
    }
    const medium = await lockMedium(trx, mediumId);
    assert(medium, 'the medium just issued exists');
    return { ok: true, medium };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'serial_taken' };
    throw error;
  }
}

/** A customer's medium by id (the counter's revoke and print), or undefined. */
export function mediumOf(db: Kysely<Database>, mediumId: string): Promise<MediumRow | undefined> {
  return db.selectFrom('security_medium').selectAll().where('id', '=', mediumId).executeTakeFirst();
}

/**
 * Revokes a medium at the counter (lost, damaged, returned): it answers no challenge from now on.
 * Reported lost, it is left `lost` (API.md's status list), and the customer gets the SMS a loss
 * reported online sends (service.ts reportLost), so a loss reported by someone else is noticed.
 * Returns the medium as it was, or undefined when there is none; revoking twice changes nothing.
 */
export async function revokeAtCounter(
  trx: Tx,
  deps: Deps,
  mediumId: string,
  reason?: string,
): Promise<MediumRow | undefined> {
  const medium = await lockMedium(trx, mediumId);
  if (!medium || medium.kind === 'sms') return undefined;
  if (medium.status === 'revoked' || medium.status === 'lost') return medium;
  const nowMs = deps.clock.nowMs();
  const lost = reason === 'lost';
  await updateMediumState(trx, medium.id, {
    status: lost ? 'lost' : 'revoked',
    usesLeft: medium.uses_left,
    wrongInRow: medium.wrong_in_row,
    nowMs,
  });
  const customer = lost ? await customerById(trx, medium.customer_id) : undefined;
  if (customer)
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: customer.mobile,
        purpose: 'media.reported_lost',
        text: smsText('media.reported_lost', { serial: medium.serial ?? '—' }),
      },
      nowMs,
    );
  return medium;
}

/**
 * Unlocks a medium that 5 wrong answers in a row locked (authorization.ts): the customer showed their
 * ID at the counter, so the count starts again. Returns the medium as it was; undefined when there is
 * none. Anything but a locked medium is left as it is (a revoked one stays revoked).
 */
export async function unlockAtCounter(trx: Tx, deps: Deps, mediumId: string): Promise<MediumRow | undefined> {
  const medium = await lockMedium(trx, mediumId);
  if (!medium || medium.kind === 'sms') return undefined;
  if (medium.status === 'locked')
    await updateMediumState(trx, medium.id, {
      status: 'active',
      usesLeft: medium.uses_left,
      wrongInRow: 0,
      nowMs: deps.clock.nowMs(),
    });
  return medium;
}

/** The digits of a password card for printing, row by row (A–H per row 1–10); undefined for anything else. */
export function passwordCardForPrint(deps: Deps, medium: MediumRow): string[][] | undefined {
  if (medium.kind !== 'password_card' || !medium.secret_sealed) return undefined;
  return passwordCardGrid(secretBox(deps.config.secret).open('media/password-card', medium.secret_sealed));
}
