import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import { accountById, customerById, maskNumber } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import { balancesOf, ledgerErrors, requestHash } from '../ledger/index.ts';
import {
  type AuthMethod,
  type AuthorizationView,
  refusal,
  requestAuthorization,
  verifyAuthorization,
} from '../media/index.ts';
import { smsText } from '../notify/index.ts';
import {
  AUTHORIZE_WITHIN_SECONDS,
  checkPaymentLimits,
  type IdempotencyRef,
  idempotently,
  maskName,
  methodsForAmount,
  type Outcome,
  paymentErrors,
  postPayment,
} from '../payments/index.ts';
import { assert } from '../platform/assert.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney, money } from '../platform/money.ts';
import { merchantErrors as errors } from './errors.ts';
import { enqueueTradeNotify } from './notify.ts';
import { bankSigningKey, gatewayStamp } from './service.ts';

export { gatewayStamp };
import { signParams } from './signing.ts';
import {
  closeOrderIfExpired,
  ecommerceEnabled,
  type MerchantRow,
  merchantByAppId,
  type OrderRow,
  orderByTradeNo,
  updateOrder,
} from './store.ts';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;
type Deps = Pick<AppContext, 'config' | 'clock'>;

/** The purpose under which a checkout's challenges are issued and checked. */
const CHECKOUT_PURPOSE = 'checkout.payment';

export type CheckoutView = {
  tradeNo: string;
  merchant: { name: string };
  subject: string;
  amount: { amount: string; currency: 'CNY' };
  status: OrderRow['status'];
  expiresAt: string;
};

export type CheckoutAnswer = {
  status: 'authorization_required' | 'completed';
  authorization?: AuthorizationView;
  returnUrl?: string;
};

/**
 * An order and its merchant; an unpaid order past its time is closed first (in its own transaction), so
 * whoever looks sees TRADE_CLOSED and nobody can pay it.
 */
async function orderAndMerchant(db: Kysely<Database>, deps: Deps, tradeNo: string) {
  if (!/^\d{8,40}$/.test(tradeNo)) throw new AppError(errors['checkout.not_found']);
  let order = await orderByTradeNo(db, tradeNo);
  if (!order) throw new AppError(errors['checkout.not_found']);
  if (order.status === 'WAIT_BUYER_PAY' && order.expires_at_ms <= deps.clock.nowMs()) {
    await closeExpiredOrder(db, deps, order);
    order = { ...order, status: 'TRADE_CLOSED' };
  }
  const merchant = await merchantByAppId(db, order.app_id);
  assert(merchant, 'an order belongs to a merchant');
  return { order, merchant };
}

/** Closes an expired order and tells the merchant (the close is a status change too). */
export async function closeExpiredOrder(db: Kysely<Database>, deps: Deps, order: OrderRow): Promise<void> {
  await withTransaction(db, async (trx) => {
    const nowMs = deps.clock.nowMs();
    if (!(await closeOrderIfExpired(trx, order.trade_no, nowMs))) return;
    await appendAudit(trx, {
      kind: 'gateway.order_expired',
      atMs: nowMs,
      actor: { type: 'system' },
      subject: { type: 'gateway_order', id: order.trade_no },
      ip: null,
      details: { appId: order.app_id },
    });
    await enqueueTradeNotify(trx, { ...order, status: 'TRADE_CLOSED', closed_at_ms: nowMs }, nowMs);
  });
}

/** GET /api/v1/checkout/{tradeNo}: what the checkout page shows. */
export async function checkoutOf(ctx: Ctx, tradeNo: string): Promise<CheckoutView> {
  const { order, merchant } = await orderAndMerchant(ctx.db.kysely, ctx, tradeNo);
  return {
    tradeNo: order.trade_no,
    merchant: { name: merchant.name },
    subject: order.subject,
    amount: money(order.total_fen),
    status: order.status,
    expiresAt: isoTime(order.expires_at_ms),
  };
}

/**
 * The customer's way back to the shop: the return_url with the signed result appended (API.md: for
 * display only; the merchant trusts the notify or a query). Null when the merchant gave none.
 */
export async function signedReturnUrl(db: Kysely<Database>, deps: Deps, order: OrderRow, merchant: MerchantRow) {
  if (!order.return_url) return null;
  const params: Record<string, string> = {
    app_id: merchant.app_id,
    out_trade_no: order.out_trade_no,
    trade_no: order.trade_no,
    total_amount: formatMoney(order.total_fen),
    trade_status: order.status,
    timestamp: gatewayStamp(deps.clock.nowMs()),
    sign_type: merchant.sign_type,
  };
  const signing = await bankSigningKey(db, deps);
  params.sign_key_version = String(signing.version);
  const sign = signParams(params, signing.key);
  const url = new URL(order.return_url);
  for (const [name, value] of Object.entries({ ...params, sign })) url.searchParams.set(name, value);
  return url.toString();
}

/** The paying account must be the customer's own and active (the same answers as a transfer's). */
async function checkPayingAccount(trx: Kysely<Database>, customerId: string, accountId: string) {
  const from = await accountById(trx, accountId);
  if (!from || from.customer_id !== customerId) throw new AppError(paymentErrors['payment.account_not_found']);
  if (from.status !== 'active') {
    throw new AppError(paymentErrors['payment.account_unavailable'], { status: from.status });
  }
  return from;
}

/**
 * The merchant's settlement account must be able to receive: a closed or frozen account takes no
 * money in, whoever pays it.
 */
async function checkSettlementAccount(trx: Kysely<Database>, merchant: MerchantRow) {
  const settlement = await accountById(trx, merchant.settlement_account_id);
  if (settlement?.status !== 'active') throw new AppError(errors['checkout.merchant_unavailable']);
}

/**
 * One customer's pending authorization is theirs until it is answered or its time runs out: another
 * customer who knows the trade number is refused, rather than overwriting it (and with it the first
 * customer's challenge).
 */
function checkNotAwaitingAnother(order: OrderRow, customerId: string, nowMs: number) {
  if (order.customer_id && order.customer_id !== customerId && order.auth_ref && (order.authorize_by_ms ?? 0) > nowMs) {
    throw new AppError(errors['checkout.in_progress_elsewhere']);
  }
}

/** An order the customer may still pay: waiting, not expired, not paid. */
function checkPayable(order: OrderRow, nowMs: number) {
  if (order.status === 'TRADE_SUCCESS' || order.status === 'TRADE_FINISHED') {
    throw new AppError(errors['checkout.already_paid']);
  }
  if (order.status !== 'WAIT_BUYER_PAY' || order.expires_at_ms <= nowMs) {
    throw new AppError(errors['checkout.order_closed']);
  }
}

/**
 * What a checkout's challenge is bound to: the order, its merchant, its amount and the paying account.
 * An answer given for one order cannot pay another, another merchant or another amount.
 */
export function checkoutBinding(order: Pick<OrderRow, 'trade_no' | 'app_id' | 'total_fen'>, fromAccountId: string) {
  return `checkout:${order.trade_no}:${order.app_id}:${order.total_fen}:${fromAccountId}`;
}

/**
 * POST /api/v1/checkout/{tradeNo}/pay: checks the order, the customer's e-commerce function, the paying
 * account, the limits and the balance, and asks the customer's medium for a challenge bound to merchant,
 * order and amount. Run at most once per Idempotency-Key.
 */
export async function startCheckout(
  ctx: Ctx,
  input: {
    customerId: string;
    tradeNo: string;
    fromAccountId: string;
    method?: AuthMethod | undefined;
    ip: string | null;
    idempotency: { key: string; method: string; url: string; body: unknown } | null;
  },
): Promise<Outcome> {
  const deps = { config: ctx.config, clock: ctx.clock };
  await orderAndMerchant(ctx.db.kysely, deps, input.tradeNo);
  const ref: IdempotencyRef | null = input.idempotency && {
    scope: `checkout:${input.customerId}`,
    key: input.idempotency.key,
    requestHash: requestHash(input.idempotency.method, input.idempotency.url, input.idempotency.body),
  };
  const outcome = await idempotently(ctx, ref, async (trx) => {
    const nowMs = deps.clock.nowMs();
    const order = await orderByTradeNo(trx, input.tradeNo, { lock: true });
    if (!order) throw new AppError(errors['checkout.not_found']);
    checkPayable(order, nowMs);
    checkNotAwaitingAnother(order, input.customerId, nowMs);
    const merchant = await merchantByAppId(trx, order.app_id);
    assert(merchant, 'an order belongs to a merchant');
    if (!(await ecommerceEnabled(trx, input.customerId))) throw new AppError(errors['checkout.ecommerce_disabled']);
    await checkSettlementAccount(trx, merchant);
    await checkPayingAccount(trx, input.customerId, input.fromAccountId);
    await checkPaymentLimits(trx, deps.config, { customerId: input.customerId, amountFen: order.total_fen, nowMs });
    await checkAvailable(trx, input.fromAccountId, order.total_fen);
    const asked = await askForCheckoutAuthorization(trx, deps, order, merchant, {
      customerId: input.customerId,
      fromAccountId: input.fromAccountId,
      method: input.method,
    });
    await appendAudit(trx, {
      kind: 'checkout.started',
      atMs: nowMs,
      actor: { type: 'customer', id: input.customerId },
      subject: { type: 'gateway_order', id: order.trade_no },
      ip: input.ip,
      details: { appId: order.app_id, amount: formatMoney(order.total_fen), method: asked.authorization.method },
    });
    const body: CheckoutAnswer = { status: 'authorization_required', authorization: asked.authorization };
    return { status: 200, body };
  });
  if (!outcome.replayed) ctx.kickOutbox();
  return outcome;
}

/** Asks the payer's medium for a challenge bound to the order and records it as the one the order awaits. */
async function askForCheckoutAuthorization(
  trx: Tx,
  deps: Deps,
  order: OrderRow,
  merchant: MerchantRow,
  payer: { customerId: string; fromAccountId: string; method?: AuthMethod | undefined },
) {
  const customer = await customerById(trx, payer.customerId);
  assert(customer, 'the paying customer exists');
  const settlement = await accountById(trx, merchant.settlement_account_id);
  const settlementNumber = settlement?.account_number ?? order.trade_no;
  const asked = await requestAuthorization(trx, deps, {
    customerId: customer.id,
    mobile: customer.mobile,
    purpose: CHECKOUT_PURPOSE,
    binding: checkoutBinding(order, payer.fromAccountId),
    method: payer.method,
    accepted: methodsForAmount(deps.config, order.total_fen),
    payeeAccountNumber: settlementNumber,
    // The code's SMS names the merchant and the amount it is bound to (the transfer text: the money
    // goes to the merchant's settlement account).
    smsText: (code, validMinutes) =>
      smsText('transfer.otp', {
        code,
        payeeLast4: settlementNumber.slice(-4),
        payeeName: merchant.name,
        amount: formatMoney(order.total_fen),
        minutes: validMinutes,
      }),
  });
  await updateOrder(trx, order.trade_no, {
    customer_id: payer.customerId,
    from_account_id: payer.fromAccountId,
    auth_method: asked.authorization.method,
    auth_ref: asked.challengeId,
    authorize_by_ms: deps.clock.nowMs() + AUTHORIZE_WITHIN_SECONDS * 1000,
  });
  return asked;
}

/**
 * POST /api/v1/checkout/{tradeNo}/challenge: a fresh challenge (a resend, or another medium among the
 * alternatives) for the payment the customer started.
 */
export async function resendCheckoutChallenge(
  ctx: Ctx,
  input: { customerId: string; tradeNo: string; method?: AuthMethod | undefined },
): Promise<CheckoutAnswer> {
  const deps = { config: ctx.config, clock: ctx.clock };
  const answer = await withTransaction(ctx.db.kysely, async (trx) => {
    const order = await orderByTradeNo(trx, input.tradeNo, { lock: true });
    if (!order) throw new AppError(errors['checkout.not_found']);
    checkPayable(order, deps.clock.nowMs());
    if (order.customer_id !== input.customerId || !order.from_account_id) {
      throw new AppError(errors['checkout.not_awaiting_authorization']);
    }
    const merchant = await merchantByAppId(trx, order.app_id);
    assert(merchant, 'an order belongs to a merchant');
    const asked = await askForCheckoutAuthorization(trx, deps, order, merchant, {
      customerId: input.customerId,
      fromAccountId: order.from_account_id,
      method: input.method,
    });
    return { status: 'authorization_required' as const, authorization: asked.authorization };
  });
  ctx.kickOutbox();
  return answer;
}

type AuthorizeResult = { ok: true; order: OrderRow; merchant: MerchantRow } | { ok: false; error: AppError };

/**
 * POST /api/v1/checkout/{tradeNo}/authorize: checks the answer to the order's challenge and, if right,
 * pays: one journal entry from the customer's account to the merchant's settlement account, counted
 * against the customer's limits in the same transaction. Answers the signed way back to the shop.
 */
export async function authorizeCheckout(
  ctx: Ctx,
  input: {
    customerId: string;
    tradeNo: string;
    method: string;
    response: string | Record<string, unknown>;
    ip: string | null;
  },
): Promise<CheckoutAnswer> {
  const deps = { config: ctx.config, clock: ctx.clock };
  await orderAndMerchant(ctx.db.kysely, deps, input.tradeNo);
  const result = await withTransaction(ctx.db.kysely, (trx) => authorizeIn(trx, deps, input));
  // A wrong answer is thrown only now, after the used-up try has been committed.
  if (!result.ok) throw result.error;
  ctx.kickOutbox();
  const returnUrl = await signedReturnUrl(ctx.db.kysely, deps, result.order, result.merchant);
  return { status: 'completed', ...(returnUrl ? { returnUrl } : {}) };
}

async function authorizeIn(
  trx: Tx,
  deps: Deps,
  input: {
    customerId: string;
    tradeNo: string;
    method: string;
    response: string | Record<string, unknown>;
    ip: string | null;
  },
): Promise<AuthorizeResult> {
  const nowMs = deps.clock.nowMs();
  const order = await orderByTradeNo(trx, input.tradeNo, { lock: true });
  if (!order) throw new AppError(errors['checkout.not_found']);
  checkPayable(order, nowMs);
  if (order.customer_id !== input.customerId || !order.auth_ref || !order.from_account_id) {
    throw new AppError(errors['checkout.not_awaiting_authorization']);
  }
  if ((order.authorize_by_ms ?? 0) <= nowMs) {
    return { ok: false, error: new AppError(errors['checkout.authorization_expired']) };
  }
  const check = await verifyAuthorization(trx, deps, {
    customerId: input.customerId,
    challengeId: order.auth_ref,
    purpose: CHECKOUT_PURPOSE,
    binding: checkoutBinding(order, order.from_account_id),
    method: input.method,
    response: input.response,
    ip: input.ip,
  });
  if (!check.ok) {
    await appendAudit(trx, {
      kind: 'checkout.authorization_failed',
      atMs: nowMs,
      actor: { type: 'customer', id: input.customerId },
      subject: { type: 'gateway_order', id: order.trade_no },
      ip: input.ip,
      details: { reason: check.error.code, method: input.method },
    });
    return { ok: false, error: refusal(check) };
  }
  const merchant = await merchantByAppId(trx, order.app_id);
  assert(merchant, 'an order belongs to a merchant');
  // Between the challenge and the answer the account may have been frozen or the limits used up by
  // another payment: check again, under the customer's lock (checkPaymentLimits takes it).
  if (!(await ecommerceEnabled(trx, input.customerId))) throw new AppError(errors['checkout.ecommerce_disabled']);
  await checkPayingAccount(trx, input.customerId, order.from_account_id);
  await checkSettlementAccount(trx, merchant);
  await checkPaymentLimits(trx, deps.config, { customerId: input.customerId, amountFen: order.total_fen, nowMs });
  const paid = await postCheckoutPayment(trx, deps, order, merchant, input.ip);
  return { ok: true, order: paid, merchant };
}

/** Posts the paid order's journal entry, marks it paid, tells the payer and queues the merchant's notify. */
async function postCheckoutPayment(
  trx: Tx,
  deps: Deps,
  order: OrderRow,
  merchant: MerchantRow,
  ip: string | null,
): Promise<OrderRow> {
  const nowMs = deps.clock.nowMs();
  assert(order.customer_id && order.from_account_id, 'a paid order has a payer');
  const payer = await customerById(trx, order.customer_id);
  const from = await accountById(trx, order.from_account_id);
  assert(payer && from, 'the paying customer and account exist');
  const fromNumber = from.card_number ?? from.account_number;
  const entry = await postPayment(trx, {
    entry: {
      id: newId<'JournalEntry'>(),
      kind: 'merchant_payment',
      reference: order.trade_no,
      memo: `网上支付 ${order.subject}`.slice(0, 200),
      postedAtMs: nowMs,
      postings: [
        // The history names the merchant: that is whom the customer paid.
        { accountId: order.from_account_id, amountFen: -order.total_fen, counterparty: merchant.name },
        {
          accountId: merchant.settlement_account_id,
          amountFen: order.total_fen,
          counterparty: `${maskName(payer.name)} ${maskNumber(fromNumber)}`,
        },
      ],
    },
    payer,
    from,
    amountFen: order.total_fen,
    audit: (entryId) => ({
      kind: 'checkout.paid',
      atMs: nowMs,
      actor: { type: 'customer', id: payer.id },
      subject: { type: 'gateway_order', id: order.trade_no },
      ip,
      details: { appId: merchant.app_id, amount: formatMoney(order.total_fen), entryId },
    }),
  });
  const paid: OrderRow = { ...order, status: 'TRADE_SUCCESS', entry_id: entry.entryId, paid_at_ms: nowMs };
  await updateOrder(trx, order.trade_no, { status: 'TRADE_SUCCESS', entry_id: entry.entryId, paid_at_ms: nowMs });
  await enqueueTradeNotify(trx, paid, nowMs);
  return paid;
}

/** An early, friendly refusal; the posting itself checks again under the row lock. */
async function checkAvailable(trx: Kysely<Database>, accountId: string, amountFen: number) {
  const balance = (await balancesOf(trx, [accountId])).get(accountId);
  assert(balance, 'every customer account has a ledger account');
  if (balance.availableFen < amountFen) throw new AppError(ledgerErrors['payment.insufficient_funds']);
}
