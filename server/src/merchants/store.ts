import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.ts';

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

function orderFromDb(row: OrderRow): OrderRow {
  return {
    ...row,
    total_fen: Number(row.total_fen),
    expires_at_ms: Number(row.expires_at_ms),
    created_at_ms: Number(row.created_at_ms),
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

export async function orderByTradeNo(db: Kysely<Database>, tradeNo: string): Promise<OrderRow | undefined> {
  const row = await db.selectFrom('gateway_order').selectAll().where('trade_no', '=', tradeNo).executeTakeFirst();
  return row && orderFromDb(row);
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
