import type { Kysely } from 'kysely';
import svgCaptcha from 'svg-captcha';
import type { Database } from '../database.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { keyedHash } from '../platform/keyed-hash.ts';
import { authErrors as errors } from './errors.ts';
import {
  captchaAnswerOf,
  deleteCaptchasExpiredBefore,
  failureCounts,
  insertCaptcha,
  insertLoginFailure,
  markCaptchaUsed,
} from './store.ts';

/**
 * The image captcha of the login page: 4 characters without look-alikes, single use, valid 2 minutes,
 * compared without regard to case. It is asked for after a failed sign-in for that identifier or from
 * that address in the last 24 hours, and always from an address that is guessing at many accounts.
 */
export const CAPTCHA_TTL_MS = 120_000;
const FAILURE_WINDOW_MS = 24 * 3600_000;
/** From one address this many failures in 10 minutes means someone is guessing across accounts. */
export const IP_FLOOD_FAILURES = 20;
const IP_FLOOD_WINDOW_MS = 10 * 60_000;

export async function newCaptcha(db: Kysely<Database>, nowMs: number) {
  const captcha = svgCaptcha.create({
    size: 4,
    charPreset: 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789',
    noise: 2,
    color: true,
    background: '#f6f3ee',
    width: 120,
    height: 44,
  });
  const id = newId<'Captcha'>();
  await insertCaptcha(db, { id, answer: captcha.text.toUpperCase(), expiresAtMs: nowMs + CAPTCHA_TTL_MS });
  // Expired captchas are of no use to anyone: drop a few each time a new one is made.
  await deleteCaptchasExpiredBefore(db, nowMs - CAPTCHA_TTL_MS);
  return { captchaId: id, image: `data:image/svg+xml;base64,${Buffer.from(captcha.data).toString('base64')}` };
}

/** The answer of a live captcha (the dev route, outside production only). */
export async function captchaAnswer(db: Kysely<Database>, id: string) {
  return (await captchaAnswerOf(db, id)) ?? null;
}

/** Uses up a captcha and says whether the answer was right. */
export async function consumeCaptcha(
  db: Kysely<Database>,
  id: string,
  answer: string,
  nowMs: number,
): Promise<boolean> {
  const expected = await markCaptchaUsed(db, id, nowMs);
  return expected !== undefined && expected === answer.trim().toUpperCase();
}

/** A keyed hash of a normalised identifier: failures are counted per identifier without storing it. */
export function identifierHash(secret: Buffer, identifier: string): string {
  return keyedHash(secret, 'jinku/login-identifier', identifier.replace(/\s/g, '').toLowerCase());
}

export type Pressure = { captchaRequired: boolean; ipFlooding: boolean; identifierFailures: number };

/** How hard someone has been guessing at this identifier or from this address (in the database, so every instance agrees). */
export async function loginPressure(
  db: Kysely<Database>,
  ip: string,
  idHash: string,
  nowMs: number,
): Promise<Pressure> {
  const counts = await failureCounts(db, {
    idHash,
    ip,
    sinceMs: nowMs - FAILURE_WINDOW_MS,
    floodSinceMs: nowMs - IP_FLOOD_WINDOW_MS,
  });
  return {
    captchaRequired: counts.byIdentifier > 0 || counts.byIp > 0,
    ipFlooding: counts.byIpRecent >= IP_FLOOD_FAILURES,
    identifierFailures: counts.byIdentifier,
  };
}

/** Checks the captcha when one is needed (or offered); throws the right error otherwise. */
export async function checkCaptcha(
  db: Kysely<Database>,
  required: boolean,
  given: { captchaId?: string | undefined; captchaAnswer?: string | undefined },
  nowMs: number,
): Promise<void> {
  if (!given.captchaId || !given.captchaAnswer) {
    if (required) throw new AppError(errors['auth.captcha_required'], {}, { captchaRequired: true });
    return;
  }
  if (!(await consumeCaptcha(db, given.captchaId, given.captchaAnswer, nowMs))) {
    throw new AppError(errors['auth.captcha_invalid'], {}, { captchaRequired: true });
  }
}

/** Counts a failed sign-in against the identifier and the address (for the captcha and the flood guard). */
export function recordLoginFailure(db: Kysely<Database>, ip: string, idHash: string, nowMs: number) {
  return insertLoginFailure(db, ip, idHash, nowMs);
}
