import { appendAudit } from '../audit/index.ts';
import { authErrors, checkPasswordPolicy } from '../auth/index.ts';
import {
  type AccountRow,
  accountBy,
  checkCardPin,
  isCardNumber,
  normaliseCardNumber,
  parseResidentId,
} from '../customers/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { verifyDummy } from '../platform/secret-hash.ts';
import { isCurrentAgreement } from './agreement.ts';
import { registrationErrors as errors } from './errors.ts';

/**
 * The checks every way in shares. A card PIN is checked in a transaction of its own that commits
 * whether the PIN is right or not (customers/service.ts: 3 wrong in a day block it). A card number
 * that is not the bank's, a closed card, or a PIN blocked already costs the same Argon2 work as a real
 * check and gives the same null, so neither the answer nor its time says which it was.
 *
 * A blocked PIN answers `registration.details_mismatch` like a wrong one, not a code of its own: a
 * number the bank never issued cannot block, so "blocked" would tell a stranger that the card exists
 * (and that its owner, or someone, mistyped it today), which a wrong PIN never does. The mismatch
 * message tells everyone about the 3-a-day rule instead.
 */
export async function checkCardAndPin(ctx: AppContext, cardNumber: string, pin: string): Promise<AccountRow | null> {
  const digits = normaliseCardNumber(cardNumber);
  const account = isCardNumber(digits) ? await accountBy(ctx.db.kysely, 'card_number', digits) : undefined;
  const blocked = account?.pin_blocked_until_ms != null && account.pin_blocked_until_ms > ctx.clock.nowMs();
  if (!account?.pin_hash || account.status === 'closed' || blocked) {
    await verifyDummy(ctx.config, pin);
    return null;
  }
  const check = await withTransaction(ctx.db.kysely, (trx) => checkCardPin(trx, ctx, account.id, pin));
  return check.ok ? account : null;
}

/** The one answer to every detail that does not match. */
export function mismatch(): AppError {
  return new AppError(errors['registration.details_mismatch']);
}

/** Refuses an agreement version other than the one in force. */
export function refuseOutdatedAgreement(version: string): void {
  if (!isCurrentAgreement(version)) throw new AppError(errors['registration.agreement_outdated']);
}

/**
 * Checks a new login password against the policy with the facts the request itself gives (its mobile,
 * its ID number and the birthday in it), before any record is looked at: the refusal tells nothing
 * about the bank's records, and a refused password costs no SMS code or PIN try.
 */
export function precheckPassword(password: string, facts: { mobile?: string; idNumber?: string }): void {
  const birthDate = facts.idNumber ? (parseResidentId(facts.idNumber)?.birthDate ?? null) : null;
  const verdict = checkPasswordPolicy(password, {
    mobile: facts.mobile ?? null,
    idNumber: facts.idNumber ?? null,
    birthDate,
  });
  if (!verdict.ok)
    throw new AppError(
      authErrors['auth.password_policy'],
      { reason: verdict.zh, reasonEn: verdict.en },
      { rule: verdict.rule },
    );
}

/**
 * Records a refused step in the audit log (which check failed is for the bank's staff, never for the
 * answer) in a transaction of its own, and returns the one answer.
 */
export async function refuse(
  ctx: AppContext,
  input: { kind: string; reason: string; ip: string; customerId?: string | null },
): Promise<AppError> {
  await withTransaction(ctx.db.kysely, (trx) =>
    appendAudit(trx, {
      kind: input.kind,
      atMs: ctx.clock.nowMs(),
      actor: { type: 'anonymous' },
      ...(input.customerId ? { subject: { type: 'customer', id: input.customerId } } : {}),
      ip: input.ip,
      details: { reason: input.reason },
    }),
  );
  return mismatch();
}
