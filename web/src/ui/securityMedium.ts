import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { SmsChallenge } from '../api/contract';

/**
 * A security medium's challenge as the pages show it, whichever flow asked (login, payment): SMS, the
 * password card's cells or the e-token's code (API.md, "Authorization").
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
  /** U-shield: the WebAuthn request options the key signs (`startAuthentication`). */
  webauthnOptions: PublicKeyCredentialRequestOptionsJSON | undefined;
};

/** Media answered by typing a code; a U-shield (and a passkey) answers through WebAuthn instead. */
const TYPED = new Set(['payment_password', 'sms', 'password_card', 'totp', 'e_token']);

/** A challenge of any medium the server sends (API.md, "Authorization": `challenge` by method). */
export type AnyChallenge =
  | SmsChallenge
  | { serial: string; cells: string[] }
  | { serial: string; challenge: string }
  /** A U-shield: WebAuthn request options. */
  | { options: object }
  /** A soft token: the authenticator app shows its code by itself. */
  | object;

/**
 * Reads a challenge of the login or payment answers: an SMS code's (where it went, when to resend), a
 * password card's cells, or the digits to key into the e-password device.
 */
export function challengeView(method: string, challenge: AnyChallenge): ChallengeView {
  return {
    method,
    mobile: 'maskedMobile' in challenge ? challenge.maskedMobile : undefined,
    resendAfterSeconds: 'resendAfterSeconds' in challenge ? challenge.resendAfterSeconds : 0,
    cells: 'cells' in challenge ? challenge.cells : [],
    tokenCode: 'challenge' in challenge ? challenge.challenge : undefined,
    webauthnOptions: 'options' in challenge ? (challenge.options as PublicKeyCredentialRequestOptionsJSON) : undefined,
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

/** True when the medium is answered by a WebAuthn key on this page (the U-shield). */
export function isWebAuthn(view: ChallengeView): boolean {
  return view.method === 'u_shield' && view.webauthnOptions !== undefined;
}
