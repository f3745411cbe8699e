import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import { accountById, customerById, maskNumber } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import { balancesOf } from '../ledger/index.ts';
import { maskName, postEntryAndTell } from '../payments/index.ts';
import { assert } from '../platform/assert.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney, parseMoney } from '../platform/money.ts';
import { closeExpiredOrder } from './checkout.ts';
import { enqueueTradeNotify } from './notify.ts';
import { bankSigningKey, gatewayStamp, type MerchantDeps, verifiedMerchant } from './service.ts';
import { signText } from './signing.ts';
import { isStatementDate, merchantStatementCsv } from './statement.ts';
import { insertRefund, type MerchantRow, type OrderRow, orderOf, refundByRequestNo, updateOrder } from './store.ts';

/**
 * `POST /gateway/v1/api` (API.md "Merchant gateway"): the merchant's server asks about, closes and refunds
 * its orders with a signed form, and gets JSON `{"<method>_response": {...}, "sign": "..."}`, signed by
 * the bank over the response object's JSON text, with the codes merchants know from the page-pay gateways
 * they already integrate: 10000 success, 40002 invalid arguments, 40004 business failure (`sub_code`).
 */
export const API_METHODS = [
  'jinku.trade.query',
  'jinku.trade.close',
  'jinku.trade.refund',
  'jinku.trade.refund.query',
  'jinku.data.statement.query',
] as const;
type ApiMethod = (typeof API_METHODS)[number];

type Fields = Record<string, string>;
type Reply = { code: string; msg: string } & Fields;

const success = (fields: Fields): Reply => ({ code: '10000', msg: 'Success', ...fields });
const invalidArguments = (subCode: string, subMsg: string): Reply => ({
  code: '40002',
  msg: 'Invalid Arguments',
  sub_code: subCode,
  sub_msg: subMsg,
});
const businessFailure = (subCode: string, subMsg: string): Reply => ({
  code: '40004',
  msg: 'Business Failed',
  sub_code: subCode,
  sub_msg: subMsg,
});

/** A business refusal raised inside a transaction (which it rolls back), answered as a 40004. */
class Refusal extends Error {
  readonly reply: Reply;
  constructor(subCode: string, subMsg: string) {
    super(subCode);
    this.reply = businessFailure(subCode, subMsg);
  }
}

const OUT_NO = /^[\x21-\x7e]{1,64}$/;
const AMOUNT = /^\d{1,12}\.\d{2}$/;

function isApiMethod(text: string | undefined): text is ApiMethod {
  return (API_METHODS as readonly string[]).includes(text ?? '');
}

/**
 * The signed JSON text of an answer: `{"<key>":<reply>,"sign":"<base64>","sign_key_version":"<n>"}`,
 * signed over `<reply>`. `sign_key_version` (an addition to API.md's fields) names the bank key that
 * signed, for merchants switching keys during a rotation's overlap.
 */
async function signedBody(db: Kysely<Database>, deps: MerchantDeps, key: string, reply: Reply): Promise<string> {
  const text = JSON.stringify(reply);
  const signing = await bankSigningKey(db, deps);
  const sign = signText(text, signing.key);
  return `{${JSON.stringify(key)}:${text},"sign":${JSON.stringify(sign)},"sign_key_version":"${signing.version}"}`;
}

/** Answers one gateway API request as the signed JSON text to send (always HTTP 200, as merchants expect). */
export async function gatewayApi(
  db: Kysely<Database>,
  deps: MerchantDeps,
  params: Fields | null,
  request: { ip?: string } = {},
): Promise<string> {
  const method = params?.method;
  const key = isApiMethod(method) ? `${method.replaceAll('.', '_')}_response` : 'error_response';
  return signedBody(db, deps, key, await answer(db, deps, params, method, request));
}

async function answer(
  db: Kysely<Database>,
  deps: MerchantDeps,
  params: Fields | null,
  method: string | undefined,
  request: { ip?: string },
): Promise<Reply> {
  if (!params) return invalidArguments('isv.invalid-parameter', 'malformed form');
  let merchant: MerchantRow;
  try {
    merchant = await verifiedMerchant(db, deps, params, request);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const known: Record<string, string> = {
      'gateway.app_unknown': 'isv.invalid-app-id',
      'gateway.sign_invalid': 'isv.invalid-signature',
      'gateway.timestamp_invalid': 'isv.invalid-timestamp',
    };
    return invalidArguments(known[error.code] ?? 'isv.invalid-parameter', error.code);
  }
  if (!isApiMethod(method)) return invalidArguments('isv.invalid-method', 'unknown method');
  if (params.version !== '1.0') return invalidArguments('isv.invalid-parameter', 'version');
  let biz: unknown;
  try {
    biz = JSON.parse(params.biz_content ?? '');
  } catch {
    return invalidArguments('isv.invalid-parameter', 'biz_content');
  }
  if (typeof biz !== 'object' || biz === null || Array.isArray(biz)) {
    return invalidArguments('isv.invalid-parameter', 'biz_content');
  }
  const fields: Fields = {};
  for (const [name, value] of Object.entries(biz)) if (typeof value === 'string') fields[name] = value;
  if (method === 'jinku.data.statement.query') {
    // The day's reconciliation CSV, in the signed answer itself (the same file as the CLI writes).
    const date = fields.bill_date ?? '';
    if (!isStatementDate(date)) return invalidArguments('isv.invalid-parameter', 'bill_date');
    return success({ bill_date: date, statement_csv: await merchantStatementCsv(db, merchant.app_id, date) });
  }
  const tradeNo = fields.trade_no;
  const outTradeNo = fields.out_trade_no;
  if (
    (tradeNo === undefined || !/^\d{8,40}$/.test(tradeNo)) &&
    (outTradeNo === undefined || !OUT_NO.test(outTradeNo))
  ) {
    return invalidArguments('isv.missing-parameter', 'out_trade_no or trade_no');
  }
  const ref = { tradeNo, outTradeNo };
  try {
    switch (method) {
      case 'jinku.trade.query':
        return await queryTrade(db, deps, merchant, ref);
      case 'jinku.trade.close':
        return await closeTrade(db, deps, merchant, ref, request.ip ?? null);
      case 'jinku.trade.refund':
        return await refundTrade(db, deps, merchant, ref, fields, request.ip ?? null);
      case 'jinku.trade.refund.query':
        return await queryRefund(db, merchant, ref, fields);
      default:
        return invalidArguments('isv.invalid-method', 'unknown method');
    }
  } catch (error) {
    if (error instanceof Refusal) return error.reply;
    throw error;
  }
}

type Ref = { tradeNo?: string | undefined; outTradeNo?: string | undefined };

const notFound = () => new Refusal('ACQ.TRADE_NOT_EXIST', 'no such trade');

/** The trade fields every answer about an order carries. */
function tradeFields(order: OrderRow): Fields {
  return {
    trade_no: order.trade_no,
    out_trade_no: order.out_trade_no,
    trade_status: order.status,
    total_amount: formatMoney(order.total_fen),
  };
}

async function queryTrade(db: Kysely<Database>, deps: MerchantDeps, merchant: MerchantRow, ref: Ref) {
  let order = await orderOf(db, merchant.app_id, ref);
  if (!order) throw notFound();
  if (order.status === 'WAIT_BUYER_PAY' && order.expires_at_ms <= deps.clock.nowMs()) {
    await closeExpiredOrder(db, deps, order);
    order = (await orderOf(db, merchant.app_id, ref)) ?? order;
  }
  return success({
    ...tradeFields(order),
    refund_amount: formatMoney(order.refunded_fen),
    ...(order.paid_at_ms !== null
      ? { buyer_pay_amount: formatMoney(order.total_fen), send_pay_date: gatewayStamp(order.paid_at_ms) }
      : {}),
  });
}

/** Closes an unpaid order (and tells the merchant's notify URL); closing a closed one again is no change. */
async function closeTrade(
  db: Kysely<Database>,
  deps: MerchantDeps,
  merchant: MerchantRow,
  ref: Ref,
  ip: string | null,
) {
  return withTransaction(db, async (trx) => {
    const order = await orderOf(trx, merchant.app_id, ref, { lock: true });
    if (!order) throw notFound();
    if (order.status === 'TRADE_CLOSED' && order.refunded_fen === 0) return success(tradeFields(order));
    if (order.status !== 'WAIT_BUYER_PAY') throw new Refusal('ACQ.TRADE_STATUS_ERROR', 'the trade is paid or closed');
    const nowMs = deps.clock.nowMs();
    const closed: OrderRow = { ...order, status: 'TRADE_CLOSED', closed_at_ms: nowMs };
    await updateOrder(trx, order.trade_no, { status: 'TRADE_CLOSED', closed_at_ms: nowMs });
    await appendAudit(trx, {
      kind: 'gateway.order_closed',
      atMs: nowMs,
      actor: { type: 'anonymous' },
      subject: { type: 'gateway_order', id: order.trade_no },
      ip,
      details: { appId: merchant.app_id },
    });
    await enqueueTradeNotify(trx, closed, nowMs);
    return success(tradeFields(closed));
  });
}

/**
 * Refunds part or all of a paid order to the account that paid it: one journal entry from the merchant's
 * settlement account back to the customer's, each out_request_no once (the same one again answers the
 * first refund and moves nothing), never above what was paid. The order row is locked first, so two
 * refunds of one order run one after the other. A full refund closes the trade.
 */
async function refundTrade(
  db: Kysely<Database>,
  deps: MerchantDeps,
  merchant: MerchantRow,
  ref: Ref,
  fields: Fields,
  ip: string | null,
) {
  const outRequestNo = fields.out_request_no;
  if (outRequestNo === undefined || !OUT_NO.test(outRequestNo)) {
    return invalidArguments('isv.missing-parameter', 'out_request_no');
  }
  const amountText = fields.refund_amount ?? '';
  const amount = AMOUNT.test(amountText) ? parseMoney(amountText) : null;
  if (!amount?.ok || amount.fen <= 0) return invalidArguments('isv.invalid-parameter', 'refund_amount');
  const refundFen = amount.fen;
  return withTransaction(db, async (trx) => {
    const order = await orderOf(trx, merchant.app_id, ref, { lock: true });
    if (!order) throw notFound();
    const done = await refundByRequestNo(trx, order.trade_no, outRequestNo);
    if (done) {
      if (done.refund_fen !== refundFen) {
        throw new Refusal('ACQ.REFUND_REQUEST_CONFLICT', 'this out_request_no refunded another amount');
      }
      return success({
        ...tradeFields(order),
        out_request_no: outRequestNo,
        refund_amount: formatMoney(done.refund_fen),
        refund_fee: formatMoney(order.refunded_fen),
        fund_change: 'N',
      });
    }
    if (order.status !== 'TRADE_SUCCESS' || !order.entry_id) {
      throw new Refusal('ACQ.TRADE_STATUS_ERROR', 'only a paid trade can be refunded');
    }
    if (order.refunded_fen + refundFen > order.total_fen) {
      throw new Refusal('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', 'the refunds would exceed what was paid');
    }
    // Money goes back only into an account that can take it, and out of one that may pay: a closed or
    // frozen account on either side is refused, and the merchant settles with the payer another way.
    const payerAccount = order.from_account_id ? await accountById(trx, order.from_account_id) : undefined;
    if (payerAccount?.status !== 'active') {
      throw new Refusal('ACQ.BUYER_ACCOUNT_UNAVAILABLE', "the payer's account is closed or frozen");
    }
    const settlement = await accountById(trx, merchant.settlement_account_id);
    if (settlement?.status !== 'active') {
      throw new Refusal('ACQ.SELLER_ACCOUNT_UNAVAILABLE', "the merchant's settlement account is closed or frozen");
    }
    const balance = (await balancesOf(trx, [merchant.settlement_account_id])).get(merchant.settlement_account_id);
    if ((balance?.availableFen ?? 0) < refundFen) {
      throw new Refusal('ACQ.SELLER_BALANCE_NOT_ENOUGH', "the merchant's settlement account cannot cover it");
    }
    const refunded = await postRefund(trx, deps, merchant, order, { outRequestNo, refundFen, ip });
    return success({
      ...tradeFields(refunded),
      out_request_no: outRequestNo,
      refund_amount: formatMoney(refundFen),
      refund_fee: formatMoney(refunded.refunded_fen),
      fund_change: 'Y',
    });
  });
}

async function postRefund(
  trx: Tx,
  deps: MerchantDeps,
  merchant: MerchantRow,
  order: OrderRow,
  refund: { outRequestNo: string; refundFen: number; ip: string | null },
): Promise<OrderRow> {
  const nowMs = deps.clock.nowMs();
  assert(order.customer_id && order.from_account_id, 'a paid order has a payer');
  const payer = await customerById(trx, order.customer_id);
  const to = await accountById(trx, order.from_account_id);
  assert(payer && to, 'the paying customer and account exist');
  const toNumber = to.card_number ?? to.account_number;
  const id = newId<'GatewayRefund'>();
  // The reverse of part of the payment's entry: the same two accounts, the other way round.
  // Both owners are told: the payer of the money back, the merchant of the money out of its account.
  assert(order.entry_id, 'a paid order has its entry');
  // Posted as a partial reversal of the payment's entry: the ledger links the two and refuses refunds
  // that together would move back more than the payment moved.
  const entry = await postEntryAndTell(trx, {
    kind: 'merchant_refund',
    reference: id,
    reversesPartOf: order.entry_id,
    memo: `退款 ${order.subject}`.slice(0, 200),
    postedAtMs: nowMs,
    postings: [
      {
        accountId: merchant.settlement_account_id,
        amountFen: -refund.refundFen,
        counterparty: `${maskName(payer.name)} ${maskNumber(toNumber)}`,
      },
      { accountId: to.id, amountFen: refund.refundFen, counterparty: merchant.name },
    ],
  });
  await insertRefund(trx, {
    id,
    trade_no: order.trade_no,
    out_request_no: refund.outRequestNo,
    refund_fen: refund.refundFen,
    entry_id: entry.entryId,
    created_at_ms: nowMs,
  });
  const refundedFen = order.refunded_fen + refund.refundFen;
  const full = refundedFen === order.total_fen;
  const changes = full
    ? { refunded_fen: refundedFen, status: 'TRADE_CLOSED' as const, closed_at_ms: nowMs }
    : { refunded_fen: refundedFen };
  await updateOrder(trx, order.trade_no, changes);
  const updated: OrderRow = { ...order, ...changes };
  await appendAudit(trx, {
    kind: 'gateway.refunded',
    atMs: nowMs,
    actor: { type: 'anonymous' },
    subject: { type: 'gateway_order', id: order.trade_no },
    ip: refund.ip,
    details: {
      appId: merchant.app_id,
      outRequestNo: refund.outRequestNo.slice(0, 64),
      amount: formatMoney(refund.refundFen),
      entryId: entry.entryId,
    },
  });
  await enqueueTradeNotify(trx, updated, nowMs);
  return updated;
}

async function queryRefund(db: Kysely<Database>, merchant: MerchantRow, ref: Ref, fields: Fields) {
  const outRequestNo = fields.out_request_no;
  if (outRequestNo === undefined || !OUT_NO.test(outRequestNo)) {
    return invalidArguments('isv.missing-parameter', 'out_request_no');
  }
  const order = await orderOf(db, merchant.app_id, ref);
  if (!order) throw notFound();
  const refund = await refundByRequestNo(db, order.trade_no, outRequestNo);
  // As merchants know it: an unknown refund is a successful query with no refund in it.
  if (!refund)
    return success({ trade_no: order.trade_no, out_trade_no: order.out_trade_no, out_request_no: outRequestNo });
  return success({
    trade_no: order.trade_no,
    out_trade_no: order.out_trade_no,
    out_request_no: outRequestNo,
    total_amount: formatMoney(order.total_fen),
    refund_amount: formatMoney(refund.refund_fen),
    refund_status: 'REFUND_SUCCESS',
    gmt_refund_pay: gatewayStamp(refund.created_at_ms),
  });
}
