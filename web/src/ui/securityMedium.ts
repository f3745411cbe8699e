import type { SmsChallenge } from '../api/contract';

/**
 * A security medium's challenge as the pages show it, whichever flow asked (login, payment). The view
 * already has room for the password card's cells and the e-token's code (API.md, "Authorization"); they
 * stay empty until the server's schemas send those media.
 */
export type ChallengeView = {
  method: string;
  /** SMS: where the code went. */
  mobile: string | undefined;
  /** SMS: seconds until a new code may be requested. */
  resendAfterSeconds: number;
  /** Password card: the cells to read, e.g. ["B7", "E3"]. */
  cells: string[];
  /** E-token: the challenge code to key into the device. */
  tokenCode: string | undefined;
};

/** Media answered by typing a code; U-shield and passkeys need WebAuthn, which the pages do not offer yet. */
const TYPED = new Set(['sms', 'password_card', 'e_token']);

/**
 * Reads a challenge of the login or payment answers. Both send the SMS code's challenge today
 * (auth/schema.ts `LoginChallenge`, payments/schema.ts `AuthorizationView`), with the same fields.
 */
export function challengeView(method: string, challenge: SmsChallenge): ChallengeView {
  return {
    method,
    mobile: challenge.maskedMobile,
    resendAfterSeconds: challenge.resendAfterSeconds,
    cells: [],
    tokenCode: undefined,
  };
}

/** True when the medium is answered by typing a code on this page. */
export function isTyped(method: string): boolean {
  return TYPED.has(method);
}

/** The catalogue key (below the area's prefix) of the code field's label for a medium. */
export function codeLabelKey(method: string): 'smsLabel' | 'passwordCardLabel' | 'eTokenLabel' | 'genericLabel' {
  if (method === 'sms') return 'smsLabel';
  if (method === 'password_card') return 'passwordCardLabel';
  if (method === 'e_token') return 'eTokenLabel';
  return 'genericLabel';
}
