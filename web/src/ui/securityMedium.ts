/**
 * A security medium's challenge as the pages show it, whichever flow asked (login, payment). The server's
 * challenge objects name the same things in more than one way (`maskedMobile` or `destination`,
 * `challengeCode` or `code`); they are read here once.
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

/** The wait before a new SMS code when the server does not say (API.md: 60 seconds). */
const DEFAULT_RESEND_SECONDS = 60;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads a challenge object of the login or payment answers. */
export function challengeView(method: string, challenge: Record<string, unknown> | null | undefined): ChallengeView {
  const fields = challenge ?? {};
  return {
    method,
    mobile: text(fields.maskedMobile) ?? text(fields.destination) ?? text(fields.mobile),
    resendAfterSeconds:
      typeof fields.resendAfterSeconds === 'number' ? fields.resendAfterSeconds : DEFAULT_RESEND_SECONDS,
    cells: Array.isArray(fields.cells) ? fields.cells.filter((cell): cell is string => typeof cell === 'string') : [],
    tokenCode: text(fields.challengeCode) ?? text(fields.code),
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
