import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { keyedHash } from '../platform/keyed-hash.ts';
import type { Tx } from '../database.ts';
import { maskMobile } from '../customers/index.ts';
import { enqueueMessage } from '../notify/index.ts';
import type { AppContext } from '../platform/context.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { mediaErrors as errors } from './errors.ts';
import { insertSmsOtp, markSmsOtpUsed, recentSmsOtps, setSmsOtpTriesLeft, smsOtpById } from './store.ts';

/**
 * SMS one-time codes: 6 digits, valid 5 minutes, 5 tries, single use; a new code for the same purpose a
 * minute after the last, at most 10 codes in ten minutes and 30 a day per mobile. Each code is bound to what it authorises (`binding`: a login attempt, or a
 * transfer's payee and amount), so a code sent for one thing cannot approve another.
 */
export const SMS_OTP_TTL_SECONDS = 300;
export const SMS_OTP_TRIES = 5;
export const SMS_RESEND_SECONDS = 60;
export const SMS_DAILY_CAP = 30;
/** Codes one mobile may get in ten minutes, whatever they are for. */
export const SMS_BURST_CAP = 10;
export const SMS_BURST_WINDOW_MS = 10 * 60_000;

export type Deps = Pick<AppContext, 'config' | 'clock'>;

export type IssueSmsOtp = {
  customerId: string;
  mobile: string;
  purpose: string;
  binding: string;
  /**
   * The message text for the code (a notify/sms-texts.ts entry); it must say what the code is for.
   * `validMinutes` is the code's real lifetime, for the text to state.
   */
  text: (code: string, validMinutes: number) => string;
};

export type IssuedSmsOtp = { otpId: string; maskedMobile: string; expiresAtMs: number; resendAfterSeconds: number };

/** Creates a code and queues its SMS in the caller's transaction. */
export async function issueSmsOtp(trx: Tx, deps: Deps, input: IssueSmsOtp): Promise<IssuedSmsOtp> {
  const nowMs = deps.clock.nowMs();
  const bindingHash = sha256(input.binding);
  const recent = await recentSmsOtps(trx, input.mobile, bindingHash, nowMs, SMS_BURST_WINDOW_MS);
  // A new code for the same thing waits a minute (the resend button); codes for different things (a
  // sign-in, then a payment) are not held up, but a burst of them from one mobile is, until the oldest
  // code of the burst leaves the ten-minute window.
  if (recent.lastTenMinutes >= SMS_BURST_CAP) {
    const againAtMs = (recent.burstOldestAtMs ?? nowMs) + SMS_BURST_WINDOW_MS;
    const seconds = Math.max(1, Math.ceil((againAtMs - nowMs) / 1000));
    throw new AppError(
      errors['media.sms_burst_cap'],
      { time: chinaDateTime(againAtMs), minutes: Math.ceil(seconds / 60) },
      { retryAfterSeconds: seconds },
    );
  }
  if (recent.sameBindingAtMs !== null && recent.sameBindingAtMs + SMS_RESEND_SECONDS * 1000 > nowMs) {
    const seconds = Math.ceil((recent.sameBindingAtMs + SMS_RESEND_SECONDS * 1000 - nowMs) / 1000);
    throw new AppError(errors['media.sms_too_soon'], { seconds }, { retryAfterSeconds: seconds });
  }
  if (recent.lastDay >= SMS_DAILY_CAP) throw new AppError(errors['media.sms_daily_cap']);
  const code = String(randomInt(1_000_000)).padStart(6, '0');
  const id = newId<'SmsOtp'>();
  const expiresAtMs = nowMs + SMS_OTP_TTL_SECONDS * 1000;
  await insertSmsOtp(trx, {
    id,
    customer_id: input.customerId,
    mobile: input.mobile,
    purpose: input.purpose,
    binding_hash: bindingHash,
    code_mac: codeMac(deps.config.secret, id, code),
    tries_left: SMS_OTP_TRIES,
    created_at_ms: nowMs,
    expires_at_ms: expiresAtMs,
    used_at_ms: null,
  });
  await enqueueMessage(
    trx,
    {
      channel: 'sms',
      to: input.mobile,
      purpose: input.purpose,
      text: input.text(code, SMS_OTP_TTL_SECONDS / 60),
      code,
    },
    nowMs,
  );
  return { otpId: id, maskedMobile: maskMobile(input.mobile), expiresAtMs, resendAfterSeconds: SMS_RESEND_SECONDS };
}

export type VerifySmsOtp = { otpId: string; customerId: string; purpose: string; binding: string; code: string };
export type OtpCheck =
  | { ok: true }
  | { ok: false; reason: 'wrong' | 'expired' | 'used' | 'too_many'; triesLeft: number };

/**
 * Checks a code against the one issued for exactly this customer, purpose and binding. A wrong code
 * uses up a try: commit the transaction even when the answer is wrong, so the count holds.
 */
export async function verifySmsOtp(trx: Tx, deps: Deps, input: VerifySmsOtp): Promise<OtpCheck> {
  const row = await smsOtpById(trx, input.otpId);
  const nowMs = deps.clock.nowMs();
  const matchesRequest =
    row &&
    row.customer_id === input.customerId &&
    row.purpose === input.purpose &&
    row.binding_hash === sha256(input.binding);
  if (!row || !matchesRequest) return { ok: false, reason: 'expired', triesLeft: 0 };
  if (row.used_at_ms !== null) return { ok: false, reason: 'used', triesLeft: 0 };
  if (row.expires_at_ms <= nowMs) return { ok: false, reason: 'expired', triesLeft: 0 };
  if (row.tries_left <= 0) return { ok: false, reason: 'too_many', triesLeft: 0 };
  const expected = Buffer.from(row.code_mac, 'hex');
  const given = Buffer.from(codeMac(deps.config.secret, row.id, input.code), 'hex');
  if (/^\d{6}$/.test(input.code) && timingSafeEqual(expected, given)) {
    await markSmsOtpUsed(trx, row.id, nowMs);
    return { ok: true };
  }
  const triesLeft = row.tries_left - 1;
  await setSmsOtpTriesLeft(trx, row.id, triesLeft);
  return { ok: false, reason: triesLeft === 0 ? 'too_many' : 'wrong', triesLeft };
}

/** The typed error for a failed check, for routes that answer it. */
export function otpError(check: Exclude<OtpCheck, { ok: true }>): AppError {
  if (check.reason === 'wrong') return new AppError(errors['media.otp_wrong'], { triesLeft: check.triesLeft });
  if (check.reason === 'too_many') return new AppError(errors['media.otp_too_many']);
  return new AppError(errors['media.otp_expired']);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function codeMac(secret: Buffer, otpId: string, code: string): string {
  return keyedHash(secret, 'jinku/sms-otp', `${otpId}:${code}`);
}
