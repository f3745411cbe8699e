import { type CustomerRow, customerById, setCustomerStatus } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { refusal, verifyAuthorization } from '../media/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { hashSecret, needsRehash, verifyDummy, verifySecret } from '../platform/secret-hash.ts';
import { checkCaptcha, identifierHash, loginPressure } from './captcha.ts';
import { setLoginPassword } from './credentials.ts';
import { authErrors as errors } from './errors.ts';
import { resolveIdentifier } from './identifiers.ts';
import { decideRisk, type RiskDecision } from './risk.ts';
import { failPassword, failUnknownIdentifier, invalidCredentials, lockedError } from './lockout.ts';
import { askLoginChallenge, LOGIN_PURPOSE, loginBinding } from './login-challenge.ts';
import { audit, type Client, completeLogin, type LoginOutcome } from './login-session.ts';
import type { LoginMethod } from './schema.ts';
import {
  type AttemptRow,
  attemptChannelOf,
  credentialOf,
  insertAttempt,
  lockedAttempt,
  lockedCredentialOf,
  setAttemptState,
  setFailureState,
  setPasswordHash,
} from './store.ts';

export type { Client, CustomerView, LoginOutcome } from './login-session.ts';

/** A login attempt lives 5 minutes and is used once (ARCHITECTURE.md §3). */
export const ATTEMPT_TTL_MS = 5 * 60_000;

export type LoginInput = {
  identifier: string;
  password: string;
  captchaId?: string | undefined;
  captchaAnswer?: string | undefined;
};

/**
 * A temporary password from the counter (registration or reset) signs in only this long after it was
 * given; then the customer resets it online or at a branch. An initial password must be short-lived
 * (ASVS 6.4.1): one never used should not open the account months later.
 */
export const TEMPORARY_PASSWORD_VALID_MS = 30 * 86_400_000;

/**
 * Checks identifier and password. An unknown identifier and a wrong password answer alike — same
 * code, same body, the same Argon2 work and the same lock at the fifth (lockout.ts) — so nobody can
 * learn who banks here. Only after the right password does the answer tell the customer about their
 * state (suspended, closed, …).
 */
export async function startLogin(ctx: AppContext, input: LoginInput, client: Client): Promise<LoginOutcome> {
  const db = ctx.db.kysely;
  const nowMs = ctx.clock.nowMs();
  const idHash = identifierHash(ctx.config.secret, input.identifier);
  const pressure = await loginPressure(db, client.ip, idHash, nowMs);
  if (pressure.ipFlooding) await new Promise((resolve) => setTimeout(resolve, 1000));
  await checkCaptcha(db, pressure.captchaRequired || pressure.ipFlooding, input, nowMs);
  const customerId = await resolveIdentifier(db, input.identifier);
  const credential = customerId ? await credentialOf(db, customerId) : undefined;
  if (!customerId || !credential) {
    await verifyDummy(ctx.config, input.password);
    return failUnknownIdentifier(ctx, idHash, client);
  }
  const passwordOk = await verifySecret(ctx.config, credential.password_hash, input.password);
  if (!passwordOk) return failPassword(ctx, customerId, credential, idHash, client);
  const outcome = await withTransaction(db, async (trx): Promise<LoginOutcome | 'temporary_expired'> => {
    const customer = await customerById(trx, customerId);
    const fresh = await lockedCredentialOf(trx, customerId);
    if (!customer || !fresh) throw invalidCredentials();
    if (fresh.locked_until_ms !== null && fresh.locked_until_ms > nowMs) throw lockedError(fresh.locked_until_ms);
    refuseByStatus(customer);
    const recentFailures = fresh.failed_count;
    // A success ends the count of wrong passwords (only written when there is one to clear).
    if (fresh.failed_count !== 0 || fresh.locked_until_ms !== null) {
      await setFailureState(trx, customerId, { failedCount: 0, lockedUntilMs: null });
    }
    if (needsRehash(ctx.config, fresh.password_hash)) {
      await setPasswordHash(trx, customerId, await hashSecret(ctx.config, input.password));
    }
    const risk = await decideRisk(trx, {
      customerId,
      deviceId: client.deviceId,
      ip: client.ip,
      channel: client.channel,
      recentFailures,
      nowMs,
    });
    if (fresh.must_change_password && nowMs - fresh.password_changed_at_ms > TEMPORARY_PASSWORD_VALID_MS) {
      // Committed with the cleared count: the password was right, only its time is over.
      await audit(trx, customerId, client, nowMs, 'auth.temporary_password_expired', { risk });
      return 'temporary_expired';
    }
    if (customer.status === 'not_activated' || fresh.must_change_password) {
      const attempt = await newAttempt(trx, ctx, customerId, client, risk, 'change_password', true);
      await audit(trx, customerId, client, nowMs, 'auth.password_ok_change_required', { risk });
      return { state: 'change_password', attemptId: attempt.id };
    }
    if (risk.decision === 'step_up') {
      const attempt = await newAttempt(trx, ctx, customerId, client, risk, 'challenge', false);
      const asked = await askLoginChallenge(trx, ctx, customer, attempt.id);
      await audit(trx, customerId, client, nowMs, 'auth.step_up', { risk, method: asked.challenge.method });
      return { state: 'challenge', attemptId: attempt.id, ...asked };
    }
    return completeLogin(trx, ctx, customer, client, risk, fresh);
  });
  if (outcome === 'temporary_expired') throw new AppError(errors['auth.temporary_password_expired']);
  return outcome;
}

function refuseByStatus(customer: CustomerRow) {
  if (customer.status === 'suspended') throw new AppError(errors['auth.account_frozen']);
  if (customer.status === 'closed') throw new AppError(errors['auth.account_closed']);
  if (customer.status === 'under_investigation') throw new AppError(errors['auth.under_investigation']);
}

async function newAttempt(
  trx: Tx,
  ctx: AppContext,
  customerId: string,
  client: Client,
  risk: RiskDecision,
  state: AttemptRow['state'],
  thenChallenge: boolean,
): Promise<AttemptRow> {
  const nowMs = ctx.clock.nowMs();
  const row: AttemptRow = {
    id: newId<'LoginAttempt'>(),
    customer_id: customerId,
    channel: client.channel,
    state,
    risk: JSON.stringify(risk),
    device_id: client.deviceId,
    ip: client.ip,
    user_agent: client.userAgent,
    challenge_id: null,
    then_challenge: thenChallenge,
    created_at_ms: nowMs,
    expires_at_ms: nowMs + ATTEMPT_TTL_MS,
  };
  await insertAttempt(trx, row);
  return row;
}

/** Loads a live attempt of the expected state for update; an expired or used one is gone. */
export async function liveAttempt(trx: Tx, ctx: AppContext, attemptId: string, state: AttemptRow['state']) {
  const attempt = await lockedAttempt(trx, attemptId);
  if (!attempt || attempt.state !== state || attempt.expires_at_ms <= ctx.clock.nowMs()) {
    throw new AppError(errors['auth.attempt_expired']);
  }
  return attempt;
}

/**
 * Answers the attempt's challenge through the authorization service, bound to this attempt. A wrong
 * answer is thrown after its try (and the medium's count) has been committed; a password card's carries
 * its new cells.
 */
export async function verifyLoginChallenge(
  ctx: AppContext,
  attemptId: string,
  method: string,
  response: string,
  client: Client,
): Promise<LoginOutcome> {
  const result = await withTransaction(ctx.db.kysely, async (trx) => {
    const attempt = await liveAttempt(trx, ctx, attemptId, 'challenge');
    if (!attempt.challenge_id) throw new AppError(errors['auth.challenge_failed'], { reason: method });
    const check = await verifyAuthorization(trx, ctx, {
      customerId: attempt.customer_id,
      challengeId: attempt.challenge_id,
      purpose: LOGIN_PURPOSE,
      binding: loginBinding(attempt.id),
      method,
      response,
      ip: client.ip,
    });
    if (!check.ok) {
      await audit(trx, attempt.customer_id, client, ctx.clock.nowMs(), 'auth.challenge_failed', {
        reason: check.error.code,
        method,
      });
      return { error: refusal(check) };
    }
    await setAttemptState(trx, attempt.id, 'done');
    const customer = await customerById(trx, attempt.customer_id);
    if (!customer) throw new AppError(errors['auth.attempt_expired']);
    refuseByStatus(customer);
    const risk = JSON.parse(attempt.risk) as RiskDecision;
    return { outcome: await completeLogin(trx, ctx, customer, client, risk) };
  });
  if ('error' in result) throw result.error;
  ctx.kickOutbox();
  return result.outcome;
}

/** Replaces a temporary password (first sign-in after the counter), then asks for the security check. */
export async function changePasswordInLogin(
  ctx: AppContext,
  attemptId: string,
  newPassword: string,
  client: Client,
): Promise<LoginOutcome> {
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const attempt = await liveAttempt(trx, ctx, attemptId, 'change_password');
    const customer = await customerById(trx, attempt.customer_id);
    if (!customer) throw new AppError(errors['auth.attempt_expired']);
    await setLoginPassword(trx, ctx, customer.id, newPassword, { temporary: false });
    if (customer.status === 'not_activated') await setCustomerStatus(trx, ctx, customer.id, 'active');
    await audit(trx, customer.id, client, ctx.clock.nowMs(), 'auth.password_changed', { during: 'first_login' });
    if (attempt.then_challenge) {
      await setAttemptState(trx, attempt.id, 'challenge', false);
      const asked = await askLoginChallenge(trx, ctx, customer, attempt.id);
      return { state: 'challenge', attemptId: attempt.id, ...asked } satisfies LoginOutcome;
    }
    await setAttemptState(trx, attempt.id, 'done');
    return completeLogin(trx, ctx, { ...customer, status: 'active' }, client, JSON.parse(attempt.risk) as RiskDecision);
  });
  ctx.kickOutbox();
  return outcome;
}

/**
 * A fresh challenge for the attempt: another medium among the alternatives, or without one a new
 * challenge of the least-friction medium (the resend button; the SMS rules decide whether it may).
 */
export async function renewLoginChallenge(
  ctx: AppContext,
  attemptId: string,
  method?: LoginMethod,
): Promise<LoginOutcome> {
  const asked = await withTransaction(ctx.db.kysely, async (trx) => {
    const attempt = await liveAttempt(trx, ctx, attemptId, 'challenge');
    const customer = await customerById(trx, attempt.customer_id);
    if (!customer) throw new AppError(errors['auth.attempt_expired']);
    return askLoginChallenge(trx, ctx, customer, attempt.id, method);
  });
  ctx.kickOutbox();
  return { state: 'challenge', attemptId, ...asked };
}

/** The channel a sign-in started on: its later steps count on the same one. */
export async function attemptChannel(ctx: AppContext, attemptId: string): Promise<Client['channel']> {
  return (await attemptChannelOf(ctx.db.kysely, attemptId)) === 'mobile' ? 'mobile' : 'web';
}
