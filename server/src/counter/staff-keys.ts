import type { PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { appendAudit } from '../audit/index.ts';
import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import {
  finishHolderKeyRegistration,
  holderHasKey,
  holderKeys,
  removeHolderKey,
  requestAuthorization,
  startHolderKeyRegistration,
  verifyAuthorization,
} from '../media/index.ts';
import { assert } from '../platform/assert.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError, defineErrors } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { secretBox } from '../platform/secret-box.ts';
import {
  checkStaffPassword,
  countStaffFailure,
  openStaffSession,
  refuseIfLocked,
  STAFF_TOTP_PURPOSE,
  type SignInOutcome,
  type StaffClient,
  type StaffSession,
  type StaffView,
  signInAnswer,
} from './staff.ts';
import {
  deleteStaffKeyLoginsExpiredBefore,
  insertStaffKeyLogin,
  lockedStaff,
  lockedStaffKeyLogin,
  type StaffRow,
  setStaffFailures,
  setStaffTotpStep,
  markStaffKeyLoginUsed,
} from './store.ts';
import { checkStaffTotp } from './totp.ts';

/**
 * Staff sign-in with password and a security key (issue 15: "password and TOTP, or a WebAuthn key").
 * A staff member's key is held as media's holder key (media/holder-keys.ts, as a corporate operator's
 * is): a cross-platform WebAuthn authenticator with user verification (its PIN), registered from a
 * signed-in console. Sign-in checks the password exactly as the TOTP sign-in does (the same throttle,
 * the same one answer for an unknown username or a wrong password, the same count towards the lock),
 * then asks the key through media's one authorization service for a challenge bound to this attempt:
 * stored in the database, answered once, within 5 minutes. A wrong assertion counts like a wrong code.
 */

export const staffKeyErrors = defineErrors({
  'counter.key_missing': {
    status: 409,
    zh: '该工号尚未登记可用的安全密钥，请使用动态口令登录。',
    en: 'No usable security key is registered for this staff login; sign in with the authenticator code.',
  },
  'counter.key_exists': {
    status: 409,
    zh: '您已登记一把安全密钥；如需更换，请先删除原密钥。',
    en: 'You already have a security key registered; remove it first to register another.',
  },
  'counter.code_rejected': {
    status: 403,
    zh: '动态口令不正确，请输入认证器上当前显示的口令。',
    en: 'The authenticator code is not right; enter the code your authenticator shows now.',
  },
  'counter.key_not_found': { status: 404, zh: '未找到该安全密钥。', en: 'No such security key.' },
  'counter.key_attempt_invalid': {
    status: 401,
    zh: '本次登录已失效或已使用，请重新输入工号和密码。',
    en: 'This sign-in has expired or was already used; enter your staff ID and password again.',
  },
  'counter.key_rejected': {
    status: 401,
    zh: '安全密钥验证未通过，请重新登录。',
    en: 'The security key was not accepted; please sign in again.',
  },
});

/** A staff sign-in waits this long for the key's answer (as a customer's login attempt does). */
const KEY_LOGIN_TTL_MS = 5 * 60_000;
const LOGIN_PURPOSE = 'counter.login';
const KEY_PURPOSE = 'counter.staff_key';

const bindingOf = (attemptId: string) => `counter-login:${attemptId}`;

function audit(trx: Tx, ctx: AppContext, staff: StaffRow, kind: string, ip: string | null, details = {}) {
  return appendAudit(trx, {
    kind,
    atMs: ctx.clock.nowMs(),
    actor: { type: 'staff', id: staff.id },
    subject: { type: 'staff', id: staff.id },
    ip,
    details: { branch: staff.branch_code, ...details },
  });
}

type KeyStart =
  | { failure: 'invalid' }
  | { failure: 'locked'; untilMs: number }
  | { failure: 'no_key' }
  | { failure: null; attemptId: string; options: PublicKeyCredentialRequestOptionsJSON };

/**
 * Step one: username and password. Right, and the staff member has an active key: the attempt's id and
 * the WebAuthn request options for that key. Wrong: `counter.invalid_credentials`, counted.
 */
export async function startStaffKeySignIn(
  ctx: AppContext,
  input: { username: string; password: string },
  client: StaffClient,
): Promise<{ attemptId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const checked = await checkStaffPassword(ctx, input, client);
  const outcome = await withTransaction(ctx.db.kysely, async (trx): Promise<KeyStart> => {
    const staff = await lockedStaff(trx, checked.staff.id);
    assert(staff, 'the staff member read a moment ago exists');
    if (!checked.passwordOk) return (await countStaffFailure(trx, ctx, staff, 'password', client.ip)) as KeyStart;
    const refused = await refuseIfLocked(trx, ctx, staff, client.ip);
    if (refused) return refused;
    if (!(await holderHasKey(trx, staff.id))) return { failure: 'no_key' };
    const attemptId = newId<'StaffKeyLogin'>();
    const asked = await requestAuthorization(trx, ctx, {
      customerId: staff.id,
      // Staff have no SMS medium: only the key is accepted, so no text is ever sent.
      mobile: '',
      purpose: LOGIN_PURPOSE,
      binding: bindingOf(attemptId),
      accepted: ['u_shield'],
      smsText: () => '',
    });
    const nowMs = ctx.clock.nowMs();
    await insertStaffKeyLogin(trx, {
      id: attemptId,
      staff_id: staff.id,
      challenge_id: asked.challengeId,
      created_at_ms: nowMs,
      expires_at_ms: nowMs + KEY_LOGIN_TTL_MS,
      used_at_ms: null,
    });
    await audit(trx, ctx, staff, 'counter.login_password_ok', client.ip, { attemptId, method: 'key' });
    const challenge = asked.authorization.challenge as { options?: PublicKeyCredentialRequestOptionsJSON };
    assert(challenge.options, 'a key challenge carries WebAuthn request options');
    return { failure: null, attemptId, options: challenge.options };
  });
  if (outcome.failure === null) return { attemptId: outcome.attemptId, options: outcome.options };
  if (outcome.failure === 'no_key') throw new AppError(staffKeyErrors['counter.key_missing']);
  await signInAnswer(ctx, outcome, checked.idHash, client);
  throw new Error('unreachable: a failed outcome throws');
}

/**
 * Step two: the key's assertion over this attempt's challenge. The attempt is used whatever the answer;
 * a wrong one counts towards the lock like a wrong code. Right: the staff session opens.
 */
export async function finishStaffKeySignIn(
  ctx: AppContext,
  attemptId: string,
  credential: Record<string, unknown>,
  client: StaffClient,
): Promise<{ token: string; staff: StaffView }> {
  const outcome = await withTransaction(
    ctx.db.kysely,
    async (trx): Promise<SignInOutcome | { failure: 'attempt' } | { failure: 'key' }> => {
      const nowMs = ctx.clock.nowMs();
      const attempt = await lockedStaffKeyLogin(trx, attemptId);
      if (!attempt || attempt.used_at_ms !== null || attempt.expires_at_ms <= nowMs) return { failure: 'attempt' };
      await markStaffKeyLoginUsed(trx, attempt.id, nowMs);
      const staff = await lockedStaff(trx, attempt.staff_id);
      if (staff?.status !== 'active') return { failure: 'attempt' };
      const check = await verifyAuthorization(trx, ctx, {
        customerId: staff.id,
        challengeId: attempt.challenge_id,
        purpose: LOGIN_PURPOSE,
        binding: bindingOf(attempt.id),
        method: 'u_shield',
        response: credential,
        ip: client.ip,
      });
      if (!check.ok) {
        await countStaffFailure(trx, ctx, staff, 'key', client.ip);
        return { failure: 'key' };
      }
      const refused = await refuseIfLocked(trx, ctx, staff, client.ip);
      if (refused) return refused;
      await setStaffFailures(trx, staff.id, { failedCount: 0, lockedUntilMs: null, nowMs });
      return openStaffSession(trx, ctx, staff, client, 'key');
    },
  );
  if (outcome.failure === 'attempt') throw new AppError(staffKeyErrors['counter.key_attempt_invalid']);
  if (outcome.failure === 'key') throw new AppError(staffKeyErrors['counter.key_rejected']);
  return signInAnswer(ctx, outcome, '', client);
}

/** Housekeeping: key sign-ins expired a day ago are of no use to anyone (platform/housekeeping.ts). */
export function purgeStaffKeyLogins(db: Kysely<Database>, nowMs: number): Promise<number> {
  return deleteStaffKeyLoginsExpiredBefore(db, nowMs - 24 * 3_600_000);
}

/** A staff member's key as their console lists it. */
export type StaffKeyView = { id: string; status: 'active' | 'locked'; createdAt: string };

/** The signed-in staff member's keys. */
export async function listStaffKeys(ctx: AppContext, session: StaffSession): Promise<{ items: StaffKeyView[] }> {
  const keys = await holderKeys(ctx.db.kysely, session.staff.id);
  return { items: keys.map((k) => ({ id: k.mediumId, status: k.status, createdAt: isoTime(k.createdAtMs) })) };
}

/**
 * Starts registering a key from a signed-in console: WebAuthn creation options for a cross-platform
 * authenticator (a USB security key) with user verification. One key per staff member at a time, so
 * sign-in always knows which key to ask. The authenticator's current code is asked first: a key is a
 * lasting way in, and a console left open for a few minutes must not be enough to add one. The code
 * is checked as at sign-in (each step once), and a wrong one counts towards the lock.
 */
export async function startStaffKeyRegistration(
  ctx: AppContext,
  session: StaffSession,
  code: string,
  ip: string | null,
) {
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const staff = await lockedStaff(trx, session.staff.id);
    assert(staff, 'a signed-in staff member exists');
    const nowMs = ctx.clock.nowMs();
    const secret = secretBox(ctx.config.secret).open(STAFF_TOTP_PURPOSE, staff.totp_sealed).toString();
    const checked = checkStaffTotp(secret, code, nowMs, staff.totp_last_step);
    if (!checked.ok) {
      await countStaffFailure(trx, ctx, staff, 'totp', ip);
      await audit(trx, ctx, staff, 'counter.key_code_rejected', ip);
      return { rejected: true as const };
    }
    await setStaffTotpStep(trx, staff.id, checked.timeStep, nowMs);
    if ((await holderKeys(trx, staff.id)).length > 0) throw new AppError(staffKeyErrors['counter.key_exists']);
    const options = await startHolderKeyRegistration(trx, ctx, {
      holderId: staff.id,
      purpose: KEY_PURPOSE,
      userName: staff.username,
      displayName: staff.name,
      attachment: 'cross-platform',
    });
    return { rejected: false as const, options };
  });
  if (outcome.rejected) throw new AppError(staffKeyErrors['counter.code_rejected']);
  return outcome.options;
}

/** Checks the new key's attestation (media/holder-keys.ts) and stores it; audited either way. */
export async function finishStaffKeyRegistration(
  ctx: AppContext,
  session: StaffSession,
  registrationId: string,
  credential: RegistrationResponseJSON,
  ip: string | null,
): Promise<StaffKeyView> {
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const done = await finishHolderKeyRegistration(trx, ctx, {
      holderId: session.staff.id,
      purpose: KEY_PURPOSE,
      registrationId,
      credential,
    });
    if (!done.ok) {
      await audit(trx, ctx, session.staff, 'counter.key_refused', ip, { error: done.error.code });
      return { error: done.error };
    }
    await audit(trx, ctx, session.staff, 'counter.key_registered', ip, { mediumId: done.mediumId });
    return { id: done.mediumId };
  });
  if ('error' in outcome) throw outcome.error;
  return { id: outcome.id, status: 'active', createdAt: isoTime(ctx.clock.nowMs()) };
}

/** Removes one of the signed-in staff member's keys: its credential is deleted on the server. */
export async function removeStaffKey(ctx: AppContext, session: StaffSession, keyId: string, ip: string | null) {
  await withTransaction(ctx.db.kysely, async (trx) => {
    if (!(await removeHolderKey(trx, ctx, session.staff.id, keyId)))
      throw new AppError(staffKeyErrors['counter.key_not_found']);
    await audit(trx, ctx, session.staff, 'counter.key_removed', ip, { mediumId: keyId });
  });
}
