import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.ts';

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

export function smsOtpById(db: Kysely<Database>, id: string) {
  return db.selectFrom('sms_otp').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
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
