import { appendAudit } from '../audit/index.ts';
import { customerById } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { enqueueMessage, postInboxMessage, smsText } from '../notify/index.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { identifierHash, recordLoginFailure } from './captcha.ts';
import { authErrors as errors } from './errors.ts';
import { type Client, loginEvent } from './login-session.ts';
import {
  type CredentialRow,
  lockedCredentialOf,
  lockedUnknownIdentifier,
  revokeSessionsOf,
  setFailureState,
  writeUnknownIdentifierState,
} from './store.ts';

/**
 * Lockout (ARCHITECTURE.md §3): consecutive wrong passwords lock the login password for the configured
 * period; the customer is told by SMS and the audit log records it. A lock that has run out starts the
 * count afresh; a success resets it (login.ts).
 */
export async function failPassword(
  ctx: AppContext,
  customerId: string,
  credential: CredentialRow,
  idHash: string,
  client: Client,
): Promise<never> {
  const nowMs = ctx.clock.nowMs();
  const lockedUntilMs = await withTransaction(ctx.db.kysely, async (trx) => {
    const fresh = (await lockedCredentialOf(trx, customerId)) ?? credential;
    await recordLoginFailure(trx, client.ip, idHash, nowMs);
    return countWrongPassword(trx, ctx, fresh, client);
  });
  ctx.kickOutbox();
  if (lockedUntilMs !== null) throw lockedError(lockedUntilMs);
  throw invalidCredentials();
}

/**
 * A wrong current password given inside a session (the security centre's password change) counts
 * like a wrong sign-in: the fifth in a row locks the login password and ends the customer's sessions,
 * so a stolen session cannot be used to guess the password (issue 13 item 2).
 */
export async function failWrongCurrentPassword(ctx: AppContext, customerId: string, client: Client): Promise<never> {
  const nowMs = ctx.clock.nowMs();
  const lockedUntilMs = await withTransaction(ctx.db.kysely, async (trx) => {
    const fresh = await lockedCredentialOf(trx, customerId);
    if (!fresh) return null;
    await recordLoginFailure(trx, client.ip, identifierHash(ctx.config.secret, `customer:${customerId}`), nowMs);
    const until = await countWrongPassword(trx, ctx, fresh, client);
    if (until !== null) await revokeSessionsOf(trx, customerId, nowMs);
    return until;
  });
  ctx.kickOutbox();
  if (lockedUntilMs !== null) throw lockedError(lockedUntilMs);
  throw new AppError(errors['auth.password_wrong']);
}

/** The lock state of a credential, or of an identifier that names nobody. */
export type LockState = { failedCount: number; lockedUntilMs: number | null };

export type WrongPasswordStep =
  | { kind: 'still_locked'; lockedUntilMs: number }
  | { kind: 'counted'; next: LockState; failures: number; lockedNow: boolean };

/**
 * One wrong password against a lock state: during a lock nothing changes; a lock that has run out
 * starts the count afresh; the `maxFailures`-th in a row locks for `lockMs`. The one rule for real
 * customers and for identifiers that name nobody, so both answer alike at every step.
 */
export function stepAfterWrongPassword(
  state: LockState,
  nowMs: number,
  rules: { maxFailures: number; lockMs: number },
): WrongPasswordStep {
  if (state.lockedUntilMs !== null && state.lockedUntilMs > nowMs)
    return { kind: 'still_locked', lockedUntilMs: state.lockedUntilMs };
  const failures = (state.lockedUntilMs !== null ? 0 : state.failedCount) + 1;
  const lockedNow = failures >= rules.maxFailures;
  return {
    kind: 'counted',
    next: { failedCount: lockedNow ? 0 : failures, lockedUntilMs: lockedNow ? nowMs + rules.lockMs : null },
    failures,
    lockedNow,
  };
}

function lockRules(ctx: AppContext) {
  return { maxFailures: ctx.config.loginMaxFailures, lockMs: ctx.config.loginLockSeconds * 1000 };
}

/**
 * Counts one wrong password on a credential read under lock, in the caller's transaction: the login
 * history, the audit log and, at the limit, the lock and its SMS. Returns when the lock ends, or null
 * when the password is not locked.
 */
async function countWrongPassword(trx: Tx, ctx: AppContext, fresh: CredentialRow, client: Client) {
  const nowMs = ctx.clock.nowMs();
  const customerId = fresh.customer_id;
  const step = stepAfterWrongPassword(
    { failedCount: fresh.failed_count, lockedUntilMs: fresh.locked_until_ms },
    nowMs,
    lockRules(ctx),
  );
  if (step.kind === 'still_locked') return step.lockedUntilMs;
  await setFailureState(trx, customerId, step.next);
  await loginEvent(trx, customerId, client, nowMs, step.lockedNow ? 'locked' : 'wrong_password');
  if (step.next.lockedUntilMs !== null) await tellLocked(trx, ctx, customerId, step.next.lockedUntilMs);
  await appendAudit(trx, {
    kind: step.lockedNow ? 'auth.locked' : 'auth.login_failed',
    atMs: nowMs,
    actor: { type: 'customer', id: customerId },
    subject: { type: 'customer', id: customerId },
    ip: client.ip,
    details: { channel: client.channel, failures: step.failures },
  });
  return step.next.lockedUntilMs;
}

/**
 * A sign-in with an identifier that names nobody: the same writes as a wrong password (a failure row,
 * an audit row, a lock state under the identifier's keyed hash) and the same answers at every step,
 * locked included, so nobody can learn who banks here (issue 13 item 1).
 */
export async function failUnknownIdentifier(ctx: AppContext, idHash: string, client: Client): Promise<never> {
  const nowMs = ctx.clock.nowMs();
  const lockedUntilMs = await withTransaction(ctx.db.kysely, async (trx) => {
    await recordLoginFailure(trx, client.ip, idHash, nowMs);
    const row = await lockedUnknownIdentifier(trx, idHash);
    const step = stepAfterWrongPassword(
      { failedCount: row?.failed_count ?? 0, lockedUntilMs: row?.locked_until_ms ?? null },
      nowMs,
      lockRules(ctx),
    );
    if (step.kind === 'still_locked') return step.lockedUntilMs;
    await writeUnknownIdentifierState(trx, idHash, { ...step.next, nowMs });
    await appendAudit(trx, {
      kind: 'auth.login_failed',
      atMs: nowMs,
      actor: { type: 'anonymous' },
      ip: client.ip,
      details: { channel: client.channel, identifierKnown: false },
    });
    return step.next.lockedUntilMs;
  });
  if (lockedUntilMs !== null) throw lockedError(lockedUntilMs);
  throw invalidCredentials();
}

/** The SMS that tells the customer their login password is locked, and until when (local time). */
async function tellLocked(trx: Tx, ctx: AppContext, customerId: string, lockedUntilMs: number) {
  const customer = await customerById(trx, customerId);
  if (!customer) return;
  const nowMs = ctx.clock.nowMs();
  const text = smsText('auth.locked', { failures: ctx.config.loginMaxFailures, until: chinaDateTime(lockedUntilMs) });
  await enqueueMessage(trx, { channel: 'sms', to: customer.mobile, purpose: 'auth.locked', text }, nowMs);
  await postInboxMessage(
    trx,
    { customerId, kind: 'auth.locked', params: { failures: ctx.config.loginMaxFailures, untilMs: lockedUntilMs } },
    nowMs,
  );
}

/**
 * Lifts the login lock and forgets the count of wrong passwords, in the caller's transaction (an online
 * reset, or an unlock at the counter). A no-op for a customer without online banking. A lock that was
 * in force is lifted with a message to the customer's message centre.
 */
export async function liftLoginLock(trx: Tx, deps: Pick<AppContext, 'clock'>, customerId: string): Promise<void> {
  const nowMs = deps.clock.nowMs();
  const credential = await lockedCredentialOf(trx, customerId);
  await setFailureState(trx, customerId, { failedCount: 0, lockedUntilMs: null });
  if (credential?.locked_until_ms != null && Number(credential.locked_until_ms) > nowMs) {
    await postInboxMessage(trx, { customerId, kind: 'auth.unlocked', params: {} }, nowMs);
  }
}

export function invalidCredentials() {
  return new AppError(errors['auth.invalid_credentials'], {}, { captchaRequired: true });
}

/** The lock answer: the person reads local time; `lockedUntil` is for programs (RFC 3339 UTC). */
export function lockedError(untilMs: number) {
  return new AppError(errors['auth.locked'], { until: chinaDateTime(untilMs) }, { lockedUntil: isoTime(untilMs) });
}
