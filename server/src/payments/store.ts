import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.ts';

export type TransferKind = 'own' | 'same_bank' | 'interbank';
export type TransferStatus = 'authorization_required' | 'pending' | 'completed' | 'rejected' | 'returned' | 'expired';

export type PaymentTables = {
  transfer: {
    id: string;
    customer_id: string;
    from_account_id: string;
    kind: TransferKind;
    /** The credited account when it is in this bank. */
    to_account_id: string | null;
    payee_name: string;
    payee_account_number: string;
    payee_bank_code: string;
    amount_fen: number;
    memo: string | null;
    status: TransferStatus;
    /** Why it was rejected or returned: an error code. */
    reason_code: string | null;
    auth_method: string | null;
    /** The challenge issued for it (an SMS code's id). */
    auth_ref: string | null;
    entry_id: string | null;
    created_at_ms: number;
    authorize_by_ms: number;
    settle_after_ms: number | null;
    completed_at_ms: number | null;
  };
  payee: {
    id: string;
    customer_id: string;
    name: string;
    account_number: string;
    bank_code: string;
    created_at_ms: number;
    last_used_at_ms: number | null;
  };
  customer_limit: {
    customer_id: string;
    per_payment_fen: number | null;
    daily_fen: number | null;
    updated_at_ms: number;
  };
};

export type TransferRow = Selectable<PaymentTables['transfer']>;
export type PayeeRow = Selectable<PaymentTables['payee']>;

export function transferById(db: Kysely<Database>, id: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('transfer').selectAll().where('id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

/**
 * The sum of a customer's payments to others since a time that count against limits: those done or on
 * their way (completed, pending clearing). Own-account transfers never count.
 */
export async function spentSinceFen(db: Kysely<Database>, customerId: string, sinceMs: number): Promise<number> {
  const row = await db
    .selectFrom('transfer')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('total'))
    .where('customer_id', '=', customerId)
    .where('created_at_ms', '>=', sinceMs)
    .where('kind', '!=', 'own')
    .where('status', 'in', ['completed', 'pending'])
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export function customerLimit(db: Kysely<Database>, customerId: string) {
  return db.selectFrom('customer_limit').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
}

/** Writes new transfers, in one statement however many (a batch of own transfers). */
export async function insertTransfers(trx: Kysely<Database>, rows: readonly TransferRow[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('transfer').values(rows).execute();
}

/** Marks a transfer as lapsed: its customer did not authorize it in time. */
export async function expireTransfer(trx: Kysely<Database>, id: string): Promise<void> {
  await trx
    .updateTable('transfer')
    .set({ status: 'expired', reason_code: 'payment.authorization_expired' })
    .where('id', '=', id)
    .execute();
}

/** Records which challenge the customer must answer to authorize a transfer. */
export async function setTransferChallenge(trx: Kysely<Database>, id: string, method: string, ref: string) {
  await trx.updateTable('transfer').set({ auth_method: method, auth_ref: ref }).where('id', '=', id).execute();
}

/** Records that an authorized transfer's money has moved (completed, or pending clearing). */
export async function markTransferPosted(trx: Kysely<Database>, row: TransferRow): Promise<void> {
  await trx
    .updateTable('transfer')
    .set({
      status: row.status,
      entry_id: row.entry_id,
      completed_at_ms: row.completed_at_ms,
      settle_after_ms: row.settle_after_ms,
    })
    .where('id', '=', row.id)
    .execute();
}

/** Replaces a customer's own limits (null: the tier's). */
export async function replaceCustomerLimit(
  trx: Kysely<Database>,
  input: { customerId: string; perPaymentFen: number | null; dailyFen: number | null; nowMs: number },
): Promise<void> {
  await trx.deleteFrom('customer_limit').where('customer_id', '=', input.customerId).execute();
  await trx
    .insertInto('customer_limit')
    .values({
      customer_id: input.customerId,
      per_payment_fen: input.perPaymentFen,
      daily_fen: input.dailyFen,
      updated_at_ms: input.nowMs,
    })
    .execute();
}

/**
 * Locks up to `limit` pending inter-bank transfers whose clearing time has come, oldest first. Several
 * server instances may run the clearing loop: each takes transfers no other instance holds (SKIP
 * LOCKED; SQLite's one writer needs no such clause, and the SQLite dialect drops it).
 */
export function lockDueTransfers(trx: Kysely<Database>, nowMs: number, limit: number) {
  return trx
    .selectFrom('transfer')
    .selectAll()
    .where('status', '=', 'pending')
    .where('settle_after_ms', '<=', nowMs)
    .orderBy('settle_after_ms')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Records clearing's answer: settled (completed) or returned by the other bank. */
export async function markTransferCleared(
  trx: Kysely<Database>,
  id: string,
  answer: { status: 'completed' | 'returned'; reasonCode: string | null; nowMs: number },
): Promise<void> {
  await trx
    .updateTable('transfer')
    .set({ status: answer.status, reason_code: answer.reasonCode, completed_at_ms: answer.nowMs })
    .where('id', '=', id)
    .execute();
}

/** The most payees a customer keeps; lists are bounded by it. */
export const MAX_PAYEES = 200;

export function payeeRows(db: Kysely<Database>, customerId: string): Promise<PayeeRow[]> {
  return db
    .selectFrom('payee')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('last_used_at_ms', 'desc')
    .orderBy('created_at_ms', 'desc')
    .limit(MAX_PAYEES)
    .execute();
}

export function findPayee(db: Kysely<Database>, customerId: string, bankCode: string, accountNumber: string) {
  return db
    .selectFrom('payee')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('bank_code', '=', bankCode)
    .where('account_number', '=', accountNumber)
    .executeTakeFirst();
}

export async function insertPayee(trx: Kysely<Database>, row: PayeeRow): Promise<void> {
  await trx.insertInto('payee').values(row).execute();
}

export async function renamePayee(trx: Kysely<Database>, id: string, name: string): Promise<void> {
  await trx.updateTable('payee').set({ name }).where('id', '=', id).execute();
}

export async function setPayeeLastUsed(trx: Kysely<Database>, id: string, nowMs: number): Promise<void> {
  await trx.updateTable('payee').set({ last_used_at_ms: nowMs }).where('id', '=', id).execute();
}

export async function deletePayeeRow(trx: Kysely<Database>, customerId: string, id: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('payee')
    .where('id', '=', id)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
