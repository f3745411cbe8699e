import { Secret, TOTP } from 'otpauth';

/**
 * The staff member's second factor: TOTP (RFC 6238) from an authenticator app, SHA-1, 6 digits,
 * 30-second steps, checked with `otpauth`. Staff secrets are given in base32 (as the app's QR code or
 * the demo bank's `JBSWY3DPEHPK3PXP` carries them), so they may be shorter than the 160 bits the
 * customer's soft token draws (media/totp.ts).
 */
const PERIOD_SECONDS = 30;
/** Steps either side of the current one still accepted, for clock drift (RFC 6238 section 6). */
const WINDOW_STEPS = 1;

function totp(base32Secret: string): TOTP {
  return new TOTP({
    issuer: '金库 Jinku 柜面',
    label: 'staff',
    secret: Secret.fromBase32(base32Secret),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
  });
}

/** Whether a base32 text can be a staff TOTP secret: at least 80 bits (the demo's has 80; new staff should get 160). */
export function isBase32Secret(text: string): boolean {
  return /^[A-Z2-7]{16,}$/.test(text);
}

export type StaffTotpCheck = { ok: true; timeStep: number } | { ok: false };

/**
 * Accepts a code of the current step or one either side and returns its step; a code from the last
 * accepted step or before is refused, so a code is never accepted twice (RFC 6238 section 5.2).
 */
export function checkStaffTotp(
  base32Secret: string,
  code: string,
  nowMs: number,
  lastStep: number | null,
): StaffTotpCheck {
  // otpauth compares strings as bytes: anything but six ASCII digits is simply wrong.
  if (!/^\d{6}$/.test(code)) return { ok: false };
  const delta = totp(base32Secret).validate({ token: code, timestamp: nowMs, window: WINDOW_STEPS });
  if (delta === null) return { ok: false };
  const timeStep = TOTP.counter({ period: PERIOD_SECONDS, timestamp: nowMs }) + delta;
  if (lastStep !== null && timeStep <= lastStep) return { ok: false };
  return { ok: true, timeStep };
}

/** The code an authenticator app shows at `nowMs` (tests and the demo). */
export function staffTotpCode(base32Secret: string, nowMs: number): string {
  return totp(base32Secret).generate({ timestamp: nowMs });
}

/** A new staff TOTP secret: 160 bits (RFC 4226 section 4 recommends it), in base32. */
export function newStaffTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URL an authenticator app reads (as a QR code or typed in) for this staff member. */
export function staffTotpUrl(base32Secret: string, username: string): string {
  const url = totp(base32Secret);
  url.label = username;
  return url.toString();
}
