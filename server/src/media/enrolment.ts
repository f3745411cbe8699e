import QRCode from 'qrcode';
import { appendAudit } from '../audit/index.ts';
import { customerById, maskMobile } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { postInboxMessage, smsText } from '../notify/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { keyedHash } from '../platform/keyed-hash.ts';
import { secretBox } from '../platform/secret-box.ts';
import { hashSecret } from '../platform/secret-hash.ts';
import { type AuthMethod, MEDIUM_MAX_WRONG, refusal, verifyAuthorization } from './authorization.ts';
import { askFirst } from './ask-first.ts';
import { mediaErrors as errors } from './errors.ts';
import type { AuthorizationRequired, TotpEnrolment } from './schema.ts';
import { activateMedium, insertMedium, lockMedium, revokeMediaOfKind, updateMediumState } from './store.ts';
import { tierOf } from './tiers.ts';
import { newTotpSecret, totpEnrolmentUrl, verifyTotp } from './totp.ts';

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock' | 'kickOutbox'>;
const PURPOSE = 'security.totp';
/** The media that may approve binding a soft token: any the customer already holds. */
const APPROVERS: readonly AuthMethod[] = ['sms', 'password_card', 'totp', 'e_token'];

/**
 * Enrols a soft token (TOTP, RFC 6238) in the security centre, by the authorization pattern of API.md:
 * without an answer the customer's current medium is asked (202); with the right answer a new token's
 * secret is made, sealed at rest, and shown once as an `otpauth://` link and its QR code. The token is
 * `issued` until its first code is right (confirmTotp): a token the app never read is never a medium.
 */
export async function enrolTotp(
  ctx: Ctx,
  customerId: string,
  answer: { method: AuthMethod; challengeId: string; response: string } | undefined,
  ip: string | null,
): Promise<{ status: 202; body: AuthorizationRequired } | { status: 201; body: TotpEnrolment }> {
  const binding = `totp-enrol:${customerId}`;
  if (!answer) {
    return askFirst(ctx, {
      customerId,
      purpose: PURPOSE,
      binding,
      accepted: APPROVERS,
      smsText: (code, minutes) => smsText('security.totp', { code, minutes }),
    });
  }
  const secret = newTotpSecret();
  // A wrong answer is returned, not thrown, so the used-up try is committed with it.
  const result = await withTransaction(ctx.db.kysely, async (trx) => {
    const check = await verifyAuthorization(trx, ctx, { customerId, ...answer, purpose: PURPOSE, binding, ip });
    if (!check.ok) return { error: refusal(check) };
    const customer = await customerById(trx, customerId);
    if (!customer) throw new AppError(errors['media.not_found']);
    const id = await insertTotp(trx, ctx, customerId, secret);
    return { id, label: maskMobile(customer.mobile) };
  });
  if ('error' in result) throw result.error;
  const otpauthUrl = totpEnrolmentUrl(secret, result.label);
  return {
    status: 201,
    body: { enrollmentId: result.id, otpauthUrl, qr: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 240 }) },
  };
}

async function insertTotp(trx: Tx, ctx: Ctx, customerId: string, secret: Buffer): Promise<string> {
  const id = newId<'Medium'>();
  const nowMs = ctx.clock.nowMs();
  await insertMedium(trx, {
    id,
    customer_id: customerId,
    kind: 'totp',
    status: 'issued',
    serial: null,
    secret_sealed: secretBox(ctx.config.secret).seal('media/totp', secret),
    uses_left: null,
    wrong_in_row: 0,
    last_step: null,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  return id;
}

/**
 * Confirms an enrolment with the app's first code: the token becomes active (and sets the tier of the
 * e-password device) and its step is kept, so that code never signs anything. Wrong codes count like
 * any medium's: 5 in a row lock the token.
 */
export async function confirmTotp(
  ctx: Ctx,
  customerId: string,
  enrollmentId: string,
  code: string,
  ip: string | null,
): Promise<{ id: string; kind: 'totp'; status: 'active' }> {
  const nowMs = ctx.clock.nowMs();
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const medium = await lockMedium(trx, enrollmentId);
    if (!medium || medium.customer_id !== customerId || medium.kind !== 'totp' || medium.status !== 'issued') {
      throw new AppError(errors['media.not_found']);
    }
    const secret = secretBox(ctx.config.secret).open('media/totp', medium.secret_sealed ?? '');
    const check = verifyTotp({ secret, code: code.trim(), nowMs, lastAcceptedStep: null });
    if (!check.ok) {
      const wrongInRow = medium.wrong_in_row + 1;
      const locked = wrongInRow >= MEDIUM_MAX_WRONG;
      await updateMediumState(trx, medium.id, {
        status: locked ? 'locked' : 'issued',
        usesLeft: null,
        wrongInRow,
        nowMs,
      });
      const triesLeft = MEDIUM_MAX_WRONG - wrongInRow;
      return locked
        ? { error: new AppError(errors['media.locked']) }
        : { error: new AppError(errors['media.wrong_answer'], { triesLeft }, { triesLeft }) };
    }
    await activateMedium(trx, medium.id, check.timeStep, nowMs);
    await appendAudit(trx, {
      kind: 'media.totp_enrolled',
      atMs: nowMs,
      actor: { type: 'customer', id: customerId },
      subject: { type: 'medium', id: medium.id },
      ip,
    });
    await postInboxMessage(trx, { customerId, kind: 'media.added', params: { medium: 'totp' } }, nowMs);
    return { id: medium.id };
  });
  if ('error' in outcome) throw outcome.error;
  return { id: outcome.id, kind: 'totp', status: 'active' };
}

/** Six digits, and not a pattern anyone tries first. */
function weakPaymentPassword(digits: string): boolean {
  return /^(\d)\1{5}$/.test(digits) || '0123456789'.includes(digits) || '9876543210'.includes(digits);
}

/**
 * Sets the payment password (支付密码) of a static-password customer, by the authorization pattern
 * (202, then the same request with the answer). It signs payments within the static tier's limit and has
 * its own lockout (5 wrong in a row). A customer with a stronger medium has no use for one: refused. A
 * new one replaces the old.
 */
export async function setPaymentPassword(
  ctx: Ctx,
  customerId: string,
  input: {
    paymentPassword: string;
    authorization?: { method: AuthMethod; challengeId: string; response: string } | undefined;
  },
  ip: string | null,
): Promise<{ status: 202; body: AuthorizationRequired } | { status: 204 }> {
  if (weakPaymentPassword(input.paymentPassword)) throw new AppError(errors['media.payment_password_weak']);
  if ((await tierOf(ctx.db.kysely, customerId)) !== 'static') {
    throw new AppError(errors['media.payment_password_not_for_tier']);
  }
  // Bound to a keyed hash of the new value, never the value: the code approves exactly this password.
  const binding = `payment-password:${customerId}:${keyedHash(ctx.config.secret, 'jinku/payment-password', input.paymentPassword)}`;
  const purpose = 'security.payment_password';
  if (!input.authorization) {
    return askFirst(ctx, {
      customerId,
      purpose,
      binding,
      accepted: ['sms'],
      smsText: (code, minutes) => smsText('security.payment_password', { code, minutes }),
    });
  }
  const answer = input.authorization;
  const hash = await hashSecret(ctx.config, input.paymentPassword);
  const result = await withTransaction(ctx.db.kysely, async (trx) => {
    const check = await verifyAuthorization(trx, ctx, { customerId, ...answer, purpose, binding, ip });
    if (!check.ok) return { error: refusal(check) };
    const nowMs = ctx.clock.nowMs();
    await revokeMediaOfKind(trx, customerId, 'payment_password', nowMs);
    await insertMedium(trx, {
      id: newId<'Medium'>(),
      customer_id: customerId,
      kind: 'payment_password',
      status: 'active',
      serial: null,
      secret_sealed: secretBox(ctx.config.secret).seal('media/payment-password', hash),
      uses_left: null,
      wrong_in_row: 0,
      last_step: null,
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    });
    await appendAudit(trx, {
      kind: 'media.payment_password_set',
      atMs: nowMs,
      actor: { type: 'customer', id: customerId },
      subject: { type: 'customer', id: customerId },
      ip,
    });
    await postInboxMessage(trx, { customerId, kind: 'media.added', params: { medium: 'payment_password' } }, nowMs);
    return { ok: true };
  });
  if ('error' in result) throw result.error;
  return { status: 204 };
}
