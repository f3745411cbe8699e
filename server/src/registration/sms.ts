import { setTimeout as sleep } from 'node:timers/promises';
import { appendAudit } from '../audit/index.ts';
import { customerIdBy, isMobileNumber, maskMobile } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { issueSmsOtp, SMS_OTP_TTL_SECONDS, verifySmsOtp } from '../media/index.ts';
import { smsText } from '../notify/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { keyedHash } from '../platform/keyed-hash.ts';
import { registrationErrors as errors } from './errors.ts';
import { renewResetSms } from './reset.ts';
import { insertSmsRequest, latestSmsOtpId, type SmsPurpose, smsRequestCounts } from './store.ts';

/**
 * The registration SMS route (API.md, "Registration and passwords"): one answer, at one pace, whether
 * or not the mobile is the bank's. A code is sent only to a mobile of the bank's records, bound to the
 * purpose and the mobile; every request, known mobile or not, is written to registration_sms so the
 * throttles (a minute between codes for one purpose, a daily cap per mobile, an hourly cap per address)
 * treat both alike on every instance. The media domain's own SMS caps may stop a code for a known
 * mobile: the answer stays the same (an audit row says so), or the caps would tell who banks here.
 */
export const RESEND_SECONDS = 60;
export const MOBILE_DAILY_CAP = 10;
export const IP_HOURLY_CAP = 30;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * Every answer takes at least this long (wall time), so the few writes a known mobile costs (the code
 * and its SMS) cannot be told from their absence by the clock.
 */
export const ANSWER_FLOOR_MS = 250;

const SMS_PURPOSE: Record<Exclude<SmsPurpose, 'reset'>, string> = {
  self: 'registration.self',
  mobile: 'registration.mobile',
};

/** The mobile as the registration tables keep it: a keyed hash (strangers' numbers are not stored). */
export function mobileHash(secret: Buffer, mobile: string): string {
  return keyedHash(secret, 'jinku/registration-mobile', mobile);
}

function binding(purpose: SmsPurpose, mobile: string): string {
  return `registration:${purpose}:${mobile}`;
}

/** Sends a registration code if the mobile is the bank's; answers the same either way. */
export async function sendRegistrationSms(
  ctx: AppContext,
  input: { mobile: string; purpose: SmsPurpose },
  ip: string,
): Promise<{ maskedMobile: string; resendAfterSeconds: number }> {
  const startedMs = performance.now();
  try {
    await withTransaction(ctx.db.kysely, async (trx) => {
      const nowMs = ctx.clock.nowMs();
      const hash = mobileHash(ctx.config.secret, input.mobile);
      const counts = await smsRequestCounts(trx, {
        mobileHash: hash,
        purpose: input.purpose,
        ip,
        mobileSinceMs: nowMs - DAY_MS,
        ipSinceMs: nowMs - HOUR_MS,
      });
      if (counts.lastSameAtMs !== null && counts.lastSameAtMs + RESEND_SECONDS * 1000 > nowMs) {
        const seconds = Math.ceil((counts.lastSameAtMs + RESEND_SECONDS * 1000 - nowMs) / 1000);
        throw new AppError(errors['registration.sms_too_soon'], { seconds }, { retryAfterSeconds: seconds });
      }
      if (counts.byMobile >= MOBILE_DAILY_CAP || counts.byIp >= IP_HOURLY_CAP) {
        throw new AppError(errors['registration.sms_limit']);
      }
      const customerId = isMobileNumber(input.mobile) ? await customerIdBy(trx, 'mobile', input.mobile) : null;
      const sent = customerId ? await sendTo(trx, ctx, customerId, input.mobile, input.purpose, ip) : null;
      await insertSmsRequest(trx, {
        id: newId<'RegistrationSms'>(),
        mobile_hash: hash,
        purpose: input.purpose,
        ip,
        otp_id: sent?.otpId ?? null,
        created_at_ms: nowMs,
      });
      await appendAudit(trx, {
        kind: 'registration.sms_requested',
        atMs: nowMs,
        actor: { type: 'anonymous' },
        ...(customerId ? { subject: { type: 'customer', id: customerId } } : {}),
        ip,
        details: { purpose: input.purpose, known: customerId !== null, sent: sent !== null, held: sent?.held ?? null },
      });
    });
  } finally {
    const waitMs = ANSWER_FLOOR_MS - (performance.now() - startedMs);
    if (waitMs > 0) await sleep(waitMs);
  }
  ctx.kickOutbox();
  return { maskedMobile: maskMobile(input.mobile), resendAfterSeconds: RESEND_SECONDS };
}

/**
 * The code for a known mobile: a registration code, or for `reset` a fresh SMS challenge of the
 * customer's live password reset (none when there is no such reset). Null when nothing was sent.
 */
async function sendTo(
  trx: Tx,
  ctx: AppContext,
  customerId: string,
  mobile: string,
  purpose: SmsPurpose,
  ip: string,
): Promise<{ otpId: string | null; held: string | null } | null> {
  try {
    if (purpose === 'reset') {
      const renewed = await renewResetSms(trx, ctx, customerId, ip);
      return renewed ? { otpId: null, held: null } : null;
    }
    const otp = await issueSmsOtp(trx, ctx, {
      customerId,
      mobile,
      purpose: SMS_PURPOSE[purpose],
      binding: binding(purpose, mobile),
      text: (code, minutes) => smsText(SMS_PURPOSE[purpose] as 'registration.self', { code, minutes }),
    });
    return { otpId: otp.otpId, held: null };
  } catch (error) {
    // The media domain's send caps (a burst of codes to this mobile for other things): nothing is sent,
    // nothing was written, and the answer stays the one a stranger's mobile gets.
    if (error instanceof AppError && error.code.startsWith('media.sms_')) return null;
    throw error;
  }
}

/**
 * Checks a registration code typed for this mobile and purpose against the newest one sent, using up
 * a try (commit the transaction whatever the outcome). Returns the customer whose mobile it is when the
 * code is right, else null — a mobile that is not the bank's never has a code.
 */
export async function checkRegistrationCode(
  trx: Tx,
  ctx: AppContext,
  input: { mobile: string; purpose: Exclude<SmsPurpose, 'reset'>; code: string },
): Promise<string | null> {
  const nowMs = ctx.clock.nowMs();
  const customerId = isMobileNumber(input.mobile) ? await customerIdBy(trx, 'mobile', input.mobile) : null;
  const otpId = await latestSmsOtpId(trx, {
    mobileHash: mobileHash(ctx.config.secret, input.mobile),
    purpose: input.purpose,
    sinceMs: nowMs - SMS_OTP_TTL_SECONDS * 1000,
  });
  if (!customerId || !otpId) return null;
  const check = await verifySmsOtp(trx, ctx, {
    otpId,
    customerId,
    purpose: SMS_PURPOSE[input.purpose],
    binding: binding(input.purpose, input.mobile),
    code: input.code,
  });
  return check.ok ? customerId : null;
}
