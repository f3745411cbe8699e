import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.ts';
import type { BillCategory } from './catalogue.ts';

export type BillPaymentStatus = 'authorization_required' | 'completed' | 'expired';

/** All SQL of bill payment. */
export type BillTables = {
  biller: {
    id: string;
    category: BillCategory;
    name_zh: string;
    name_en: string;
    region_zh: string;
    region_en: string;
    account_pattern: string;
    ledger_account_id: string;
    status: 'active' | 'suspended';
    sort_order: number;
    created_at_ms: number;
  };
  bill_payment: {
    id: string;
    customer_id: string;
    biller_id: string;
    bill_account: string;
    period: string | null;
    /** The holder's name as the biller answered it, masked (张*). */
    holder_name: string;
    from_account_id: string;
    amount_fen: number;
    status: BillPaymentStatus;
    reason_code: string | null;
    auth_method: string | null;
    auth_ref: string | null;
    entry_id: string | null;
    created_at_ms: number;
    authorize_by_ms: number;
    completed_at_ms: number | null;
  };
  saved_bill_account: {
    id: string;
    customer_id: string;
    biller_id: string;
    bill_account: string;
    created_at_ms: number;
  };
};

export type BillerRow = Selectable<BillTables['biller']>;
export type BillPaymentRow = Selectable<BillTables['bill_payment']>;
export type SavedBillAccountRow = Selectable<BillTables['saved_bill_account']>;

/** Most bill accounts a customer may save (TigerStyle: a limit on everything). */
export const MAX_SAVED_BILL_ACCOUNTS = 50;

/** The active billers, in catalogue order. */
export function activeBillers(db: Kysely<Database>): Promise<BillerRow[]> {
  return db.selectFrom('biller').selectAll().where('status', '=', 'active').orderBy('sort_order').execute();
}

export function billerById(db: Kysely<Database>, id: string): Promise<BillerRow | undefined> {
  return db.selectFrom('biller').selectAll().where('id', '=', id).executeTakeFirst();
}

export function billPaymentById(db: Kysely<Database>, id: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('bill_payment').selectAll().where('id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function insertBillPayment(trx: Kysely<Database>, row: BillPaymentRow): Promise<void> {
  await trx.insertInto('bill_payment').values(row).execute();
}

/** Records the challenge a bill payment awaits (a new one replaces the last). */
export async function setBillPaymentChallenge(trx: Kysely<Database>, id: string, method: string, ref: string) {
  await trx.updateTable('bill_payment').set({ auth_method: method, auth_ref: ref }).where('id', '=', id).execute();
}

export async function expireBillPayment(trx: Kysely<Database>, id: string): Promise<void> {
  await trx
    .updateTable('bill_payment')
    .set({ status: 'expired', reason_code: 'bills.authorization_expired' })
    .where('id', '=', id)
    .execute();
}

export async function markBillPaymentCompleted(
  trx: Kysely<Database>,
  row: Pick<BillPaymentRow, 'id' | 'entry_id' | 'completed_at_ms'>,
): Promise<void> {
  await trx
    .updateTable('bill_payment')
    .set({ status: 'completed', entry_id: row.entry_id, completed_at_ms: row.completed_at_ms })
    .where('id', '=', row.id)
    .where('status', '=', 'authorization_required')
    .execute();
}

/** What a customer paid in bills since an instant: counted against the same limits as transfers. */
export async function billSpentSinceFen(db: Kysely<Database>, customerId: string, sinceMs: number): Promise<number> {
  const row = await db
    .selectFrom('bill_payment')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('total'))
    .where('customer_id', '=', customerId)
    .where('status', '=', 'completed')
    .where('created_at_ms', '>=', sinceMs)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** What the bank has collected for one bill and period (from every customer who paid it). */
export async function paidForPeriodFen(
  db: Kysely<Database>,
  bill: { billerId: string; billAccount: string; period: string },
): Promise<number> {
  const row = await db
    .selectFrom('bill_payment')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('total'))
    .where('biller_id', '=', bill.billerId)
    .where('bill_account', '=', bill.billAccount)
    .where('period', '=', bill.period)
    .where('status', '=', 'completed')
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** A customer's saved bill accounts with the last completed payment of each, newest saved first. */
export async function savedBillAccounts(db: Kysely<Database>, customerId: string) {
  const rows = await db
    .selectFrom('saved_bill_account as s')
    .selectAll('s')
    .select((eb) => [
      eb
        .selectFrom('bill_payment as p')
        .select('p.id')
        .whereRef('p.customer_id', '=', 's.customer_id')
        .whereRef('p.biller_id', '=', 's.biller_id')
        .whereRef('p.bill_account', '=', 's.bill_account')
        .where('p.status', '=', 'completed')
        .orderBy('p.completed_at_ms', 'desc')
        .limit(1)
        .as('last_payment_id'),
    ])
    .where('s.customer_id', '=', customerId)
    .orderBy('s.created_at_ms', 'desc')
    .orderBy('s.id')
    .limit(MAX_SAVED_BILL_ACCOUNTS)
    .execute();
  const lastIds = rows.flatMap((row) => (row.last_payment_id ? [row.last_payment_id] : []));
  const last =
    lastIds.length === 0
      ? []
      : await db
          .selectFrom('bill_payment')
          .select(['id', 'amount_fen', 'completed_at_ms'])
          .where('id', 'in', lastIds)
          .execute();
  const byId = new Map(last.map((row) => [row.id, row]));
  return rows.map((row) => ({ row: row as SavedBillAccountRow, lastPayment: byId.get(row.last_payment_id ?? '') }));
}

export function savedBillAccount(db: Kysely<Database>, customerId: string, billerId: string, billAccount: string) {
  return db
    .selectFrom('saved_bill_account')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('biller_id', '=', billerId)
    .where('bill_account', '=', billAccount)
    .executeTakeFirst();
}

export async function countSavedBillAccounts(db: Kysely<Database>, customerId: string): Promise<number> {
  const row = await db
    .selectFrom('saved_bill_account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Saves a bill account unless it is saved already (two saves at once: the unique key decides). */
export async function insertSavedBillAccount(trx: Kysely<Database>, row: SavedBillAccountRow): Promise<void> {
  await trx
    .insertInto('saved_bill_account')
    .values(row)
    .onConflict((oc) => oc.columns(['customer_id', 'biller_id', 'bill_account']).doNothing())
    .execute();
}

export async function deleteSavedBillAccount(trx: Kysely<Database>, customerId: string, id: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('saved_bill_account')
    .where('id', '=', id)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
