import type { Kysely, Selectable } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { claimLeased } from '../platform/db/lease.ts';

/** All SQL of the merchant gateway. */
export type MerchantTables = {
  merchant: {
    app_id: string;
    name: string;
    public_key_pem: string;
    sign_type: 'RSA2';
    settlement_account_id: string;
    status: 'active' | 'suspended';
    notify_url_prefix: string | null;
    created_at_ms: number;
  };
  gateway_order: {
    trade_no: string;
    app_id: string;
    out_trade_no: string;
    subject: string;
    total_fen: number;
    notify_url: string | null;
    return_url: string | null;
    request_hash: string;
    status: TradeStatus;
    expires_at_ms: number;
    created_at_ms: number;
    customer_id: string | null;
    from_account_id: string | null;
    auth_method: string | null;
    auth_ref: string | null;
    authorize_by_ms: number | null;
    entry_id: string | null;
    paid_at_ms: number | null;
    closed_at_ms: number | null;
    refunded_fen: number;
  };
  gateway_notify: {
    id: string;
    trade_no: string;
    app_id: string;
    notify_url: string;
    params: string;
    status: 'pending' | 'sending' | 'delivered' | 'failed';
    attempts: number;
    next_attempt_at_ms: number;
    lease_until_ms: number | null;
    created_at_ms: number;
    delivered_at_ms: number | null;
    last_error: string | null;
  };
  gateway_refund: {
    id: string;
    trade_no: string;
    out_request_no: string;
    refund_fen: number;
    entry_id: string;
    created_at_ms: number;
  };
  demo_shop_notify: {
    id: string;
    out_trade_no: string;
    trade_status: string;
    total_amount: string;
    refund_amount: string | null;
    verified: number;
    received_at_ms: number;
  };
  gateway_bank_key: {
    version: number;
    public_key_pem: string;
    private_key_sealed: string;
    created_at_ms: number;
  };
  customer_ecommerce: {
    customer_id: string;
    status: 'enabled' | 'disabled';
    updated_at_ms: number;
  };
};

export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
export type MerchantRow = Selectable<MerchantTables['merchant']>;
export type OrderRow = Selectable<MerchantTables['gateway_order']>;

export async function insertMerchant(db: Kysely<Database>, row: MerchantRow): Promise<void> {
  await db.insertInto('merchant').values(row).execute();
}

export async function merchantByAppId(db: Kysely<Database>, appId: string): Promise<MerchantRow | undefined> {
  const row = await db.selectFrom('merchant').selectAll().where('app_id', '=', appId).executeTakeFirst();
  return row && { ...row, created_at_ms: Number(row.created_at_ms) };
}

export async function listMerchants(db: Kysely<Database>): Promise<MerchantRow[]> {
  const rows = await db.selectFrom('merchant').selectAll().orderBy('created_at_ms').orderBy('app_id').execute();
  return rows.map((row) => ({ ...row, created_at_ms: Number(row.created_at_ms) }));
}

/** Suspends or resumes a merchant; false when there is no such merchant. */
export async function setMerchantStatus(
  db: Kysely<Database>,
  appId: string,
  status: MerchantRow['status'],
): Promise<boolean> {
  const result = await db.updateTable('merchant').set({ status }).where('app_id', '=', appId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function orderFromDb(row: OrderRow): OrderRow {
  return {
    ...row,
    total_fen: Number(row.total_fen),
    expires_at_ms: Number(row.expires_at_ms),
    created_at_ms: Number(row.created_at_ms),
    authorize_by_ms: row.authorize_by_ms === null ? null : Number(row.authorize_by_ms),
    paid_at_ms: row.paid_at_ms === null ? null : Number(row.paid_at_ms),
    closed_at_ms: row.closed_at_ms === null ? null : Number(row.closed_at_ms),
    refunded_fen: Number(row.refunded_fen),
  };
}

export async function orderByOutTradeNo(
  db: Kysely<Database>,
  appId: string,
  outTradeNo: string,
): Promise<OrderRow | undefined> {
  const row = await db
    .selectFrom('gateway_order')
    .selectAll()
    .where('app_id', '=', appId)
    .where('out_trade_no', '=', outTradeNo)
    .executeTakeFirst();
  return row && orderFromDb(row);
}

export async function orderByTradeNo(
  db: Kysely<Database>,
  tradeNo: string,
  options: { lock?: boolean } = {},
): Promise<OrderRow | undefined> {
  const query = db.selectFrom('gateway_order').selectAll().where('trade_no', '=', tradeNo);
  const row = await (options.lock ? query.forUpdate() : query).executeTakeFirst();
  return row && orderFromDb(row);
}

/** Changes an order's checkout columns (payer, challenge, payment, closing, refunds). */
export async function updateOrder(
  db: Kysely<Database>,
  tradeNo: string,
  changes: Partial<Omit<OrderRow, 'trade_no' | 'app_id' | 'out_trade_no'>>,
): Promise<void> {
  await db.updateTable('gateway_order').set(changes).where('trade_no', '=', tradeNo).execute();
}

/**
 * Closes a still unpaid order whose time has run out; true when this call closed it. The status
 * condition makes it safe against a payment committing at the same moment.
 */
export async function closeOrderIfExpired(db: Kysely<Database>, tradeNo: string, nowMs: number): Promise<boolean> {
  const result = await db
    .updateTable('gateway_order')
    .set({ status: 'TRADE_CLOSED', closed_at_ms: nowMs })
    .where('trade_no', '=', tradeNo)
    .where('status', '=', 'WAIT_BUYER_PAY')
    .where('expires_at_ms', '<=', nowMs)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export type BankKeyRow = Selectable<MerchantTables['gateway_bank_key']>;

const bankKeyRow = (row: BankKeyRow): BankKeyRow => ({
  ...row,
  version: Number(row.version),
  created_at_ms: Number(row.created_at_ms),
});

/** The bank's newest signing key, if any was made. */
export async function latestBankKey(db: Kysely<Database>): Promise<BankKeyRow | undefined> {
  const row = await db
    .selectFrom('gateway_bank_key')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && bankKeyRow(row);
}

/** One version of the bank's signing key. */
export async function bankKeyByVersion(db: Kysely<Database>, version: number): Promise<BankKeyRow | undefined> {
  const row = await db.selectFrom('gateway_bank_key').selectAll().where('version', '=', version).executeTakeFirst();
  return row && bankKeyRow(row);
}

/** Stores a key version unless that version exists (two instances making one at once): true if stored. */
export async function insertBankKeyIfAbsent(db: Kysely<Database>, row: BankKeyRow): Promise<boolean> {
  const result = await db
    .insertInto('gateway_bank_key')
    .values(row)
    .onConflict((oc) => oc.column('version').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Unpaid orders past their time, oldest first, at most `limit` (for the worker's expiry sweep). */
export async function expiredOrders(db: Kysely<Database>, nowMs: number, limit: number): Promise<OrderRow[]> {
  return db
    .selectFrom('gateway_order')
    .selectAll()
    .where('status', '=', 'WAIT_BUYER_PAY')
    .where('expires_at_ms', '<=', nowMs)
    .orderBy('expires_at_ms')
    .limit(limit)
    .execute();
}

/** How many merchant notifications were given up after the last retry (every instance sees the same). */
export async function countExhaustedNotifies(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('gateway_notify')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'failed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What a customer paid merchants since an instant (counted against the payment limits). */
export async function checkoutSpentSinceFen(db: Kysely<Database>, customerId: string, sinceMs: number) {
  const row = await db
    .selectFrom('gateway_order')
    .select((eb) => eb.fn.sum<string | number | null>('total_fen').as('fen'))
    .where('customer_id', '=', customerId)
    .where('paid_at_ms', '>=', sinceMs)
    .executeTakeFirst();
  return Number(row?.fen ?? 0);
}

/**
 * Whether the customer's e-commerce (B2C) function is on: only when it was enabled (at the counter, by
 * the demo seed, or by migration 0810 for customers who existed while it was on for everyone).
 */
export async function ecommerceEnabled(db: Kysely<Database>, customerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('customer_ecommerce')
    .select('status')
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.status === 'enabled';
}

/** Turns a customer's e-commerce function on or off. */
export async function setEcommerce(db: Kysely<Database>, customerId: string, enabled: boolean, nowMs: number) {
  const status = enabled ? ('enabled' as const) : ('disabled' as const);
  await db
    .insertInto('customer_ecommerce')
    .values({ customer_id: customerId, status, updated_at_ms: nowMs })
    .onConflict((oc) => oc.column('customer_id').doUpdateSet({ status, updated_at_ms: nowMs }))
    .execute();
}

/** Inserts an order unless one with the same (app_id, out_trade_no) exists; true when inserted. */
export async function insertOrder(db: Kysely<Database>, row: OrderRow): Promise<boolean> {
  const result = await db
    .insertInto('gateway_order')
    .values(row)
    .onConflict((oc) => oc.columns(['app_id', 'out_trade_no']).doNothing())
    .executeTakeFirst();
  return result.numInsertedOrUpdatedRows === 1n;
}

export type NotifyRow = Selectable<MerchantTables['gateway_notify']>;

export async function insertNotify(trx: Kysely<Database>, row: NotifyRow): Promise<void> {
  await trx.insertInto('gateway_notify').values(row).execute();
}

/** Claims due notifications and leases them to this worker (platform/db/lease.ts, like the SMS outbox). */
export async function claimDueNotifies(trx: Tx, nowMs: number, limit: number, leaseMs: number): Promise<NotifyRow[]> {
  const due = (await claimLeased(trx, 'gateway_notify', { nowMs, limit, leaseMs })) as NotifyRow[];
  return due.map((row) => ({ ...row, attempts: Number(row.attempts) }));
}

/** Records how one delivery went: delivered, or when to try again, or failed for good. */
export async function recordNotify(db: Kysely<Database>, id: string, outcome: Partial<NotifyRow>): Promise<void> {
  await db.updateTable('gateway_notify').set(outcome).where('id', '=', id).execute();
}

/** An order's notifications, oldest first (tests and support). */
export async function notifiesOf(db: Kysely<Database>, tradeNo: string): Promise<NotifyRow[]> {
  const rows = await db
    .selectFrom('gateway_notify')
    .selectAll()
    .where('trade_no', '=', tradeNo)
    .orderBy('created_at_ms')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts) }));
}

export type RefundRow = Selectable<MerchantTables['gateway_refund']>;

/** An order by the merchant's or the bank's number, as the gateway API names it. */
export async function orderOf(
  db: Kysely<Database>,
  appId: string,
  ref: { tradeNo?: string | undefined; outTradeNo?: string | undefined },
  options: { lock?: boolean } = {},
): Promise<OrderRow | undefined> {
  let query = db.selectFrom('gateway_order').selectAll().where('app_id', '=', appId);
  if (ref.tradeNo) query = query.where('trade_no', '=', ref.tradeNo);
  else if (ref.outTradeNo) query = query.where('out_trade_no', '=', ref.outTradeNo);
  else return undefined;
  const row = await (options.lock ? query.forUpdate() : query).executeTakeFirst();
  return row && orderFromDb(row);
}

export async function refundByRequestNo(
  db: Kysely<Database>,
  tradeNo: string,
  outRequestNo: string,
): Promise<RefundRow | undefined> {
  const row = await db
    .selectFrom('gateway_refund')
    .selectAll()
    .where('trade_no', '=', tradeNo)
    .where('out_request_no', '=', outRequestNo)
    .executeTakeFirst();
  return row && { ...row, refund_fen: Number(row.refund_fen), created_at_ms: Number(row.created_at_ms) };
}

export async function insertRefund(trx: Kysely<Database>, row: RefundRow): Promise<void> {
  await trx.insertInto('gateway_refund').values(row).execute();
}
