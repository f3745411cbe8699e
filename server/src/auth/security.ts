import { appendAudit } from '../audit/index.ts';
import { type CustomerId, customerById } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { deletePasskeysOfDevice, type IssuedSmsOtp, issueSmsOtp, otpError, verifySmsOtp } from '../media/index.ts';
import { smsText } from '../notify/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { placesOf, UNKNOWN_PLACE } from '../platform/geo.ts';
import { AppError } from '../platform/errors.ts';
import { keyedHash } from '../platform/keyed-hash.ts';
import { verifySecret } from '../platform/secret-hash.ts';
import { checkOwnLoginPassword, isValidLoginName, setLoginName, setLoginPassword } from './credentials.ts';
import { authErrors as errors } from './errors.ts';
import { failWrongCurrentPassword, lockedError } from './lockout.ts';
import type { Client } from './login-session.ts';
import type { SmsAuthorizationRequired } from './schema.ts';
import { deviceLabel } from './risk.ts';
import { createSession, revokeSession } from './sessions.ts';
import {
  credentialOf,
  deleteDevice,
  knownDeviceHash,
  devicesOf,
  isSessionOf,
  liveSessionsOf,
  loginEventsOf,
  revokeSessionsOf,
  setReservedMessageRow,
} from './store.ts';

/**
 * The security centre's rules (API.md, "Security centre"): the login password, the personal login
 * name, the reserved message, and the customer's sessions, devices and sign-in history.
 */

/** Lists are short: the newest this many. */
const HISTORY_LIMIT = 50;
/** A reserved message has 1–20 characters (counted as the customer sees them, not UTF-16 units). */
const RESERVED_MESSAGE_MAX_CHARS = 20;
/**
 * Confirming a login name answers no sooner than this, taken or free, so the time of the answer does
 * not tell whether someone else has the name (issue 13 item 3).
 */
export const LOGIN_NAME_ANSWER_FLOOR_MS = 300;

function auditCustomer(
  trx: Tx,
  ctx: AppContext,
  customerId: CustomerId,
  ip: string,
  kind: string,
  details: Record<string, unknown> = {},
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

/** A change of the login password, as the customer asked for it. */
export type PasswordChange = { currentPassword: string; newPassword: string };

/**
 * Checks the current login password of a signed-in customer. A wrong one counts towards the login lock
 * like a wrong sign-in (issue 13 item 2), so a session cannot be used to guess it; a locked password
 * refuses the change.
 */
async function checkCurrentPassword(
  ctx: AppContext,
  customerId: CustomerId,
  currentPassword: string,
  client: Client,
): Promise<void> {
  const credential = await credentialOf(ctx.db.kysely, customerId);
  if (!credential) throw new AppError(errors['auth.not_found']);
  const nowMs = ctx.clock.nowMs();
  if (credential.locked_until_ms !== null && credential.locked_until_ms > nowMs)
    throw lockedError(credential.locked_until_ms);
  if (!(await verifySecret(ctx.config, credential.password_hash, currentPassword))) {
    await failWrongCurrentPassword(ctx, customerId, client);
  }
}

/**
 * What an SMS code for a password change is bound to: this customer and a keyed hash of the new
 * password. The password itself is never stored with the code, and without the server's secret the
 * hash cannot be tried against guesses.
 */
function passwordBinding(ctx: AppContext, customerId: CustomerId, newPassword: string) {
  return `password:${customerId}:${keyedHash(ctx.config.secret, 'jinku/password-change', newPassword)}`;
}

/**
 * The first step of changing the login password: checks the current password and the new one against
 * the policy (so a refused password costs no code), then sends an SMS code bound to the new password.
 * A change of the login password needs the customer's medium (API.md, "Authorization"; issue 13 item 2).
 */
export async function requestPasswordChange(
  ctx: AppContext,
  customerId: CustomerId,
  input: PasswordChange,
  client: Client,
): Promise<SmsAuthorizationRequired> {
  await checkCurrentPassword(ctx, customerId, input.currentPassword, client);
  await checkOwnLoginPassword(ctx.db.kysely, ctx, customerId, input.newPassword);
  const otp = await withTransaction(ctx.db.kysely, async (trx) => {
    const customer = await customerById(trx, customerId);
    if (!customer) throw new AppError(errors['auth.not_found']);
    return issueSmsOtp(trx, ctx, {
      customerId,
      mobile: customer.mobile,
      purpose: 'security.password',
      binding: passwordBinding(ctx, customerId, input.newPassword),
      text: (code, minutes) => smsText('security.password', { code, minutes }),
    });
  });
  ctx.kickOutbox();
  return smsAuthorizationRequired(otp);
}

/**
 * The second step: checks the current password again and the SMS code against the new password it was
 * sent for (a code is used once), then changes the password. A privilege change: every session ends and
 * this browser gets a new token, returned for the cookie.
 */
export async function confirmPasswordChange(
  ctx: AppContext,
  customerId: CustomerId,
  input: PasswordChange & { challengeId: string; code: string },
  client: Client,
): Promise<{ token: string }> {
  await checkCurrentPassword(ctx, customerId, input.currentPassword, client);
  // Failures are returned, not thrown, so that the code's used-up try is committed with them.
  const result = await withTransaction(ctx.db.kysely, async (trx) => {
    const check = await verifySmsOtp(trx, ctx, {
      otpId: input.challengeId,
      customerId,
      purpose: 'security.password',
      binding: passwordBinding(ctx, customerId, input.newPassword),
      code: input.code.trim(),
    });
    if (!check.ok) return { error: otpError(check) };
    await setLoginPassword(trx, ctx, customerId, input.newPassword, { temporary: false });
    await revokeSessionsOf(trx, customerId, ctx.clock.nowMs());
    const session = await createSession(trx, ctx, {
      customerId,
      channel: client.channel,
      deviceId: client.deviceId,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    await auditCustomer(trx, ctx, customerId, client.ip, 'auth.password_changed', { during: 'security_centre' });
    return { token: session.token };
  });
  if ('error' in result) throw result.error;
  return { token: result.token };
}

/** The 202 answer for an SMS code just sent (API.md, "Authorization"). */
function smsAuthorizationRequired(otp: IssuedSmsOtp): SmsAuthorizationRequired {
  return {
    status: 'authorization_required',
    challengeId: otp.otpId,
    authorization: {
      method: 'sms',
      challenge: {
        maskedMobile: otp.maskedMobile,
        resendAfterSeconds: otp.resendAfterSeconds,
        expiresAt: isoTime(otp.expiresAtMs),
      },
      alternatives: [],
    },
  };
}

/** What an SMS code for a login name is bound to: this customer and this name (any case). */
function loginNameBinding(customerId: CustomerId, loginName: string) {
  return `login-name:${customerId}:${loginName.toLowerCase()}`;
}

/**
 * The first step of setting a login name: checks only its form and sends an SMS code bound to it.
 * Whether the name is free is answered after the code (issue 13 item 3): asking costs a code on the
 * customer's own mobile, so the SMS caps (a minute per name, 10 in ten minutes, 30 a day) throttle
 * anyone trying names.
 */
export async function requestLoginName(
  ctx: AppContext,
  customerId: CustomerId,
  loginName: string,
): Promise<SmsAuthorizationRequired> {
  if (!isValidLoginName(loginName)) throw new AppError(errors['auth.login_name_invalid']);
  const otp = await withTransaction(ctx.db.kysely, async (trx) => {
    const customer = await customerById(trx, customerId);
    if (!customer) throw new AppError(errors['auth.not_found']);
    return issueSmsOtp(trx, ctx, {
      customerId,
      mobile: customer.mobile,
      purpose: 'security.login_name',
      binding: loginNameBinding(customerId, loginName),
      text: (code, minutes) => smsText('security.login_name', { code, loginName, minutes }),
    });
  });
  ctx.kickOutbox();
  return smsAuthorizationRequired(otp);
}

/**
 * The second step: the SMS code confirms the name, which is then set if free. The code is used up
 * either way (a taken name needs a new code to try another), and the answer takes at least
 * LOGIN_NAME_ANSWER_FLOOR_MS whether the name was free or not.
 */
export async function confirmLoginName(
  ctx: AppContext,
  customerId: CustomerId,
  input: { loginName: string; challengeId: string; code: string; ip: string },
): Promise<{ status: 'completed'; loginName: string }> {
  const startedAtMs = performance.now();
  try {
    return await setConfirmedLoginName(ctx, customerId, input);
  } finally {
    const leftMs = LOGIN_NAME_ANSWER_FLOOR_MS - (performance.now() - startedAtMs);
    if (leftMs > 0) await new Promise((resolve) => setTimeout(resolve, leftMs));
  }
}

async function setConfirmedLoginName(
  ctx: AppContext,
  customerId: CustomerId,
  input: { loginName: string; challengeId: string; code: string; ip: string },
): Promise<{ status: 'completed'; loginName: string }> {
  if (!isValidLoginName(input.loginName)) throw new AppError(errors['auth.login_name_invalid']);
  // Failures are returned, not thrown, so that the used-up code is committed with them.
  const result = await withTransaction(ctx.db.kysely, async (trx) => {
    const check = await verifySmsOtp(trx, ctx, {
      otpId: input.challengeId,
      customerId,
      purpose: 'security.login_name',
      binding: loginNameBinding(customerId, input.loginName),
      code: input.code.trim(),
    });
    if (!check.ok) return { error: otpError(check) };
    try {
      await setLoginName(trx, customerId, input.loginName);
    } catch (error) {
      if (error instanceof AppError && error.code === errors['auth.login_name_taken']) {
        await auditCustomer(trx, ctx, customerId, input.ip, 'auth.login_name_taken');
        return { error };
      }
      throw error;
    }
    await auditCustomer(trx, ctx, customerId, input.ip, 'auth.login_name_set');
    return { loginName: input.loginName };
  });
  if ('error' in result) throw result.error;
  return { status: 'completed', loginName: result.loginName };
}

/** Sets the anti-phishing reserved message (预留信息) shown after sign-in. */
export async function setReservedMessage(ctx: AppContext, customerId: CustomerId, message: string, ip: string) {
  const trimmed = message.trim();
  const chars = [...trimmed].length;
  if (chars < 1 || chars > RESERVED_MESSAGE_MAX_CHARS) throw new AppError(errors['auth.reserved_message_invalid']);
  await withTransaction(ctx.db.kysely, async (trx) => {
    await setReservedMessageRow(trx, customerId, trimmed);
    await auditCustomer(trx, ctx, customerId, ip, 'auth.reserved_message_set');
  });
  return { message: trimmed };
}

/** The customer's live sessions, newest first, marking the one asking. */
export async function listSessions(ctx: AppContext, customerId: CustomerId, currentSessionId: string) {
  const nowMs = ctx.clock.nowMs();
  const rows = await liveSessionsOf(ctx.db.kysely, customerId, {
    nowMs,
    idleSinceMs: nowMs - ctx.config.sessionIdleTimeoutSeconds * 1000,
    limit: HISTORY_LIMIT,
  });
  const places = await placesOf(rows.map((s) => s.ip));
  return {
    items: rows.map((s, i) => ({
      id: s.id,
      channel: s.channel,
      ip: s.ip,
      userAgent: s.user_agent,
      device: deviceLabel(s.user_agent),
      place: places[i] ?? UNKNOWN_PLACE,
      createdAt: isoTime(s.created_at_ms),
      lastSeenAt: isoTime(s.last_seen_at_ms),
      current: s.id === currentSessionId,
    })),
  };
}

/** Ends one of the customer's own sessions; another customer's is "not found". */
export async function endSession(ctx: AppContext, customerId: CustomerId, sessionId: string): Promise<void> {
  if (!(await isSessionOf(ctx.db.kysely, customerId, sessionId))) throw new AppError(errors['auth.not_found']);
  await revokeSession(ctx, sessionId);
}

/** The devices the customer has signed in from, most recently used first. */
export async function listDevices(ctx: AppContext, customerId: CustomerId) {
  const rows = await devicesOf(ctx.db.kysely, customerId, HISTORY_LIMIT);
  const places = await placesOf(rows.map((d) => d.last_ip));
  return {
    items: rows.map((d, i) => ({
      id: d.id,
      label: d.label,
      firstSeenAt: isoTime(d.first_seen_at_ms),
      lastSeenAt: isoTime(d.last_seen_at_ms),
      lastIp: d.last_ip,
      lastPlace: places[i] ?? UNKNOWN_PLACE,
    })),
  };
}

/** Forgets a device: its next sign-in asks for a code again. */
export async function forgetDevice(
  ctx: AppContext,
  customerId: CustomerId,
  deviceId: string,
  ip: string,
): Promise<void> {
  const deleted = await withTransaction(ctx.db.kysely, async (trx) => {
    const hash = await knownDeviceHash(trx, customerId, deviceId);
    const removed = await deleteDevice(trx, customerId, deviceId);
    if (removed) await auditCustomer(trx, ctx, customerId, ip, 'auth.device_removed');
    // Fingerprint / face login registered on that device goes with it (its credential deleted).
    if (removed && hash) await deletePasskeysOfDevice(trx, ctx, customerId, hash, ip);
    return removed;
  });
  if (!deleted) throw new AppError(errors['auth.not_found']);
}

/** The customer's sign-in history, newest first. */
export async function loginHistory(ctx: AppContext, customerId: CustomerId) {
  const rows = await loginEventsOf(ctx.db.kysely, customerId, HISTORY_LIMIT);
  const places = await placesOf(rows.map((e) => e.ip));
  return {
    items: rows.map((e, i) => ({
      at: isoTime(e.at_ms),
      channel: e.channel,
      device: e.device,
      ip: e.ip,
      place: places[i] ?? UNKNOWN_PLACE,
      result: e.result,
    })),
  };
}
