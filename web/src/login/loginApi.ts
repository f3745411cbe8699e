import { ApiError } from '../api/ApiError';
import { api } from '../api/client';
import type { AuthorizationView, CaptchaAnswer, LoginAnswer, LoginBody, LoginChallenge } from '../api/contract';

/** Every answer of the login routes: authenticated, a challenge, or a password to change (API.md, "Session and login"). */
export type LoginResult = LoginAnswer;

/** The security medium's challenge of a sign-in: the SMS code, two password-card cells, or the e-token's digits. */
export type Challenge = LoginChallenge;

/** A medium the customer may answer the sign-in's check with instead. */
export type Alternative = Extract<LoginAnswer, { state: 'challenge' }>['alternatives'][number];

export type Channel = NonNullable<LoginBody['channel']>;

/** The sign-in form's fields; the channel is always said, so that the server applies its rules. */
export type Credentials = LoginBody & { channel: Channel };

/** Starts a login attempt. */
export function login(credentials: Credentials): Promise<LoginResult> {
  return api<LoginResult>('/api/v1/auth/login', { method: 'POST', body: credentials });
}

/** Answers the attempt's challenge with the medium's response (OTP, card digits, token code). */
export function verifyChallenge(attemptId: string, method: string, response: string): Promise<LoginResult> {
  return api<LoginResult>(`/api/v1/auth/login/${encodeURIComponent(attemptId)}/verify`, {
    method: 'POST',
    body: { method, response },
  });
}

/**
 * A fresh challenge for the attempt: another medium among the alternatives, or a new SMS code (API.md,
 * "Session and login"; the server binds it to this attempt again).
 */
export function renewChallenge(attemptId: string, method: Alternative): Promise<LoginResult> {
  return api<LoginResult>(`/api/v1/auth/login/${encodeURIComponent(attemptId)}/challenge`, {
    method: 'POST',
    body: { method },
  });
}

/** The new cells a password card's refused answer carries (the server draws them after a wrong answer). */
export function redrawnChallenge(error: unknown): Challenge | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const next = error.extensions.authorization as AuthorizationView | undefined;
  return next?.method === 'password_card' ? { method: next.method, ...next.challenge } : undefined;
}

/** Sets the new password that a counter-registered or reset customer must choose. */
export function changeInitialPassword(attemptId: string, newPassword: string): Promise<LoginResult> {
  return api<LoginResult>(`/api/v1/auth/login/${encodeURIComponent(attemptId)}/password`, {
    method: 'POST',
    body: { newPassword },
  });
}

export type Captcha = CaptchaAnswer;

/** A fresh captcha (the image is an SVG data URL). */
export function fetchCaptcha(): Promise<Captcha> {
  return api<Captcha>('/api/v1/auth/captcha');
}

/** True for the errors that mean "the captcha must be (re)answered". */
export function isCaptchaProblem(code: string): boolean {
  return code.startsWith('auth.captcha');
}
