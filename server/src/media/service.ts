import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { isoTime } from '../platform/clock.ts';
import { AppError, requestErrors } from '../platform/errors.ts';
import type { Deps } from './authorization.ts';
import { mediaErrors as errors } from './errors.ts';
import { type CardCell, parseCardCell } from './password-card.ts';
import { passwordCardDigits } from './register.ts';
import type { CardDigits, MediaList, MediumItem } from './schema.ts';
import { mediaOf, type MediumRow } from './store.ts';
import { tierOf } from './tiers.ts';

/** Most cells the dev route reads at once (a challenge names 2; a demo may read a few more). */
export const DEV_CARD_MAX_CELLS = 10;

/**
 * The security centre's view of a customer's media (API.md, "Security centre"): the tier their strongest
 * active medium gives, and every medium they hold whatever its status, oldest first. Only the customer's own.
 */
export async function mediaList(db: Kysely<Database>, customerId: string): Promise<MediaList> {
  const [tier, rows] = await Promise.all([tierOf(db, customerId), mediaOf(db, customerId)]);
  return { tier, items: rows.map(mediumItem) };
}

function mediumItem(row: MediumRow): MediumItem {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    ...(row.serial === null ? {} : { serial: row.serial }),
    ...(row.uses_left === null ? {} : { usesLeft: row.uses_left }),
    createdAt: isoTime(row.created_at_ms),
  };
}

/**
 * The digits of the named cells (`B7,E3`) of a password card, by serial: the dev route that stands in
 * for the printed card (outside production only). A malformed cell list is `request.invalid`; a serial
 * that is no password card is `media.not_found`.
 */
export async function devCardDigits(
  db: Kysely<Database>,
  deps: Deps,
  serial: string,
  cellList: string,
): Promise<CardDigits> {
  const names = cellList.split(',');
  const cells = names.map(parseCardCell).filter((cell): cell is CardCell => cell !== null);
  if (cells.length !== names.length || cells.length > DEV_CARD_MAX_CELLS) {
    throw new AppError(requestErrors['request.invalid'], {
      reason: `cells (1 to ${DEV_CARD_MAX_CELLS} of A1–H10, comma-separated)`,
    });
  }
  const digits = await passwordCardDigits(db, deps, serial, cells);
  if (digits === null) throw new AppError(errors['media.not_found']);
  return { digits };
}
