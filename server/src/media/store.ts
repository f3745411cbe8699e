import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, Tx } from '../database.ts';

/**
 * Every query on the media domain's tables (security media and SMS one-time codes). Functions that must
 * run inside a transaction (they lock rows, or are one step of several) take a `Tx`.
 */

export type MediaTables = {
  security_medium: {
    id: string;
    customer_id: string;
    kind: 'sms' | 'password_card' | 'e_token' | 'u_shield';
    status: 'active' | 'locked' | 'revoked';
    serial: string | null;
    created_at_ms: number;
  };
  sms_otp: {
    id: string;
    customer_id: string;
    mobile: string;
    purpose: string;
    /** SHA-256 of what the code is for (a login attempt, a transfer's canonical details). */
    binding_hash: string;
    /** HMAC of the code under a key derived from the server secret: the code itself is never stored. */
    code_mac: string;
    tries_left: number;
    created_at_ms: number;
    expires_at_ms: number;
    used_at_ms: number | null;
  };
};

export type SmsOtpRow = Selectable<MediaTables['sms_otp']>;
export type NewSmsOtp = Insertable<MediaTables['sms_otp']>;

/** Most media one customer may hold (a limit on everything): the tier reads them all. */
export const MAX_MEDIA_PER_CUSTOMER = 20;

/** The kinds of a customer's active security media, at most MAX_MEDIA_PER_CUSTOMER. */
export async function activeMediumKinds(
  db: Kysely<Database>,
  customerId: string,
): Promise<MediaTables['security_medium']['kind'][]> {
  const rows = await db
    .selectFrom('security_medium')
    .select('kind')
    .where('customer_id', '=', customerId)
    .where('status', '=', 'active')
    .limit(MAX_MEDIA_PER_CUSTOMER)
    .execute();
  return rows.map((row) => row.kind);
}

/** Writes a new active SMS-verification medium for the customer (no serial: the mobile is the device). */
export async function insertSmsMedium(trx: Tx, id: string, customerId: string, nowMs: number): Promise<void> {
  await trx
    .insertInto('security_medium')
    .values({ id, customer_id: customerId, kind: 'sms', status: 'active', serial: null, created_at_ms: nowMs })
    .execute();
}

/** An SMS code by id, its row locked until the transaction ends so two checks of one code run one at a time. */
export function smsOtpById(trx: Tx, id: string) {
  return trx.selectFrom('sms_otp').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Writes a newly issued SMS code (its MAC, never the code). */
export async function insertSmsOtp(trx: Tx, row: NewSmsOtp): Promise<void> {
  await trx.insertInto('sms_otp').values(row).execute();
}

/** Marks an SMS code used: it cannot approve anything again. */
export async function markSmsOtpUsed(trx: Tx, id: string, nowMs: number): Promise<void> {
  await trx.updateTable('sms_otp').set({ used_at_ms: nowMs }).where('id', '=', id).execute();
}

/** Records the tries an SMS code has left after a wrong answer. */
export async function setSmsOtpTriesLeft(trx: Tx, id: string, triesLeft: number): Promise<void> {
  await trx.updateTable('sms_otp').set({ tries_left: triesLeft }).where('id', '=', id).execute();
}

/** Deletes SMS codes created before `beforeMs`; returns how many rows went. */
export async function deleteSmsOtpsCreatedBefore(db: Kysely<Database>, beforeMs: number): Promise<number> {
  const result = await db.deleteFrom('sms_otp').where('created_at_ms', '<', beforeMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** What was recently sent to a mobile: for the resend wait, the burst cap and the daily cap. */
export async function recentSmsOtps(
  db: Kysely<Database>,
  mobile: string,
  bindingHash: string,
  nowMs: number,
  burstWindowMs: number,
) {
  const row = await db
    .selectFrom('sms_otp')
    .select((eb) => [
      eb.fn.countAll<number>().as('lastDay'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when('created_at_ms', '>=', nowMs - burstWindowMs)
            .then(1)
            .else(0)
            .end(),
        )
        .as('lastTenMinutes'),
      eb.fn
        .min<number>(
          eb
            .case()
            .when('created_at_ms', '>=', nowMs - burstWindowMs)
            .then(eb.ref('created_at_ms'))
            .end(),
        )
        .as('burstOldestAtMs'),
      eb.fn
        .max<number>(eb.case().when('binding_hash', '=', bindingHash).then(eb.ref('created_at_ms')).end())
        .as('sameBindingAtMs'),
    ])
    .where('mobile', '=', mobile)
    .where('created_at_ms', '>=', nowMs - 86_400_000)
    .executeTakeFirstOrThrow();
  return {
    lastDay: Number(row.lastDay),
    lastTenMinutes: Number(row.lastTenMinutes ?? 0),
    burstOldestAtMs:
      row.burstOldestAtMs === null || row.burstOldestAtMs === undefined ? null : Number(row.burstOldestAtMs),
    sameBindingAtMs:
      row.sameBindingAtMs === null || row.sameBindingAtMs === undefined ? null : Number(row.sameBindingAtMs),
  };
}
