import { createHash, randomInt } from 'node:crypto';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { appendAudit } from '../audit/index.ts';
import { customerById } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { enqueueMessage, smsText } from '../notify/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { secretBox } from '../platform/secret-box.ts';
import { mediaErrors as errors } from './errors.ts';
import { E_TOKEN_SUITE, eTokenChallenge, ocraSuite, verifyOcraTimeWindow } from './ocra.ts';
import { type CardCell, checkAnswer, drawCells } from './password-card.ts';
import { verifySecret } from '../platform/secret-hash.ts';
import { issueSmsOtp, verifySmsOtp } from './sms-otp.ts';
import { verifyTotp } from './totp.ts';
import { uShieldAssertionOptions, verifyUShieldAssertion } from './u-shield.ts';
import {
  type ChallengeRow,
  insertChallenge,
  lockChallenge,
  lockMedium,
  type MediumRow,
  mediaOf,
  updateChallenge,
  updateMediumState,
} from './store.ts';

/**
 * One authorization service for every medium (ARCHITECTURE.md, "Authorization"). A caller asks for a
 * challenge for a purpose and a binding — the canonical form of what is authorized — and later checks
 * the customer's answer against that same binding. Each medium is a provider that issues its challenge
 * and checks its answer; the service keeps the rules common to all of them: a challenge lives 5 minutes,
 * is answered at most once and only for its binding, allows 5 tries, and 5 wrong answers in a row lock
 * the medium (SMS notice, audit row). Callers never talk to a medium directly.
 */
export type AuthMethod = 'payment_password' | 'sms' | 'password_card' | 'totp' | 'e_token' | 'u_shield';
/** Least friction first: the first usable one is asked, the others are offered as alternatives. */
export const METHODS_BY_FRICTION: readonly AuthMethod[] = [
  'payment_password',
  'sms',
  'password_card',
  'totp',
  'e_token',
  'u_shield',
];
/** The tier whose limits a method may sign up to: a soft token stands with the e-password device. */
export const TIER_OF_METHOD: Readonly<Record<AuthMethod, 'static' | 'sms' | 'password_card' | 'e_token' | 'u_shield'>> =
  {
    // A static-password customer's payment password signs within the static tier's ¥300.
    payment_password: 'static',
    sms: 'sms',
    password_card: 'password_card',
    totp: 'e_token',
    e_token: 'e_token',
    u_shield: 'u_shield',
  };
export const CHALLENGE_TTL_SECONDS = 300;
export const CHALLENGE_TRIES = 5;
/** Wrong answers in a row that lock a medium. */
export const MEDIUM_MAX_WRONG = 5;
const SECRET_PURPOSE: Record<Exclude<AuthMethod, 'sms' | 'u_shield'>, string> = {
  payment_password: 'media/payment-password',
  password_card: 'media/password-card',
  totp: 'media/totp',
  e_token: 'media/e-token',
};
const MEDIUM_NAMES: Record<AuthMethod, { zh: string; en: string }> = {
  sms: { zh: '短信验证', en: 'SMS verification' },
  payment_password: { zh: '支付密码', en: 'payment password' },
  password_card: { zh: '口令卡', en: 'password card' },
  totp: { zh: '手机令牌', en: 'soft token' },
  e_token: { zh: '电子密码器', en: 'e-password device' },
  u_shield: { zh: 'U 盾', en: 'U-shield' },
};

export type Deps = Pick<AppContext, 'config' | 'clock'>;

/** A challenge as API.md shows it ("Authorization": `challenge` by method). */
export type ChallengeView =
  | { method: 'sms'; challenge: { maskedMobile: string; resendAfterSeconds: number; expiresAt: string } }
  | { method: 'password_card'; challenge: { serial: string; cells: string[] } }
  | { method: 'totp'; challenge: Record<string, never> }
  | { method: 'payment_password'; challenge: Record<string, never> }
  | { method: 'e_token'; challenge: { serial: string; challenge: string } }
  | { method: 'u_shield'; challenge: { options: PublicKeyCredentialRequestOptionsJSON } };
export type AuthorizationView = ChallengeView & { alternatives: AuthMethod[] };

export type AuthorizationRequest = {
  customerId: string;
  /** The mobile the bank holds: SMS codes go there, medium or not. */
  mobile: string;
  purpose: string;
  binding: string;
  /** The medium the customer chose; otherwise the least-friction usable one. */
  method?: AuthMethod | undefined;
  /** The methods the caller accepts (a payment: those whose tier allows its amount). */
  accepted: readonly AuthMethod[];
  /** For the e-token's challenge: it starts with the payee's last four digits, so the device shows whom it pays. */
  payeeAccountNumber?: string | undefined;
  /** The SMS text for a code, when SMS is asked. */
  smsText: (code: string, validMinutes: number) => string;
};

/**
 * The methods this customer can answer with now: SMS (to the registered mobile; a locked SMS medium
 * excepted) and each active medium of a kind a provider exists for, least friction first.
 */
export function usableMethods(media: readonly Pick<MediumRow, 'kind' | 'status'>[]): AuthMethod[] {
  const smsLocked = media.some((m) => m.kind === 'sms' && m.status !== 'active');
  return METHODS_BY_FRICTION.filter((method) =>
    method === 'sms' ? !smsLocked : media.some((m) => m.kind === method && m.status === 'active'),
  );
}

/** Issues a challenge for `binding` on the chosen or least-friction medium; returns it as the API shows it. */
export async function requestAuthorization(
  trx: Tx,
  deps: Deps,
  request: AuthorizationRequest,
): Promise<{ challengeId: string; authorization: AuthorizationView }> {
  const media = await mediaOf(trx, request.customerId);
  const usable = usableMethods(media).filter((m) => request.accepted.includes(m));
  if (usable.length === 0) throw new AppError(errors['media.none_usable']);
  const method = request.method ?? usable[0]!;
  if (!usable.includes(method)) throw new AppError(errors['media.method_unavailable']);
  const medium = media.find((m) => m.kind === method && m.status === 'active') ?? null;
  const nowMs = deps.clock.nowMs();
  const issued = await issueOn(trx, deps, method, medium, request);
  const id = newId<'Challenge'>();
  await insertChallenge(trx, {
    id,
    customer_id: request.customerId,
    medium_id: medium?.id ?? null,
    method,
    purpose: request.purpose,
    binding_hash: sha256(request.binding),
    state: JSON.stringify(issued.state),
    tries_left: CHALLENGE_TRIES,
    created_at_ms: nowMs,
    expires_at_ms: nowMs + CHALLENGE_TTL_SECONDS * 1000,
    used_at_ms: null,
  });
  return { challengeId: id, authorization: { ...issued.view, alternatives: usable.filter((m) => m !== method) } };
}

type Issued = { view: ChallengeView; state: Record<string, unknown> };

async function issueOn(
  trx: Tx,
  deps: Deps,
  method: AuthMethod,
  medium: MediumRow | null,
  request: AuthorizationRequest,
): Promise<Issued> {
  if (method === 'sms') {
    const otp = await issueSmsOtp(trx, deps, {
      customerId: request.customerId,
      mobile: request.mobile,
      purpose: request.purpose,
      binding: request.binding,
      text: request.smsText,
    });
    return {
      view: {
        method,
        challenge: {
          maskedMobile: otp.maskedMobile,
          resendAfterSeconds: otp.resendAfterSeconds,
          expiresAt: isoTime(otp.expiresAtMs),
        },
      },
      state: { otpId: otp.otpId },
    };
  }
  if (method === 'u_shield') {
    if (!medium) throw new AppError(errors['media.method_unavailable']);
    const { options, state } = await uShieldAssertionOptions(trx, deps, medium, request.binding);
    return { view: { method, challenge: { options } }, state };
  }
  const serial = medium?.serial ?? '';
  // The authenticator app shows its code by itself: nothing to ask.
  if (method === 'totp' || method === 'payment_password') return { view: { method, challenge: {} }, state: {} };
  if (method === 'password_card') {
    const cells = drawCells();
    return { view: { method, challenge: { serial, cells } }, state: { cells } };
  }
  // Without a payee (a setting, not a payment) the first four digits are random too.
  const payee = request.payeeAccountNumber ?? String(randomInt(10_000)).padStart(4, '0');
  const challenge = eTokenChallenge(payee, randomInt(10_000));
  return { view: { method, challenge: { serial, challenge } }, state: { challenge } };
}

export type AuthorizationAnswer = {
  customerId: string;
  challengeId: string;
  purpose: string;
  binding: string;
  method: string;
  /** The digits, or a U-shield's assertion (`AuthenticationResponseJSON`, the object or its JSON text). */
  response: string | Record<string, unknown>;
  ip?: string | null;
};
/** Right: the challenge is used up. Wrong: the typed error to answer, after the caller commits the try. */
export type AuthorizationCheck =
  | { ok: true; method: AuthMethod }
  | { ok: false; error: AppError; authorization?: AuthorizationView };

/**
 * Checks an answer against the challenge issued for exactly this customer, purpose and binding, once.
 * A wrong answer uses a try of the challenge and counts against the medium; the fifth in a row locks
 * it. A password card's wrong answer draws new cells (so the cells asked are never guessed one by one),
 * returned as the new `authorization`. Commit the transaction whatever the outcome, so the count holds.
 */
export async function verifyAuthorization(
  trx: Tx,
  deps: Deps,
  answer: AuthorizationAnswer,
): Promise<AuthorizationCheck> {
  const nowMs = deps.clock.nowMs();
  const challenge = await lockChallenge(trx, answer.challengeId);
  const invalid = { ok: false as const, error: new AppError(errors['media.challenge_invalid']) };
  if (
    !challenge ||
    challenge.customer_id !== answer.customerId ||
    challenge.purpose !== answer.purpose ||
    challenge.binding_hash !== sha256(answer.binding) ||
    challenge.used_at_ms !== null ||
    challenge.expires_at_ms <= nowMs ||
    challenge.tries_left <= 0
  ) {
    return invalid;
  }
  if (answer.method !== challenge.method) return { ok: false, error: new AppError(errors['media.method_unavailable']) };
  const medium = challenge.medium_id ? ((await lockMedium(trx, challenge.medium_id)) ?? null) : null;
  if (medium && medium.status !== 'active') return { ok: false, error: new AppError(errors['media.locked']) };
  const method = challenge.method as AuthMethod;
  const state = JSON.parse(challenge.state) as Record<string, unknown>;
  const right = await checkOn(trx, deps, method, medium, state, answer);
  if (right) {
    await updateChallenge(trx, challenge.id, {
      usedAtMs: nowMs,
      triesLeft: challenge.tries_left,
      state: challenge.state,
    });
    if (medium) await recordRightAnswer(trx, medium, nowMs);
    return { ok: true, method };
  }
  return wrongAnswer(trx, { challenge, medium, method, state, answer, nowMs });
}

async function checkOn(
  trx: Tx,
  deps: Deps,
  method: AuthMethod,
  medium: MediumRow | null,
  state: Record<string, unknown>,
  answer: AuthorizationAnswer,
): Promise<boolean> {
  if (method === 'u_shield') {
    return medium ? verifyUShieldAssertion(trx, deps, medium, answer.binding, state, answer.response) : false;
  }
  if (typeof answer.response !== 'string') return false;
  const response = answer.response.trim();
  if (method === 'sms') {
    const check = await verifySmsOtp(trx, deps, {
      otpId: String(state.otpId),
      customerId: answer.customerId,
      purpose: answer.purpose,
      binding: answer.binding,
      code: response,
    });
    return check.ok;
  }
  if (!medium?.secret_sealed) return false;
  const secret = secretBox(deps.config.secret).open(SECRET_PURPOSE[method], medium.secret_sealed);
  if (method === 'password_card') return checkAnswer(secret, state.cells as CardCell[], response);
  // The payment password is kept as its Argon2id hash (sealed like the other media's secrets).
  if (method === 'payment_password')
    return /^\d{6}$/.test(response) && verifySecret(deps.config, secret.toString(), response);
  if (method === 'totp') {
    const check = verifyTotp({ secret, code: response, nowMs: deps.clock.nowMs(), lastAcceptedStep: medium.last_step });
    // The step is kept at once (the medium row is locked): the same code never signs twice.
    if (check.ok)
      await updateMediumState(trx, medium.id, {
        ...stateOf(medium),
        lastStep: check.timeStep,
        nowMs: deps.clock.nowMs(),
      });
    return check.ok;
  }
  // The challenge is single use, so the device's answer needs no replay check by time step.
  const check = verifyOcraTimeWindow(ocraSuite(E_TOKEN_SUITE), {
    key: secret,
    challenge: String(state.challenge),
    response,
    nowMs: deps.clock.nowMs(),
  });
  return check.ok;
}

function stateOf(medium: MediumRow) {
  return { status: medium.status, usesLeft: medium.uses_left, wrongInRow: medium.wrong_in_row };
}

/** A right answer: the medium's wrong-answer count starts again, and a card has one use fewer. */
async function recordRightAnswer(trx: Tx, medium: MediumRow, nowMs: number) {
  const usesLeft = medium.uses_left === null ? null : medium.uses_left - 1;
  await updateMediumState(trx, medium.id, {
    status: usesLeft === 0 ? 'expired' : medium.status,
    usesLeft,
    wrongInRow: 0,
    nowMs,
  });
}

async function wrongAnswer(
  trx: Tx,
  input: {
    challenge: ChallengeRow;
    medium: MediumRow | null;
    method: AuthMethod;
    state: Record<string, unknown>;
    answer: AuthorizationAnswer;
    nowMs: number;
  },
): Promise<AuthorizationCheck> {
  const { challenge, medium, method, nowMs } = input;
  const triesLeft = challenge.tries_left - 1;
  const state = method === 'password_card' ? { cells: drawCells() } : input.state;
  await updateChallenge(trx, challenge.id, { usedAtMs: null, triesLeft, state: JSON.stringify(state) });
  const wrongInRow = (medium?.wrong_in_row ?? 0) + 1;
  // SMS is not locked by wrong codes: each code dies after its own tries and the send caps hold, so a
  // stranger who knows the password cannot take the customer's one way in (the phone stays theirs).
  if (medium && medium.kind !== 'sms' && wrongInRow >= MEDIUM_MAX_WRONG) {
    await lockAfterWrongAnswers(trx, medium, method, input.answer, nowMs);
    return { ok: false, error: new AppError(errors['media.locked']) };
  }
  if (medium)
    await updateMediumState(trx, medium.id, { status: medium.status, usesLeft: medium.uses_left, wrongInRow, nowMs });
  const error = new AppError(errors['media.wrong_answer'], { triesLeft }, { triesLeft });
  if (method === 'password_card' && triesLeft > 0) {
    const cells = state.cells as string[];
    return {
      ok: false,
      error,
      authorization: { method, challenge: { serial: medium?.serial ?? '', cells }, alternatives: [] },
    };
  }
  return { ok: false, error };
}

/**
 * The typed error of a refused answer, as a route answers it. A password card's refusal carries the new
 * cells it drew, as the `authorization` API.md describes, so the page asks them without starting again.
 */
export function refusal(check: Extract<AuthorizationCheck, { ok: false }>): AppError {
  if (!check.authorization) return check.error;
  return new AppError(check.error.code, check.error.params, {
    ...check.error.extensions,
    authorization: check.authorization,
  });
}

/** Locks a medium after MEDIUM_MAX_WRONG wrong answers in a row: the customer is told by SMS, the audit log records it. */
async function lockAfterWrongAnswers(
  trx: Tx,
  medium: MediumRow,
  method: AuthMethod,
  answer: AuthorizationAnswer,
  nowMs: number,
) {
  await updateMediumState(trx, medium.id, {
    status: 'locked',
    usesLeft: medium.uses_left,
    wrongInRow: MEDIUM_MAX_WRONG,
    nowMs,
  });
  await appendAudit(trx, {
    kind: 'media.locked',
    atMs: nowMs,
    actor: { type: 'customer', id: answer.customerId },
    subject: { type: 'medium', id: medium.id },
    ip: answer.ip ?? null,
    details: { kind: medium.kind, serial: medium.serial, purpose: answer.purpose },
  });
  const mobile = (await customerById(trx, answer.customerId))?.mobile;
  if (mobile) {
    const names = MEDIUM_NAMES[method];
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: mobile,
        purpose: 'media.locked',
        // SMS texts are sent in Chinese (the catalogue's default), so the medium is named in Chinese.
        text: smsText('media.locked', { medium: names.zh, failures: MEDIUM_MAX_WRONG }),
      },
      nowMs,
    );
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
