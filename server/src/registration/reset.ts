import { appendAudit } from '../audit/index.ts';
import { checkCaptcha, endSessionsOf, liftLoginLock, resolveIdentifier, setLoginPassword } from '../auth/index.ts';
import { hasOnlineBanking } from '../auth/index.ts';
import { customerById, idNumberHmac, setCustomerStatus } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import {
  type AuthMethod,
  type AuthorizationView,
  refusal,
  requestAuthorization,
  tierOf,
  verifyAuthorization,
} from '../media/index.ts';
import { enqueueMessage, smsText } from '../notify/index.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { checkCardAndPin, refuse } from './checks.ts';
import { registrationErrors as errors } from './errors.ts';
import { insertReset, liveResetAwaitingAnswer, lockedReset, type ResetRow, setResetState } from './store.ts';

/**
 * Online password reset (找回密码). A reset attempt lives in the database (any instance answers each
 * step), for 10 minutes, and each step is taken once: start (captcha first, then identifier, card,
 * card PIN and ID number, any mismatch the one answer) → verify (the challenge of the authorization
 * service, bound to this reset) → password (the policy; the lock lifted, every session ended, an SMS).
 *
 * Which medium: a customer whose strongest medium is SMS or nothing answers an SMS code; a customer
 * who holds a stronger one (password card, soft token, e-password device, U-shield) must answer with
 * it, and SMS is not offered — whoever has taken over the phone number must not be able to take the
 * online banking of a customer the bank protects with more than the phone.
 */
export const RESET_TTL_MS = 10 * 60_000;
export const RESET_PURPOSE = 'password.reset';
const STRONG_METHODS: readonly AuthMethod[] = ['password_card', 'totp', 'e_token', 'u_shield'];

function resetBinding(resetId: string): string {
  return `password-reset:${resetId}`;
}

/** The media a customer may answer a reset with (above). */
async function acceptedFor(trx: Tx, customerId: string): Promise<readonly AuthMethod[]> {
  const tier = await tierOf(trx, customerId);
  return tier === 'static' || tier === 'sms' ? ['sms'] : STRONG_METHODS;
}

const codeText = (code: string, minutes: number) => smsText('registration.reset', { code, minutes });

export type ResetStart = {
  identifier: string;
  cardNumber: string;
  cardPin: string;
  idNumber: string;
  captchaId: string;
  captchaAnswer: string;
};

/** Starts a reset: the checks, then the challenge of the customer's medium. */
export async function startReset(
  ctx: AppContext,
  input: ResetStart,
  ip: string,
): Promise<{ resetId: string; authorization: AuthorizationView }> {
  const db = ctx.db.kysely;
  await checkCaptcha(db, true, input, ctx.clock.nowMs());
  const kind = 'registration.reset_refused';
  const customerId = await resolveIdentifier(db, input.identifier);
  // The card is checked whatever the identifier named, so the time and the PIN count do not tell.
  const card = await checkCardAndPin(ctx, input.cardNumber, input.cardPin);
  if (!customerId) throw await refuse(ctx, { kind, reason: 'identifier', ip });
  const customer = await customerById(db, customerId);
  const reason = !card
    ? 'card_or_pin'
    : card.customer_id !== customerId
      ? 'card_holder'
      : customer?.id_number_hmac !== idNumberHmac(ctx.config.secret, input.idNumber)
        ? 'id_number'
        : !(await hasOnlineBanking(db, customerId))
          ? 'no_online_banking'
          : customer.status !== 'active' && customer.status !== 'not_activated'
            ? 'status'
            : null;
  if (reason || !customer) throw await refuse(ctx, { kind, reason: reason ?? 'customer', ip, customerId });
  const started = await withTransaction(db, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    const resetId = newId<'PasswordReset'>();
    const asked = await requestAuthorization(trx, ctx, {
      customerId,
      mobile: customer.mobile,
      purpose: RESET_PURPOSE,
      binding: resetBinding(resetId),
      accepted: await acceptedFor(trx, customerId),
      smsText: codeText,
    });
    await insertReset(trx, {
      id: resetId,
      customer_id: customerId,
      state: 'verify',
      challenge_id: asked.challengeId,
      ip,
      created_at_ms: nowMs,
      expires_at_ms: nowMs + RESET_TTL_MS,
    });
    await audit(trx, ctx, customerId, ip, 'registration.reset_started', {
      resetId,
      method: asked.authorization.method,
    });
    return { resetId, authorization: asked.authorization as AuthorizationView };
  });
  ctx.kickOutbox();
  return started;
}

/** The reset if it is live and at `state`; otherwise the reset is over (expired, used, or never was). */
async function liveReset(trx: Tx, ctx: AppContext, resetId: string, state: ResetRow['state']): Promise<ResetRow> {
  const row = await lockedReset(trx, resetId);
  if (!row || row.state !== state || row.expires_at_ms <= ctx.clock.nowMs()) {
    throw new AppError(errors['registration.reset_expired']);
  }
  return row;
}

/**
 * A fresh challenge for a reset awaiting its answer: another medium among those accepted, or a resend
 * of the same (the SMS rules decide whether it may be sent yet).
 */
export async function renewResetChallenge(
  ctx: AppContext,
  resetId: string,
  method: AuthMethod | undefined,
  ip: string,
): Promise<{ resetId: string; authorization: AuthorizationView }> {
  const renewed = await withTransaction(ctx.db.kysely, async (trx) => {
    const row = await liveReset(trx, ctx, resetId, 'verify');
    return { resetId, authorization: await reissue(trx, ctx, row, method, ip) };
  });
  ctx.kickOutbox();
  return renewed;
}

async function reissue(trx: Tx, ctx: AppContext, row: ResetRow, method: AuthMethod | undefined, ip: string) {
  const customer = await customerById(trx, row.customer_id);
  if (!customer) throw new AppError(errors['registration.reset_expired']);
  const asked = await requestAuthorization(trx, ctx, {
    customerId: row.customer_id,
    mobile: customer.mobile,
    purpose: RESET_PURPOSE,
    binding: resetBinding(row.id),
    method,
    accepted: await acceptedFor(trx, row.customer_id),
    smsText: codeText,
  });
  await setResetState(trx, row.id, { state: 'verify', challengeId: asked.challengeId });
  await audit(trx, ctx, row.customer_id, ip, 'registration.reset_challenge_renewed', {
    resetId: row.id,
    method: asked.authorization.method,
  });
  return asked.authorization as AuthorizationView;
}

/**
 * The registration SMS route's `reset` purpose: a new SMS code for the customer's live reset, when it
 * is answered by SMS. False when there is no such reset (nothing is sent).
 */
export async function renewResetSms(trx: Tx, ctx: AppContext, customerId: string, ip: string): Promise<boolean> {
  const row = await liveResetAwaitingAnswer(trx, customerId, ctx.clock.nowMs());
  if (!row || !(await acceptedFor(trx, customerId)).includes('sms')) return false;
  await reissue(trx, ctx, row, 'sms', ip);
  return true;
}

/** Checks the answer to the reset's challenge, once; a wrong one counts (committed) and is refused. */
export async function verifyReset(
  ctx: AppContext,
  resetId: string,
  answer: { method: string; response: string | Record<string, unknown> },
  ip: string,
): Promise<{ status: 'verified'; expiresAt: string }> {
  const result = await withTransaction(ctx.db.kysely, async (trx) => {
    const row = await liveReset(trx, ctx, resetId, 'verify');
    const check = await verifyAuthorization(trx, ctx, {
      customerId: row.customer_id,
      challengeId: row.challenge_id,
      purpose: RESET_PURPOSE,
      binding: resetBinding(row.id),
      method: answer.method,
      response: answer.response,
      ip,
    });
    if (!check.ok) {
      await audit(trx, ctx, row.customer_id, ip, 'registration.reset_challenge_failed', {
        resetId,
        method: answer.method,
        reason: check.error.code,
      });
      return { error: refusal(check) };
    }
    await setResetState(trx, row.id, { state: 'password' });
    await audit(trx, ctx, row.customer_id, ip, 'registration.reset_verified', { resetId, method: check.method });
    return { expiresAtMs: row.expires_at_ms };
  });
  ctx.kickOutbox();
  if ('error' in result) throw result.error;
  return { status: 'verified', expiresAt: isoTime(result.expiresAtMs) };
}

/**
 * Sets the new password of a verified reset: the policy and the history apply (a refused password
 * leaves the reset where it was), the login lock is lifted, every session ends, a customer registered
 * at the counter is active from now on, and an SMS tells the customer.
 */
export async function finishReset(ctx: AppContext, resetId: string, newPassword: string, ip: string): Promise<void> {
  await withTransaction(ctx.db.kysely, async (trx) => {
    const row = await liveReset(trx, ctx, resetId, 'password');
    const customer = await customerById(trx, row.customer_id);
    if (!customer) throw new AppError(errors['registration.reset_expired']);
    const nowMs = ctx.clock.nowMs();
    await setLoginPassword(trx, ctx, customer.id, newPassword, { temporary: false });
    await liftLoginLock(trx, ctx, customer.id);
    await endSessionsOf(trx, ctx, customer.id);
    if (customer.status === 'not_activated') await setCustomerStatus(trx, ctx, customer.id, 'active');
    await setResetState(trx, row.id, { state: 'done' });
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: customer.mobile,
        purpose: 'registration.password_reset',
        text: smsText('registration.password_reset', { at: chinaDateTime(nowMs) }),
      },
      nowMs,
    );
    await audit(trx, ctx, customer.id, ip, 'registration.password_reset', { resetId });
  });
  ctx.kickOutbox();
}

function audit(
  trx: Tx,
  ctx: AppContext,
  customerId: string,
  ip: string,
  kind: string,
  details: Record<string, unknown>,
) {
  return appendAudit(trx, {
    kind,
    atMs: ctx.clock.nowMs(),
    actor: { type: 'customer', id: customerId },
    subject: { type: 'customer', id: customerId },
    ip,
    details,
  });
}
