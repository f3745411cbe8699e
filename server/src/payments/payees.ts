import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { isUniqueViolation } from '../platform/db/transaction.ts';
import { newId } from '../platform/ids.ts';
import type { PayeeRow, TransferRow } from './store.ts';

/** The most payees a customer keeps; the oldest unused go first beyond it. */
export const MAX_PAYEES = 200;

/** A customer's saved payees, most recently used first. */
export function payeesOf(db: Kysely<Database>, customerId: string): Promise<PayeeRow[]> {
  return db
    .selectFrom('payee')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('last_used_at_ms', 'desc')
    .orderBy('created_at_ms', 'desc')
    .limit(MAX_PAYEES)
    .execute();
}

/** Saves a payee (or returns the one already saved with the same bank and number). */
export async function savePayee(
  trx: Kysely<Database>,
  input: { customerId: string; name: string; accountNumber: string; bankCode: string; nowMs: number },
): Promise<PayeeRow> {
  const existing = await findPayee(trx, input.customerId, input.bankCode, input.accountNumber);
  if (existing) {
    if (existing.name !== input.name) {
      await trx.updateTable('payee').set({ name: input.name }).where('id', '=', existing.id).execute();
    }
    return { ...existing, name: input.name };
  }
  const row: PayeeRow = {
    id: newId<'Payee'>(),
    customer_id: input.customerId,
    name: input.name,
    account_number: input.accountNumber,
    bank_code: input.bankCode,
    created_at_ms: input.nowMs,
    last_used_at_ms: null,
  };
  try {
    await trx.insertInto('payee').values(row).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await findPayee(trx, input.customerId, input.bankCode, input.accountNumber);
    if (raced) return raced;
    throw error;
  }
  return row;
}

/** Records that a completed payment went to this payee, saving it if it is new ("last used"). */
export async function touchPayee(trx: Kysely<Database>, transfer: TransferRow, nowMs: number): Promise<void> {
  const payee = await savePayee(trx, {
    customerId: transfer.customer_id,
    name: transfer.payee_name,
    accountNumber: transfer.payee_account_number,
    bankCode: transfer.payee_bank_code,
    nowMs,
  });
  await trx.updateTable('payee').set({ last_used_at_ms: nowMs }).where('id', '=', payee.id).execute();
}

export async function deletePayee(trx: Kysely<Database>, customerId: string, payeeId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('payee')
    .where('id', '=', payeeId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

function findPayee(db: Kysely<Database>, customerId: string, bankCode: string, accountNumber: string) {
  return db
    .selectFrom('payee')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('bank_code', '=', bankCode)
    .where('account_number', '=', accountNumber)
    .executeTakeFirst();
}
