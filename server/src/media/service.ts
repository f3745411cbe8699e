import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import { customerById } from '../customers/index.ts';
import type { Database } from '../database.ts';
import { enqueueMessage, postInboxMessage, smsText } from '../notify/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError, requestErrors } from '../platform/errors.ts';
import type { Deps } from './authorization.ts';
import { mediaErrors as errors } from './errors.ts';
import { type CardCell, parseCardCell } from './password-card.ts';
import { eTokenAnswer, passwordCardDigits } from './register.ts';
import type { CardDigits, ETokenAnswer, MediaList, MediumItem } from './schema.ts';
import { lockMedium, mediaOf, type MediumRow, updateMediumState } from './store.ts';
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

/**
 * What the e-password device with this serial shows for an 8-digit challenge now (the dev route that
 * stands in for the device in tests and demos). 404 media.not_found for a serial that is no e-token.
 */
export async function devETokenAnswer(
  db: Kysely<Database>,
  deps: Deps,
  serial: string,
  challenge: string,
): Promise<ETokenAnswer> {
  const answer = await eTokenAnswer(db, deps, serial, challenge);
  if (answer === null) throw new AppError(errors['media.not_found']);
  return { answer };
}

/** Kinds a customer holds in their hand, and so can lose: the others are reset at the counter. */
const LOSABLE = new Set(['password_card', 'e_token', 'totp', 'u_shield']);

/**
 * Reports a medium lost (挂失): it stops at once — no challenge is asked of it and no answer accepted —
 * the customer is told by SMS and the audit log records it. A new one is issued at the counter.
 */
export async function reportLost(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  customerId: string,
  mediumId: string,
  ip: string | null,
) {
  const nowMs = ctx.clock.nowMs();
  await withTransaction(ctx.db.kysely, async (trx) => {
    const medium = await lockMedium(trx, mediumId);
    if (!medium || medium.customer_id !== customerId || !LOSABLE.has(medium.kind)) {
      throw new AppError(errors['media.not_found']);
    }
    if (medium.status === 'lost' || medium.status === 'revoked') return;
    await updateMediumState(trx, medium.id, {
      status: 'lost',
      usesLeft: medium.uses_left,
      wrongInRow: medium.wrong_in_row,
      nowMs,
    });
    await appendAudit(trx, {
      kind: 'media.reported_lost',
      atMs: nowMs,
      actor: { type: 'customer', id: customerId },
      subject: { type: 'medium', id: medium.id },
      ip,
      details: { kind: medium.kind, serial: medium.serial },
    });
    const customer = await customerById(trx, customerId);
    if (customer) {
      await enqueueMessage(
        trx,
        {
          channel: 'sms',
          to: customer.mobile,
          purpose: 'media.reported_lost',
          text: smsText('media.reported_lost', { serial: medium.serial ?? '—' }),
        },
        nowMs,
      );
    }
    await postInboxMessage(
      trx,
      {
        customerId,
        kind: 'media.reported_lost',
        params: { medium: medium.kind, ...(medium.serial ? { serial: medium.serial } : {}) },
      },
      nowMs,
    );
  });
  return mediaList(ctx.db.kysely, customerId);
}
