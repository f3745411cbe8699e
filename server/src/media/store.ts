import type { ColumnType, Insertable, Kysely, Selectable } from 'kysely';
import type { Database, Tx } from '../database.ts';

/**
 * Every query on the media domain's tables (security media and SMS one-time codes). Functions that must
 * run inside a transaction (they lock rows, or are one step of several) take a `Tx`.
 */

export type MediaTables = {
  security_medium: {
    id: string;
    customer_id: string;
    kind: StoredMediumKind;
    status: MediumStatus;
    serial: string | null;
    /** The medium's secret (a card's or device's seed), sealed with platform/secret-box.ts. */
    secret_sealed: string | null;
    /** A password card's successful uses left. */
    uses_left: number | null;
    /** Wrong answers since the last right one: 5 lock the medium. */
    wrong_in_row: number;
    /** A time-based medium's last accepted time step: a code of that step or before is never accepted again. */
    last_step: number | null;
    created_at_ms: number;
    updated_at_ms: number;
  };
  media_challenge: {
    id: string;
    customer_id: string;
    medium_id: string | null;
    method: string;
    purpose: string;
    binding_hash: string;
    state: string;
    tries_left: number;
    created_at_ms: number;
    expires_at_ms: number;
    used_at_ms: number | null;
  };
  webauthn_credential: {
    medium_id: string;
    customer_id: string;
    /** The credential's id, base64url, as the authenticator gave it. */
    credential_id: string;
    /** The COSE public key, base64url. */
    public_key: string;
    /** The authenticator's signature counter at its last accepted use. */
    counter: number;
    /** JSON array of the transports the authenticator named (usb, nfc…). */
    transports: string;
    /** A passkey's device (auth's device hash): forgetting that device deletes the passkey. */
    device_hash: ColumnType<string | null, string | null | undefined, string | null>;
    created_at_ms: number;
    updated_at_ms: number;
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

/** Every kind of medium the table may hold (API.md, "Security centre"). */
export type StoredMediumKind =
  | 'sms'
  | 'password_card'
  | 'e_token'
  | 'totp'
  | 'u_shield'
  | 'passkey'
  | 'payment_password';
export type MediumStatus = 'issued' | 'active' | 'locked' | 'revoked' | 'lost' | 'expired';
export type MediumRow = Selectable<MediaTables['security_medium']>;
export type ChallengeRow = Selectable<MediaTables['media_challenge']>;
export type WebAuthnCredentialRow = Selectable<MediaTables['webauthn_credential']>;
export type SmsOtpRow = Selectable<MediaTables['sms_otp']>;
export type NewSmsOtp = Insertable<MediaTables['sms_otp']>;

/** Most media one customer may hold (a limit on everything): the tier reads them all. */
export const MAX_MEDIA_PER_CUSTOMER = 20;

/** The kinds of a customer's active security media, at most MAX_MEDIA_PER_CUSTOMER. */
export async function activeMediumKinds(db: Kysely<Database>, customerId: string): Promise<StoredMediumKind[]> {
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
    .values({
      id,
      customer_id: customerId,
      kind: 'sms',
      status: 'active',
      serial: null,
      secret_sealed: null,
      uses_left: null,
      wrong_in_row: 0,
      last_step: null,
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    })
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

/** A customer's media, oldest first, at most MAX_MEDIA_PER_CUSTOMER. */
export function mediaOf(db: Kysely<Database>, customerId: string): Promise<MediumRow[]> {
  return db
    .selectFrom('security_medium')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(MAX_MEDIA_PER_CUSTOMER)
    .execute();
}

/** A medium by id, locked until the transaction ends (its use count and wrong answers change). */
export function lockMedium(trx: Tx, id: string): Promise<MediumRow | undefined> {
  return trx.selectFrom('security_medium').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A medium by its serial (a card's or a device's number). */
export function mediumBySerial(db: Kysely<Database>, serial: string): Promise<MediumRow | undefined> {
  return db.selectFrom('security_medium').selectAll().where('serial', '=', serial).executeTakeFirst();
}

/** Writes a newly issued medium. */
export async function insertMedium(trx: Tx, row: MediumRow): Promise<void> {
  await trx.insertInto('security_medium').values(row).execute();
}

/** Records a medium's state after an answer (status, uses left, wrong answers in a row). */
export async function updateMediumState(
  trx: Tx,
  id: string,
  state: { status: MediumStatus; usesLeft: number | null; wrongInRow: number; lastStep?: number; nowMs: number },
): Promise<void> {
  await trx
    .updateTable('security_medium')
    .set({
      status: state.status,
      uses_left: state.usesLeft,
      wrong_in_row: state.wrongInRow,
      ...(state.lastStep === undefined ? {} : { last_step: state.lastStep }),
      updated_at_ms: state.nowMs,
    })
    .where('id', '=', id)
    .execute();
}

/** Writes an issued challenge. */
export async function insertChallenge(trx: Tx, row: ChallengeRow): Promise<void> {
  await trx.insertInto('media_challenge').values(row).execute();
}

/** A challenge by id, locked so that two answers to it are checked one after the other. */
export function lockChallenge(trx: Tx, id: string): Promise<ChallengeRow | undefined> {
  return trx.selectFrom('media_challenge').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Records a challenge after an answer: used, tries left, and what it now asks (a card's new cells). */
export async function updateChallenge(
  trx: Tx,
  id: string,
  change: { usedAtMs: number | null; triesLeft: number; state: string },
): Promise<void> {
  await trx
    .updateTable('media_challenge')
    .set({ used_at_ms: change.usedAtMs, tries_left: change.triesLeft, state: change.state })
    .where('id', '=', id)
    .execute();
}

/** Deletes challenges created before `beforeMs`; returns how many rows went. */
export async function deleteChallengesCreatedBefore(db: Kysely<Database>, beforeMs: number): Promise<number> {
  const result = await db.deleteFrom('media_challenge').where('created_at_ms', '<', beforeMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Makes a medium active (a soft token once its first code is right). */
export async function activateMedium(trx: Tx, id: string, lastStep: number | null, nowMs: number): Promise<void> {
  await trx
    .updateTable('security_medium')
    .set({ status: 'active', last_step: lastStep, wrong_in_row: 0, updated_at_ms: nowMs })
    .where('id', '=', id)
    .execute();
}

/** Revokes a customer's media of one kind (a new payment password replaces the old; a card ends the payment password). */
export async function revokeMediaOfKind(trx: Tx, customerId: string, kind: StoredMediumKind, nowMs: number) {
  await trx
    .updateTable('security_medium')
    .set({ status: 'revoked', updated_at_ms: nowMs })
    .where('customer_id', '=', customerId)
    .where('kind', '=', kind)
    .where('status', 'in', ['active', 'locked', 'issued'])
    .execute();
}

/** Stores a medium's WebAuthn credential (a U-shield's certificate download). */
export async function insertWebAuthnCredential(
  trx: Tx,
  row: Insertable<MediaTables['webauthn_credential']>,
): Promise<void> {
  await trx.insertInto('webauthn_credential').values(row).execute();
}

/** A medium's WebAuthn credential. */
export function webAuthnCredentialOf(trx: Tx, mediumId: string): Promise<WebAuthnCredentialRow | undefined> {
  return trx.selectFrom('webauthn_credential').selectAll().where('medium_id', '=', mediumId).executeTakeFirst();
}

/** Records the signature counter of an accepted assertion. */
export async function setWebAuthnCounter(trx: Tx, mediumId: string, counter: number, nowMs: number): Promise<void> {
  await trx
    .updateTable('webauthn_credential')
    .set({ counter, updated_at_ms: nowMs })
    .where('medium_id', '=', mediumId)
    .execute();
}

/** The WebAuthn credential with this credential id (a passkey sign-in names only its credential). */
export function webAuthnCredentialById(trx: Tx, credentialId: string): Promise<WebAuthnCredentialRow | undefined> {
  return trx
    .selectFrom('webauthn_credential')
    .selectAll()
    .where('credential_id', '=', credentialId)
    .forUpdate()
    .executeTakeFirst();
}

/** Deletes a medium's WebAuthn credential (a passkey turned off: the server keeps no key to accept). */
export async function deleteWebAuthnCredential(trx: Tx, mediumId: string): Promise<void> {
  await trx.deleteFrom('webauthn_credential').where('medium_id', '=', mediumId).execute();
}

/** A customer's passkeys that are not revoked, newest first. */
export function passkeysOf(db: Kysely<Database>, customerId: string): Promise<MediumRow[]> {
  return db
    .selectFrom('security_medium')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'passkey')
    .where('status', '!=', 'revoked')
    .orderBy('created_at_ms', 'desc')
    .execute();
}

/** The customer's active passkeys registered on this device. */
export function passkeysOnDevice(trx: Tx, customerId: string, deviceHash: string): Promise<{ medium_id: string }[]> {
  return trx
    .selectFrom('webauthn_credential')
    .select('medium_id')
    .where('customer_id', '=', customerId)
    .where('device_hash', '=', deviceHash)
    .execute();
}
