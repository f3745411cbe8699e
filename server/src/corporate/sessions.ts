import { randomBytes } from 'node:crypto';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { appendAudit } from '../audit/index.ts';
import { checkPasswordPolicy } from '../auth/index.ts';
import type { Tx } from '../database.ts';
import { finishHolderKeyRegistration, holderHasKey, startHolderKeyRegistration } from '../media/index.ts';
import { assert } from '../platform/assert.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { hashSecret, verifyDummy, verifySecret } from '../platform/secret-hash.ts';
import { askOperatorKey, checkOperatorKey, sha256Hex } from './common.ts';
import { corporateErrors as errors } from './errors.ts';
import type { CorpLoginAnswer, OperatorView } from './schema.ts';
import {
  type CorpLoginRow,
  corpSessionByTokenHash,
  type EnterpriseRow,
  enterpriseByCode,
  enterpriseById,
  insertCorpLogin,
  insertCorpSession,
  lockCorpLogin,
  lockOperator,
  type OperatorRow,
  operatorByCode,
  operatorById,
  revokeCorpSessionByTokenHash,
  touchCorpSession,
  updateCorpLogin,
  updateOperator,
} from './store.ts';

/**
 * Operator sign-in (API.md, "Corporate e-banking"): enterprise code + operator code + password, then the
 * operator's own key. The states are those of the personal login — `change_password` while the password
 * is the initial one, `challenge` for the key — plus `register_medium` for an operator who has no key
 * yet (their first sign-in): the registration itself, with the key's PIN or fingerprint, completes it.
 * The password policy, Argon2id and the lock after 5 wrong passwords are the personal login's.
 */

export const CORP_SESSION_COOKIE = 'jinku_corp_sid';
export const CORP_IDLE_TIMEOUT_MS = 10 * 60_000;
export const CORP_ABSOLUTE_TIMEOUT_MS = 12 * 3_600_000;
const ATTEMPT_TTL_MS = 5 * 60_000;
const TOUCH_EVERY_MS = 15_000;
const MAX_TOKEN_LENGTH = 100;
const LOGIN_PURPOSE = 'corporate.login';
const KEY_PURPOSE = 'corporate.key';

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock'>;
export type CorpClient = { ip: string | null; previousToken: string | undefined };
export type LoginOutcome = { answer: CorpLoginAnswer; token?: string };

export function operatorView(operator: OperatorRow, enterprise: EnterpriseRow): OperatorView {
  return {
    id: operator.id,
    code: operator.code,
    name: operator.name,
    role: operator.role,
    enterprise: { id: enterprise.id, code: enterprise.code, name: enterprise.name },
  };
}

/** Checks the password; a wrong one of a real operator counts, and 5 in a row lock the operator. */
export async function corporateSignIn(
  ctx: Ctx,
  input: { enterpriseCode: string; operatorCode: string; password: string },
  client: CorpClient,
): Promise<LoginOutcome> {
  const db = ctx.db.kysely;
  const enterprise = await enterpriseByCode(db, input.enterpriseCode.trim());
  const found = enterprise ? await operatorByCode(db, enterprise.id, input.operatorCode.trim()) : undefined;
  if (enterprise?.status !== 'active' || found?.status !== 'active') {
    await verifyDummy(ctx.config, input.password);
    await withTransaction(db, (trx) =>
      appendAudit(trx, {
        kind: 'corporate.login_failed',
        atMs: ctx.clock.nowMs(),
        actor: { type: 'anonymous' },
        ip: client.ip,
        details: { operatorKnown: false },
      }),
    );
    throw new AppError(errors['corporate.invalid_credentials']);
  }
  const passwordOk = await verifySecret(ctx.config, found.password_hash, input.password);
  const outcome = await withTransaction(db, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    const operator = await lockOperator(trx, found.id);
    assert(operator, 'the operator read a moment ago exists');
    const locked = operator.locked_until_ms !== null && operator.locked_until_ms > nowMs;
    if (!passwordOk) {
      if (locked) return { failure: 'invalid' as const };
      const failures = (operator.locked_until_ms !== null ? 0 : operator.failed_count) + 1;
      const lockNow = failures >= ctx.config.loginMaxFailures;
      await updateOperator(trx, operator.id, {
        failed_count: lockNow ? 0 : failures,
        locked_until_ms: lockNow ? nowMs + ctx.config.loginLockSeconds * 1000 : null,
        updated_at_ms: nowMs,
      });
      await audit(trx, operator, lockNow ? 'corporate.locked' : 'corporate.login_failed', nowMs, client.ip, {
        failures,
      });
      return { failure: 'invalid' as const };
    }
    if (locked) {
      await audit(trx, operator, 'corporate.login_refused_locked', nowMs, client.ip);
      return { failure: 'locked' as const, untilMs: operator.locked_until_ms as number };
    }
    await updateOperator(trx, operator.id, { failed_count: 0, locked_until_ms: null, updated_at_ms: nowMs });
    const attempt: CorpLoginRow = {
      id: newId<'CorpLogin'>(),
      operator_id: operator.id,
      state: 'change_password',
      ref: null,
      created_at_ms: nowMs,
      expires_at_ms: nowMs + ATTEMPT_TTL_MS,
    };
    await insertCorpLogin(trx, attempt);
    await audit(trx, operator, 'corporate.login_password_ok', nowMs, client.ip, { attemptId: attempt.id });
    return { failure: null, answer: await nextStep(trx, ctx, operator, enterprise, attempt) };
  });
  if (outcome.failure === 'invalid') throw new AppError(errors['corporate.invalid_credentials']);
  if (outcome.failure === 'locked')
    throw new AppError(
      errors['corporate.locked'],
      { until: chinaDateTime(outcome.untilMs) },
      { lockedUntil: isoTime(outcome.untilMs) },
    );
  return outcome.answer;
}

/** The attempt's next state: change the initial password, register a key, answer the key, or in. */
async function nextStep(
  trx: Tx,
  ctx: Ctx,
  operator: OperatorRow,
  enterprise: EnterpriseRow,
  attempt: CorpLoginRow,
): Promise<LoginOutcome> {
  if (operator.password_temporary === 1) {
    await updateCorpLogin(trx, attempt.id, { state: 'change_password', ref: null });
    return { answer: { state: 'change_password', attemptId: attempt.id } };
  }
  if (!(await holderHasKey(trx, operator.id))) {
    const registration = await startHolderKeyRegistration(trx, ctx, {
      holderId: operator.id,
      purpose: KEY_PURPOSE,
      userName: `${enterprise.code}-${operator.code}`,
      displayName: operator.name,
    });
    await updateCorpLogin(trx, attempt.id, { state: 'register_medium', ref: registration.registrationId });
    return {
      answer: {
        state: 'register_medium',
        attemptId: attempt.id,
        registrationId: registration.registrationId,
        options: registration.options as unknown as Record<string, unknown>,
      },
    };
  }
  const asked = await askOperatorKey(trx, ctx, operator, LOGIN_PURPOSE, `corp-login:${attempt.id}`);
  await updateCorpLogin(trx, attempt.id, { state: 'challenge', ref: asked.challengeId });
  assert(asked.authorization.method === 'u_shield', 'operators sign with their key');
  return {
    answer: {
      state: 'challenge',
      attemptId: attempt.id,
      challenge: {
        method: 'u_shield',
        options: asked.authorization.challenge.options as unknown as Record<string, unknown>,
      },
      alternatives: [],
    },
  };
}

/** The attempt, locked, when it is live and in the expected state. */
async function liveAttempt(trx: Tx, ctx: Ctx, attemptId: string, state: CorpLoginRow['state']) {
  const attempt = await lockCorpLogin(trx, attemptId);
  if (!attempt || attempt.state !== state || attempt.expires_at_ms <= ctx.clock.nowMs())
    throw new AppError(errors['corporate.attempt_invalid']);
  const operator = await lockOperator(trx, attempt.operator_id);
  const enterprise = operator ? await enterpriseById(trx, operator.enterprise_id) : undefined;
  if (operator?.status !== 'active' || !enterprise) throw new AppError(errors['corporate.attempt_invalid']);
  return { attempt, operator, enterprise };
}

/** `change_password`: sets the operator's own password (the personal policy) and goes on. */
export async function changeInitialPassword(ctx: Ctx, attemptId: string, newPassword: string, client: CorpClient) {
  return withTransaction(ctx.db.kysely, async (trx) => {
    const { attempt, operator, enterprise } = await liveAttempt(trx, ctx, attemptId, 'change_password');
    const policy = checkPasswordPolicy(newPassword, { mobile: operator.mobile });
    if (!policy.ok) throw new AppError(errors['corporate.password_policy'], { reason: policy.zh, reasonEn: policy.en });
    if (await verifySecret(ctx.config, operator.password_hash, newPassword))
      throw new AppError(errors['corporate.password_policy'], {
        reason: '不能与初始密码相同',
        reasonEn: 'it must differ from the initial password',
      });
    const nowMs = ctx.clock.nowMs();
    const changed = { ...operator, password_temporary: 0 };
    await updateOperator(trx, operator.id, {
      password_hash: await hashSecret(ctx.config, newPassword),
      password_temporary: 0,
      updated_at_ms: nowMs,
    });
    await audit(trx, operator, 'corporate.password_changed', nowMs, client.ip);
    return nextStep(trx, ctx, changed, enterprise, attempt);
  });
}

/** `register_medium`: stores the operator's new key (its PIN or fingerprint verified); the sign-in completes. */
export async function registerLoginKey(
  ctx: Ctx,
  attemptId: string,
  credential: RegistrationResponseJSON,
  client: CorpClient,
): Promise<LoginOutcome> {
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const { attempt, operator, enterprise } = await liveAttempt(trx, ctx, attemptId, 'register_medium');
    const nowMs = ctx.clock.nowMs();
    const done = await finishHolderKeyRegistration(trx, ctx, {
      holderId: operator.id,
      purpose: KEY_PURPOSE,
      registrationId: attempt.ref ?? '',
      credential,
    });
    if (!done.ok) {
      await updateCorpLogin(trx, attempt.id, { state: 'done', ref: null });
      await audit(trx, operator, 'corporate.key_refused', nowMs, client.ip);
      return { error: done.error };
    }
    await audit(trx, operator, 'corporate.key_registered', nowMs, client.ip, { mediumId: done.mediumId });
    return { ok: await openSession(trx, ctx, operator, enterprise, attempt, client) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.ok;
}

/** `challenge`: the key's assertion over this attempt; right, the session opens. */
export async function verifyLoginKey(
  ctx: Ctx,
  attemptId: string,
  response: string | object,
  client: CorpClient,
): Promise<LoginOutcome> {
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const { attempt, operator, enterprise } = await liveAttempt(trx, ctx, attemptId, 'challenge');
    const refused = await checkOperatorKey(
      trx,
      ctx,
      operator,
      LOGIN_PURPOSE,
      `corp-login:${attempt.id}`,
      { method: 'u_shield', challengeId: attempt.ref ?? '', response },
      client.ip,
    );
    if (refused) {
      await audit(trx, operator, 'corporate.key_wrong', ctx.clock.nowMs(), client.ip, { error: refused.code });
      return { error: refused };
    }
    return { ok: await openSession(trx, ctx, operator, enterprise, attempt, client) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.ok;
}

/** Opens the operator's session (the browser's previous one revoked: rotation at sign-in). */
async function openSession(
  trx: Tx,
  ctx: Ctx,
  operator: OperatorRow,
  enterprise: EnterpriseRow,
  attempt: CorpLoginRow,
  client: CorpClient,
): Promise<LoginOutcome> {
  const nowMs = ctx.clock.nowMs();
  await updateCorpLogin(trx, attempt.id, { state: 'done', ref: null });
  if (client.previousToken && client.previousToken.length <= MAX_TOKEN_LENGTH)
    await revokeCorpSessionByTokenHash(trx, sha256Hex(client.previousToken), nowMs);
  const token = randomBytes(32).toString('base64url');
  const sessionId = newId<'CorpSession'>();
  await insertCorpSession(trx, {
    id: sessionId,
    token_hash: sha256Hex(token),
    operator_id: operator.id,
    ip: client.ip,
    created_at_ms: nowMs,
    last_seen_at_ms: nowMs,
    expires_at_ms: nowMs + CORP_ABSOLUTE_TIMEOUT_MS,
    revoked_at_ms: null,
  });
  await audit(trx, operator, 'corporate.login', nowMs, client.ip, { sessionId });
  return { answer: { state: 'authenticated', operator: operatorView(operator, enterprise) }, token };
}

/** The signed-in operator of a request. */
export type CorpSession = { sessionId: string; operator: OperatorRow; enterprise: EnterpriseRow };

/** The live operator session of a cookie's token (touching its last-seen time), or null. */
export async function corpSessionOf(ctx: Ctx, token: string | undefined): Promise<CorpSession | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  const db = ctx.db.kysely;
  const session = await corpSessionByTokenHash(db, sha256Hex(token));
  const nowMs = ctx.clock.nowMs();
  if (!session || session.revoked_at_ms !== null) return null;
  if (session.expires_at_ms <= nowMs || session.last_seen_at_ms + CORP_IDLE_TIMEOUT_MS <= nowMs) return null;
  const operator = await operatorById(db, session.operator_id);
  if (operator?.status !== 'active') return null;
  const enterprise = await enterpriseById(db, operator.enterprise_id);
  if (enterprise?.status !== 'active') return null;
  if (nowMs - session.last_seen_at_ms >= TOUCH_EVERY_MS) await touchCorpSession(db, session.id, nowMs);
  return { sessionId: session.id, operator, enterprise };
}

/** Ends the operator's session on the server, with an audit row. */
export async function corporateLogout(ctx: Ctx, token: string | undefined, ip: string | null): Promise<void> {
  const current = await corpSessionOf(ctx, token);
  if (!current || !token) return;
  await withTransaction(ctx.db.kysely, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    await revokeCorpSessionByTokenHash(trx, sha256Hex(token), nowMs);
    await audit(trx, current.operator, 'corporate.logout', nowMs, ip, { sessionId: current.sessionId });
  });
}

/** One audit row about an operator (the actor type is `customer`-like: a holder of e-banking, not staff). */
export async function audit(
  trx: Tx,
  operator: OperatorRow,
  kind: string,
  atMs: number,
  ip: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(trx, {
    kind,
    atMs,
    actor: { type: 'customer', id: operator.id },
    subject: { type: 'corporate_operator', id: operator.id },
    ip,
    details: { enterpriseId: operator.enterprise_id, operatorCode: operator.code, role: operator.role, ...details },
  });
}
