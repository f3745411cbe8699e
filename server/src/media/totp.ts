import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { assert } from '../platform/assert.ts';

/**
 * The soft token: TOTP (RFC 6238) in an authenticator app, computed and checked with the `otpauth`
 * library. Codes are 6 digits from HMAC-SHA1 over 30-second steps, the parameters every common
 * authenticator app honours (several ignore `algorithm` and `digits` in the enrolment URL).
 */

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type TotpParams = { readonly algorithm: TotpAlgorithm; readonly digits: number; readonly periodSeconds: number };

/** The soft token's parameters: SHA-1, 6 digits, 30-second steps (RFC 6238 section 4 and 5.2 defaults). */
export const SOFT_TOKEN: TotpParams = { algorithm: 'SHA1', digits: 6, periodSeconds: 30 };
/** Steps either side of the current one that are still accepted, for clock drift (RFC 6238 section 6). */
export const TOTP_WINDOW_STEPS = 1;
/** The issuer an authenticator app shows beside the code. */
export const TOTP_ISSUER = '金库 Jinku';
// RFC 4226 section 4 asks for a shared secret of at least 128 bits and recommends 160.
const SECRET_BYTES = 20;

/** A fresh soft-token secret: 160 bits from the CSPRNG, to be encrypted at rest. */
export function newTotpSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

function totp(secret: Buffer, params: TotpParams, label = 'Jinku'): TOTP {
  assert(secret.length >= 16, 'a TOTP secret has at least 128 bits');
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    secret: Secret.fromHex(secret.toString('hex')),
    algorithm: params.algorithm,
    digits: params.digits,
    period: params.periodSeconds,
  });
}

/** The time step T at `nowMs`: whole periods since the Unix epoch (RFC 6238 section 4.2, T0 = 0). */
export function totpTimeStep(nowMs: number, params: TotpParams = SOFT_TOKEN): number {
  return TOTP.counter({ period: params.periodSeconds, timestamp: nowMs });
}

/** The code the authenticator app shows at `nowMs`; for tests and the development simulator. */
export function totpCode(secret: Buffer, nowMs: number, params: TotpParams = SOFT_TOKEN): string {
  return totp(secret, params).generate({ timestamp: nowMs });
}

export type TotpCheck = { ok: true; timeStep: number } | { ok: false; reason: 'wrong' | 'replayed' };

export type VerifyTotp = {
  secret: Buffer;
  code: string;
  nowMs: number;
  /** The step of the last code accepted from this token, or null if none was. */
  lastAcceptedStep: number | null;
  params?: TotpParams;
};

/**
 * Accepts a code from the current step or one either side (RFC 6238 section 6) and returns the step it
 * came from, which the caller stores as the token's last accepted step. A code from that step or an
 * earlier one is refused as replayed: RFC 6238 section 5.2 forbids accepting the same OTP twice.
 */
export function verifyTotp(input: VerifyTotp): TotpCheck {
  const params = input.params ?? SOFT_TOKEN;
  // otpauth compares strings as bytes, so a code of full-width digits would differ in byte length from
  // the expected code and make the comparison throw; anything but ASCII digits is just wrong.
  if (!new RegExp(`^\\d{${params.digits}}$`).test(input.code)) return { ok: false, reason: 'wrong' };
  const delta = totp(input.secret, params).validate({
    token: input.code,
    timestamp: input.nowMs,
    window: TOTP_WINDOW_STEPS,
  });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const timeStep = totpTimeStep(input.nowMs, params) + delta;
  if (input.lastAcceptedStep !== null && timeStep <= input.lastAcceptedStep) return { ok: false, reason: 'replayed' };
  return { ok: true, timeStep };
}

/**
 * The `otpauth://totp/…` enrolment URL that the security centre shows as a QR code (Google Authenticator's
 * Key Uri Format): issuer 金库 Jinku, the customer's `accountLabel`, and the secret in base32.
 */
export function totpEnrolmentUrl(secret: Buffer, accountLabel: string): string {
  // The Key Uri Format separates issuer and account with a colon, so the account may not contain one.
  assert(accountLabel.length > 0 && !accountLabel.includes(':'), 'a TOTP account label is non-empty, no colon');
  return totp(secret, SOFT_TOKEN, accountLabel).toString();
}
