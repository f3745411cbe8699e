import { api } from '../api/client';

/** A security-medium challenge, as the login flow sends it (API.md, "Session and login"). */
export type Challenge = {
  method: 'sms' | 'password_card' | 'e_token' | 'u_shield' | 'passkey' | (string & {});
  /** SMS: where the code went, already masked by the server. */
  maskedMobile?: string;
  mobile?: string;
  destination?: string;
  /** SMS: seconds until a new code may be requested. */
  resendAfterSeconds?: number;
  /** Password card: the two cells to read, e.g. ["B7", "E3"]. */
  cells?: string[];
  /** E-token: the challenge code to key into the device. */
  challengeCode?: string;
  code?: string;
  [key: string]: unknown;
};

export type LoginResult =
  | { state: 'authenticated'; customer?: Record<string, unknown> }
  | { state: 'challenge'; attemptId: string; challenge: Challenge; alternatives?: unknown[] }
  | { state: 'change_password'; attemptId: string };

export type Channel = 'web' | 'mobile';

export type Credentials = {
  identifier: string;
  password: string;
  captchaId?: string;
  captchaAnswer?: string;
  channel: Channel;
};

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

/** Sets the new password that a counter-registered or reset customer must choose. */
export function changeInitialPassword(attemptId: string, newPassword: string): Promise<LoginResult> {
  return api<LoginResult>(`/api/v1/auth/login/${encodeURIComponent(attemptId)}/password`, {
    method: 'POST',
    body: { newPassword },
  });
}

export type Captcha = { captchaId: string; image: string };

/** A fresh captcha (the image is an SVG data URL). */
export function fetchCaptcha(): Promise<Captcha> {
  return api<Captcha>('/api/v1/auth/captcha');
}

/** True for the errors that mean "the captcha must be (re)answered". */
export function isCaptchaProblem(code: string): boolean {
  return code.startsWith('auth.captcha');
}
