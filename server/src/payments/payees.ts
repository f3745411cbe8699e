import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { isUniqueViolation } from '../platform/db/transaction.ts';
import { newId } from '../platform/ids.ts';
import {
  deletePayeeRow,
  findPayee,
  insertPayee,
  MAX_PAYEES,
  type PayeeRow,
  payeeRows,
  renamePayee,
  setPayeeLastUsed,
  type TransferRow,
} from './store.ts';

export { MAX_PAYEES };

/** A customer's saved payees, most recently used first. */
export function payeesOf(db: Kysely<Database>, customerId: string): Promise<PayeeRow[]> {
  return payeeRows(db, customerId);
}

/** Saves a payee (or returns the one already saved with the same bank and number, under the new name). */
export async function savePayee(
  trx: Kysely<Database>,
  input: { customerId: string; name: string; accountNumber: string; bankCode: string; nowMs: number },
): Promise<PayeeRow> {
  const existing = await findPayee(trx, input.customerId, input.bankCode, input.accountNumber);
  if (existing) {
    if (existing.name !== input.name) await renamePayee(trx, existing.id, input.name);
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
    await insertPayee(trx, row);
  } catch (error) {
    // Saved at the same moment by another request: that one is the payee.
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
  await setPayeeLastUsed(trx, payee.id, nowMs);
}

/** Deletes one of the customer's payees; false when they have no such payee. */
export function deletePayee(trx: Kysely<Database>, customerId: string, payeeId: string): Promise<boolean> {
  return deletePayeeRow(trx, customerId, payeeId);
}
