import { api } from '../../api/client';
import type {
  AuthorizationRequired,
  LimitsView,
  MediaList,
  MediumItem,
  PasswordCardLowUses,
  TotpEnrolment,
  UShieldActivated,
  UShieldRegistration,
} from '../../api/contract';

/**
 * The security centre's media calls (API.md, "Security centre" and "Authorization"): the tier and media
 * list, the limits, and the soft token's enrolment. Every shape is the server's own (api/contract.ts).
 */

export type Medium = MediumItem;
export type Tier = MediaList['tier'];
export type Limits = LimitsView;
export type Enrolment = TotpEnrolment;
/** 202: the enrolment waits for the customer's current medium. */
export type EnrolmentChallenge = AuthorizationRequired;
/** The answer to a challenge, sent with the repeated request. */
export type AuthorizationAnswer = { method: string; challengeId: string; response: string };

/** Below this many uses left a password card is running out (the server's PASSWORD_CARD_LOW_USES). */
export const PASSWORD_CARD_LOW_USES: PasswordCardLowUses = 50;

/** True when a password card should be replaced soon (fewer than 50 uses left). */
export function runningLow(medium: Medium): boolean {
  return medium.kind === 'password_card' && medium.usesLeft !== undefined && medium.usesLeft < PASSWORD_CARD_LOW_USES;
}

export const getMedia = () => api<MediaList>('/api/v1/security/media');

export const getLimits = () => api<LimitsView>('/api/v1/limits');

/**
 * POST /api/v1/security/totp: without an answer it asks the customer's current medium (202); with the
 * right answer it makes the token and answers its `otpauth://` link and QR code (201), shown once.
 */
export const startTotpEnrolment = (authorization?: AuthorizationAnswer) =>
  api<EnrolmentChallenge | Enrolment>('/api/v1/security/totp', {
    method: 'POST',
    body: authorization ? { authorization } : {},
  });

/** The app's first code: the token becomes active (and counts as the e-password device's tier). */
export const confirmTotpEnrolment = (enrollmentId: string, code: string) =>
  api<{ id: string; kind: 'totp'; status: 'active' }>(
    `/api/v1/security/totp/${encodeURIComponent(enrollmentId)}/verify`,
    { method: 'POST', body: { code } },
  );

/** The base-32 secret in an `otpauth://` link, for people who type it into the app instead of scanning. */
export function otpauthSecret(otpauthUrl: string): string | undefined {
  try {
    return new URL(otpauthUrl).searchParams.get('secret') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * POST /api/v1/security/u-shield/registration (certificate download): without an answer it asks the
 * current medium (202); with the right one it answers the WebAuthn creation options for the key (201).
 */
export const startUShieldRegistration = (mediumId: string, cardPin: string, authorization?: AuthorizationAnswer) =>
  api<EnrolmentChallenge | UShieldRegistration>('/api/v1/security/u-shield/registration', {
    method: 'POST',
    body: authorization ? { mediumId, cardPin, authorization } : { mediumId, cardPin },
  });

/** The key's attestation: the U-shield becomes active. */
export const finishUShieldRegistration = (registrationId: string, credential: object) =>
  api<UShieldActivated>(`/api/v1/security/u-shield/registration/${encodeURIComponent(registrationId)}/verify`, {
    method: 'POST',
    body: { credential },
  });
