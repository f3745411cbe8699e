import { keyedHash } from '../platform/keyed-hash.ts';
import type { Kysely } from 'kysely';
import svgCaptcha from 'svg-captcha';
import type { Database } from '../database.ts';
import { AppError } from '../platform/errors.ts';
import { preparedQuery } from '../platform/db/prepared.ts';
import { newId } from '../platform/ids.ts';
import { authErrors as errors } from './errors.ts';

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
  await db
    .insertInto('captcha')
    .values({ id, answer: captcha.text.toUpperCase(), expires_at_ms: nowMs + CAPTCHA_TTL_MS, used: false })
    .execute();
  // Expired captchas are of no use to anyone: drop a few each time a new one is made.
  await db
    .deleteFrom('captcha')
    .where('expires_at_ms', '<', nowMs - CAPTCHA_TTL_MS)
    .execute();
  return { captchaId: id, image: `data:image/svg+xml;base64,${Buffer.from(captcha.data).toString('base64')}` };
}

/** The answer of a live captcha (the dev route, outside production only). */
export async function captchaAnswer(db: Kysely<Database>, id: string) {
  const row = await db.selectFrom('captcha').select(['answer']).where('id', '=', id).executeTakeFirst();
  return row?.answer ?? null;
}

/** Uses up a captcha and says whether the answer was right. */
export async function consumeCaptcha(
  db: Kysely<Database>,
  id: string,
  answer: string,
  nowMs: number,
): Promise<boolean> {
  const row = await db
    .updateTable('captcha')
    .set({ used: true })
    .where('id', '=', id)
    .where('used', '=', false)
    .where('expires_at_ms', '>', nowMs)
    .returning(['answer'])
    .executeTakeFirst();
  return row !== undefined && row.answer === answer.trim().toUpperCase();
}

/** A keyed hash of a normalised identifier: failures are counted per identifier without storing it. */
export function identifierHash(secret: Buffer, identifier: string): string {
  return keyedHash(secret, 'jinku/login-identifier', identifier.replace(/\s/g, '').toLowerCase());
}

export type Pressure = { captchaRequired: boolean; ipFlooding: boolean; identifierFailures: number };

/** One statement for both counts (prepared: it runs before every sign-in). */
const failureCountsQuery = preparedQuery(
  (db: Kysely<Database>, args: { idHash: string; ip: string; since: number; floodSince: number }) =>
    db
      .selectFrom('login_failure')
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('identifier_hash', '=', args.idHash).then(1).else(0).end()).as('byIdentifier'),
        eb.fn.sum<number>(eb.case().when('ip', '=', args.ip).then(1).else(0).end()).as('byIp'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('ip', '=', args.ip), eb('at_ms', '>=', args.floodSince)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('byIpRecent'),
      ])
      .where((eb) => eb.or([eb('identifier_hash', '=', args.idHash), eb('ip', '=', args.ip)]))
      .where('at_ms', '>=', args.since),
);

/** How hard someone has been guessing at this identifier or from this address (in the database, so every instance agrees). */
export async function loginPressure(
  db: Kysely<Database>,
  ip: string,
  idHash: string,
  nowMs: number,
): Promise<Pressure> {
  const counts = await failureCountsQuery.one(db, {
    idHash,
    ip,
    since: nowMs - FAILURE_WINDOW_MS,
    floodSince: nowMs - IP_FLOOD_WINDOW_MS,
  });
  const identifierFailures = Number(counts.byIdentifier ?? 0);
  const ipFailures = Number(counts.byIp ?? 0);
  const ipRecent = Number(counts.byIpRecent ?? 0);
  return {
    captchaRequired: identifierFailures > 0 || ipFailures > 0,
    ipFlooding: ipRecent >= IP_FLOOD_FAILURES,
    identifierFailures,
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

export async function recordLoginFailure(db: Kysely<Database>, ip: string, idHash: string, nowMs: number) {
  await db
    .insertInto('login_failure')
    .values({ id: newId<'LoginFailure'>(), ip, identifier_hash: idHash, at_ms: nowMs })
    .execute();
}
