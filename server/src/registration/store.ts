import type { Kysely, Selectable } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { preparedQuery } from '../platform/db/prepared.ts';

/** Every query on the registration domain's tables. */

export type SmsPurpose = 'self' | 'mobile' | 'reset';

export type RegistrationTables = {
  registration_sms: {
    id: string;
    mobile_hash: string;
    purpose: SmsPurpose;
    ip: string;
    otp_id: string | null;
    created_at_ms: number;
  };
  agreement_acceptance: {
    id: string;
    customer_id: string;
    version: string;
    way: 'self' | 'mobile';
    ip: string | null;
    accepted_at_ms: number;
  };
  card_binding: {
    customer_id: string;
    registered_at_ms: number;
    bound_account_id: string | null;
    bound_at_ms: number | null;
  };
  password_reset: {
    id: string;
    customer_id: string;
    state: 'verify' | 'password' | 'done';
    challenge_id: string;
    ip: string | null;
    created_at_ms: number;
    expires_at_ms: number;
  };
};

export type ResetRow = Selectable<RegistrationTables['password_reset']>;

// ——— SMS requests ———

export function insertSmsRequest(trx: Tx, row: Selectable<RegistrationTables['registration_sms']>) {
  return trx.insertInto('registration_sms').values(row).execute();
}

/**
 * The counts the throttles need, in one statement: this mobile's requests since `mobileSinceMs`, the
 * newest for this purpose, and this address's since `ipSinceMs`.
 */
export async function smsRequestCounts(
  db: Kysely<Database>,
  input: { mobileHash: string; purpose: SmsPurpose; ip: string; mobileSinceMs: number; ipSinceMs: number },
) {
  const row = await db
    .selectFrom('registration_sms')
    .select((eb) => [
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('mobile_hash', '=', input.mobileHash), eb('created_at_ms', '>=', input.mobileSinceMs)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('byMobile'),
      eb.fn
        .max<number>(
          eb
            .case()
            .when(eb.and([eb('mobile_hash', '=', input.mobileHash), eb('purpose', '=', input.purpose)]))
            .then(eb.ref('created_at_ms'))
            .end(),
        )
        .as('lastSameAtMs'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('ip', '=', input.ip), eb('created_at_ms', '>=', input.ipSinceMs)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('byIp'),
    ])
    .where((eb) => eb.or([eb('mobile_hash', '=', input.mobileHash), eb('ip', '=', input.ip)]))
    .where('created_at_ms', '>=', Math.min(input.mobileSinceMs, input.ipSinceMs))
    .executeTakeFirstOrThrow();
  return {
    byMobile: Number(row.byMobile ?? 0),
    lastSameAtMs: row.lastSameAtMs === null || row.lastSameAtMs === undefined ? null : Number(row.lastSameAtMs),
    byIp: Number(row.byIp ?? 0),
  };
}

/** The newest code sent to this mobile for this purpose since `sinceMs`, or undefined. */
export async function latestSmsOtpId(
  db: Kysely<Database>,
  input: { mobileHash: string; purpose: SmsPurpose; sinceMs: number },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('registration_sms')
    .select('otp_id')
    .where('mobile_hash', '=', input.mobileHash)
    .where('purpose', '=', input.purpose)
    .where('otp_id', 'is not', null)
    .where('created_at_ms', '>=', input.sinceMs)
    .orderBy('created_at_ms', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.otp_id ?? undefined;
}

// ——— Agreement and card binding ———

export function insertAcceptance(trx: Tx, row: Selectable<RegistrationTables['agreement_acceptance']>) {
  return trx.insertInto('agreement_acceptance').values(row).execute();
}

export function acceptancesOf(db: Kysely<Database>, customerId: string) {
  return db
    .selectFrom('agreement_acceptance')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('accepted_at_ms', 'desc')
    .limit(20)
    .execute();
}

/** Prepared (compiled once): every account and payment request asks it. */
const unboundQuery = preparedQuery((db: Kysely<Database>, args: { customerId: string }) =>
  db
    .selectFrom('card_binding')
    .select('customer_id')
    .where('customer_id', '=', args.customerId)
    .where('bound_at_ms', 'is', null),
);

/** Whether the customer registered on the phone and has not bound a card yet. */
export async function awaitsCardBinding(db: Kysely<Database>, customerId: string): Promise<boolean> {
  return (await unboundQuery.first(db, { customerId })) !== undefined;
}

export function insertCardBinding(trx: Tx, customerId: string, nowMs: number) {
  return trx
    .insertInto('card_binding')
    .values({ customer_id: customerId, registered_at_ms: nowMs, bound_account_id: null, bound_at_ms: null })
    .execute();
}

/** Records the card bound; a customer who registered otherwise gets a row that says so too. */
export async function markCardBound(trx: Tx, customerId: string, accountId: string, nowMs: number) {
  await trx
    .insertInto('card_binding')
    .values({ customer_id: customerId, registered_at_ms: nowMs, bound_account_id: accountId, bound_at_ms: nowMs })
    .onConflict((oc) => oc.column('customer_id').doUpdateSet({ bound_account_id: accountId, bound_at_ms: nowMs }))
    .execute();
}

// ——— Password resets ———

export function insertReset(trx: Tx, row: ResetRow) {
  return trx.insertInto('password_reset').values(row).execute();
}

/** The reset, locked for the rest of the transaction (each step is taken once). */
export function lockedReset(trx: Tx, resetId: string): Promise<ResetRow | undefined> {
  return trx.selectFrom('password_reset').selectAll().where('id', '=', resetId).forUpdate().executeTakeFirst();
}

export async function setResetState(
  trx: Tx,
  resetId: string,
  change: { state: ResetRow['state']; challengeId?: string },
) {
  await trx
    .updateTable('password_reset')
    .set(change.challengeId ? { state: change.state, challenge_id: change.challengeId } : { state: change.state })
    .where('id', '=', resetId)
    .execute();
}

/** The customer's newest reset still waiting for its answer, locked; undefined when none is live. */
export function liveResetAwaitingAnswer(trx: Tx, customerId: string, nowMs: number): Promise<ResetRow | undefined> {
  return trx
    .selectFrom('password_reset')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('state', '=', 'verify')
    .where('expires_at_ms', '>', nowMs)
    .orderBy('created_at_ms', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

// ——— Housekeeping ———

/** Deletes SMS requests made before `requestsBeforeMs` and resets that ended before `resetsBeforeMs`. */
export async function purgeRegistrationRows(
  db: Kysely<Database>,
  cutoffs: { requestsBeforeMs: number; resetsBeforeMs: number },
): Promise<number> {
  const requests = await db
    .deleteFrom('registration_sms')
    .where('created_at_ms', '<', cutoffs.requestsBeforeMs)
    .executeTakeFirst();
  const resets = await db
    .deleteFrom('password_reset')
    .where('expires_at_ms', '<', cutoffs.resetsBeforeMs)
    .executeTakeFirst();
  return Number(requests.numDeletedRows) + Number(resets.numDeletedRows);
}
