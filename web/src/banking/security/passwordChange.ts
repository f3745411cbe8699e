import { api } from '../../api/client';
import type { ChangePasswordBody, SmsAuthorizationRequired } from '../../api/contract';

/** The server's answer: 202 with the SMS code's challenge, or (204) undefined once the password is changed. */
export type PasswordAnswer = SmsAuthorizationRequired | undefined;

/**
 * POST /api/v1/security/password: without `authorization` it checks both passwords and sends an SMS code;
 * with it, it changes the password (API.md, "Authorization").
 */
export function postPasswordChange(body: ChangePasswordBody): Promise<PasswordAnswer> {
  return api<PasswordAnswer>('/api/v1/security/password', { method: 'POST', body });
}
