import { api } from '../api/client';
import type {
  Agreement,
  BindBody,
  CardBinding,
  MobileBody,
  Registered,
  ResetBody,
  ResetStarted,
  ResetVerified,
  SelfBody,
  SmsBody,
  SmsSent as SmsSentAnswer,
} from '../api/contract';

/* The ways into e-banking (API.md, "Registration and passwords"), typed by the server's own schemas. */

/** The service agreement in force, in both languages. */
export type AgreementView = Agreement;

/** Why a code is sent: online self-registration, the phone app's registration, or a password reset. */
export type SmsPurpose = SmsBody['purpose'];

/** The server answers alike whether or not it knows the mobile (it never tells who banks here). */
export type SmsSent = SmsSentAnswer;

export type SelfRegistration = SelfBody;
export type MobileRegistration = MobileBody;
export type PasswordResetStart = ResetBody;

/** The security check of a reset: SMS to the registered mobile, or the customer's medium. */
export type PasswordResetChallenge = ResetStarted;

export type CardBindingBody = BindBody;

/** Every mismatch of the details the bank holds answers this one code, never naming the field. */
export const DETAILS_MISMATCH = 'registration.details_mismatch';

/** A reset that timed out (10 minutes) or is finished: the customer starts again. */
export const RESET_EXPIRED = 'registration.reset_expired';

/** A customer registered by mobile number asks for accounts before binding a card. */
export const CARD_NOT_BOUND = 'registration.card_not_bound';

/** The agreement changed while the customer was registering: they read and accept the new one. */
export const AGREEMENT_OUTDATED = 'registration.agreement_outdated';

/** Sends an SMS code to `mobile` for `purpose`. */
export function sendRegistrationCode(mobile: string, purpose: SmsPurpose): Promise<SmsSent> {
  return api<SmsSent>('/api/v1/registration/sms', { method: 'POST', body: { mobile, purpose } });
}

/** Online self-registration: a card holder becomes a static-password e-banking customer. */
export function registerSelf(body: SelfRegistration): Promise<Registered> {
  return api<Registered>('/api/v1/registration/self', { method: 'POST', body });
}

/** The phone app's registration by mobile number; the answer's session then binds a card. */
export function registerMobile(body: MobileRegistration): Promise<Registered> {
  return api<Registered>('/api/v1/registration/mobile', { method: 'POST', body });
}

/** Binds a card (and its account) to the signed-in customer of a mobile registration. */
export function bindCard(body: CardBindingBody): Promise<CardBinding> {
  return api<CardBinding>('/api/v1/accounts/bind', { method: 'POST', body });
}

/** Starts an online password reset: the bank checks the details and answers the security check. */
export function startPasswordReset(body: PasswordResetStart): Promise<PasswordResetChallenge> {
  return api<PasswordResetChallenge>('/api/v1/password-reset', { method: 'POST', body });
}

/** Answers the reset's security check. */
export function verifyPasswordReset(
  resetId: string,
  method: string,
  response: string | object,
): Promise<ResetVerified> {
  return api<ResetVerified>(`/api/v1/password-reset/${encodeURIComponent(resetId)}/verify`, {
    method: 'POST',
    body: { method, response },
  });
}

/** A fresh challenge for the reset: a new SMS code, or another medium among the alternatives. */
export function renewPasswordResetChallenge(resetId: string, method?: string): Promise<PasswordResetChallenge> {
  return api<PasswordResetChallenge>(`/api/v1/password-reset/${encodeURIComponent(resetId)}/challenge`, {
    method: 'POST',
    body: method ? { method } : {},
  });
}

/** Sets the new login password after the check; the login lock is lifted. */
export function finishPasswordReset(resetId: string, newPassword: string): Promise<void> {
  return api<void>(`/api/v1/password-reset/${encodeURIComponent(resetId)}/password`, {
    method: 'POST',
    body: { newPassword },
  });
}
