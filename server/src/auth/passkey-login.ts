import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { appendAudit } from '../audit/index.ts';
import { customerById } from '../customers/index.ts';
import { passkeyLoginOptions, verifyPasskeyLogin } from '../media/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { authErrors as errors } from './errors.ts';
import { lockedError } from './lockout.ts';
import { audit, type Client, completeLogin, type LoginOutcome } from './login-session.ts';
import { insertPasskeyLogin, lockedPasskeyLogin, markPasskeyLoginUsed } from './passkey-store.ts';
import { decideRisk } from './risk.ts';
import { lockedCredentialOf } from './store.ts';

/**
 * Fingerprint / face sign-in (issue 16, API.md "Session and login"): the phone asks for a WebAuthn
 * challenge, its platform authenticator signs it after verifying the customer (user verification), and
 * the server finds whose passkey signed. Possession of the phone's key and the fingerprint or face are
 * two factors, so there is no SMS step-up; the device becomes a known one.
 *
 * - Each attempt's challenge is answered once, right or wrong; the signature counter must move forward.
 * - A wrong, unknown, turned-off or replayed credential gets one answer, `auth.passkey_failed`, audited.
 * - The customer's state is checked as for a password sign-in: locked, frozen, closed, under investigation.
 */

/** The challenge lives as long as the browser's WebAuthn prompt (2 minutes) and a little more. */
export const PASSKEY_LOGIN_TTL_MS = 150_000;

export async function startPasskeyLogin(
  ctx: AppContext,
  client: Client,
): Promise<{ attemptId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const nowMs = ctx.clock.nowMs();
  const options = await passkeyLoginOptions(ctx);
  const attemptId = newId<'PasskeyLogin'>();
  await insertPasskeyLogin(ctx.db.kysely, {
    id: attemptId,
    challenge: options.challenge,
    channel: client.channel,
    created_at_ms: nowMs,
    expires_at_ms: nowMs + PASSKEY_LOGIN_TTL_MS,
    used_at_ms: null,
  });
  return { attemptId, options };
}

export async function finishPasskeyLogin(
  ctx: AppContext,
  attemptId: string,
  credential: unknown,
  client: Client,
): Promise<LoginOutcome> {
  const nowMs = ctx.clock.nowMs();
  // The attempt is spent before the assertion is looked at: a second try of it, right or wrong, is refused.
  if (!(await markPasskeyLoginUsed(ctx.db.kysely, attemptId, nowMs))) {
    throw new AppError(errors['auth.attempt_expired']);
  }
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const attempt = await lockedPasskeyLogin(trx, attemptId);
    if (!attempt || attempt.expires_at_ms <= nowMs) return { error: 'expired' as const };
    const owner = await verifyPasskeyLogin(trx, ctx, attempt.challenge, credential);
    if (!owner) return { error: 'failed' as const };
    const customer = await customerById(trx, owner.customerId);
    const fresh = await lockedCredentialOf(trx, owner.customerId);
    if (!customer || !fresh) return { error: 'failed' as const };
    // The right passkey of a customer who may not sign in now: refused as a password sign-in would be.
    const refusedBy = (reason: string, error: AppError) => ({
      error: 'refused' as const,
      reason,
      refusal: error,
      owner,
    });
    if (fresh.locked_until_ms !== null && fresh.locked_until_ms > nowMs) {
      return refusedBy('locked', lockedError(fresh.locked_until_ms));
    }
    if (customer.status === 'suspended') return refusedBy('frozen', new AppError(errors['auth.account_frozen']));
    if (customer.status === 'closed') return refusedBy('closed', new AppError(errors['auth.account_closed']));
    if (customer.status === 'under_investigation') {
      return refusedBy('under_investigation', new AppError(errors['auth.under_investigation']));
    }
    if (customer.status !== 'active' || fresh.must_change_password) return { error: 'failed' as const };
    const risk = await decideRisk(trx, {
      customerId: customer.id,
      deviceId: client.deviceId,
      ip: client.ip,
      channel: client.channel,
      recentFailures: 0,
      nowMs,
    });
    await audit(trx, customer.id, client, nowMs, 'auth.passkey_login', { mediumId: owner.mediumId, risk });
    // The assertion with user verification is two factors: the session opens and the device becomes known.
    return { login: await completeLogin(trx, ctx, customer, client, { ...risk, decision: 'allow' }, fresh) };
  });
  if ('login' in outcome && outcome.login) return outcome.login;
  if (outcome.error === 'refused' && outcome.owner && outcome.refusal) {
    const { owner, refusal } = outcome;
    await withTransaction(ctx.db.kysely, (trx) =>
      audit(trx, owner.customerId, client, nowMs, 'auth.passkey_refused', {
        mediumId: owner.mediumId,
        reason: outcome.reason,
      }),
    );
    throw refusal;
  }
  const reason = outcome.error ?? 'failed';
  await withTransaction(ctx.db.kysely, async (trx) => {
    await appendAudit(trx, {
      kind: 'auth.passkey_failed',
      atMs: nowMs,
      actor: { type: 'anonymous' },
      subject: { type: 'passkey_login', id: attemptId },
      ip: client.ip,
      details: { channel: client.channel, reason },
    });
  });
  throw new AppError(errors[reason === 'expired' ? 'auth.attempt_expired' : 'auth.passkey_failed']);
}
