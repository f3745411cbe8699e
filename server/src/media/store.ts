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

/** The newest code sent to a mobile, and how many were sent since a time (resend cooldown, daily cap). */
export async function recentSmsOtps(db: Kysely<Database>, mobile: string, sinceMs: number) {
  const rows = await db
    .selectFrom('sms_otp')
    .select(['created_at_ms'])
    .where('mobile', '=', mobile)
    .where('created_at_ms', '>=', sinceMs)
    .orderBy('created_at_ms', 'desc')
    .limit(1000)
    .execute();
  return { count: rows.length, newestAtMs: rows[0]?.created_at_ms ?? null };
}
