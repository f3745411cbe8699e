import { accountById, customerById, maskNumber } from '../customers/index.ts';
import { requestHash } from '../ledger/index.ts';
import type { AuthMethod } from '../media/index.ts';
import { type IdempotencyRef, idempotently, type Outcome } from '../payments/index.ts';
import { chinaStamp } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError, type Lang } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { money } from '../platform/money.ts';
import { CATEGORY_NAMES, TOP_UP_CHOICES_FEN } from './catalogue.ts';
import { billErrors as errors } from './errors.ts';
import {
  askForBillAuthorization,
  authorizeBillPayment,
  billerFor,
  createBillPayment,
  lookUpBill,
  normaliseBillAccount,
} from './payment.ts';
import { renderBillReceiptPdf } from './receipt.ts';
import type { BillQueryView } from './schema.ts';
import {
  activeBillers,
  type BillerRow,
  billerById,
  billPaymentById,
  countSavedBillAccounts,
  deleteSavedBillAccount,
  insertSavedBillAccount,
  MAX_SAVED_BILL_ACCOUNTS,
  savedBillAccount,
  savedBillAccounts,
} from './store.ts';
import { billerName, billerView, billPaymentView, savedBillAccountView } from './view.ts';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

const depsOf = (ctx: Ctx) => ({ config: ctx.config, clock: ctx.clock });

/** The biller catalogue (GET /billers). */
export async function billerList(ctx: Ctx, lang: Lang) {
  return { items: (await activeBillers(ctx.db.kysely)).map((row) => billerView(row, lang)) };
}

/** Asks the biller what is due on a bill account (POST /bills/query). Nothing is stored. */
export async function queryBill(
  ctx: Ctx,
  input: { billerId: string; billAccount: string; lang: Lang },
): Promise<BillQueryView> {
  const db = ctx.db.kysely;
  const billAccount = normaliseBillAccount(input.billAccount);
  const biller = await billerFor(db, input.billerId, billAccount);
  const bill = await lookUpBill(db, depsOf(ctx), biller, billAccount);
  return {
    billerId: biller.id,
    billerName: billerName(biller, input.lang),
    billAccount,
    holderName: bill.holderName,
    amountDue: bill.amountDueFen === null ? null : money(bill.amountDueFen),
    period: bill.period,
    ...(bill.amountDueFen === null ? { topUpChoices: TOP_UP_CHOICES_FEN.map(money) } : {}),
  };
}

export type BillPaymentRequest = {
  customerId: string;
  billerId: string;
  billAccount: string;
  fromAccountId: string;
  amountFen: number;
  ip: string | null;
  lang: Lang;
  idempotency: { key: string; method: string; url: string; body: unknown } | null;
};

/** Starts a bill payment (POST /bills/payments), at most once per Idempotency-Key. */
export async function startBillPayment(ctx: Ctx, input: BillPaymentRequest): Promise<Outcome> {
  const ref: IdempotencyRef | null = input.idempotency && {
    scope: `bill:${input.customerId}`,
    key: input.idempotency.key,
    requestHash: requestHash(input.idempotency.method, input.idempotency.url, input.idempotency.body),
  };
  const outcome = await idempotently(ctx, ref, async (trx) => {
    const { row, biller, authorization } = await createBillPayment(trx, depsOf(ctx), input);
    return { status: 201, body: billPaymentView(row, biller, input.lang, authorization) };
  });
  if (!outcome.replayed) ctx.kickOutbox();
  return outcome;
}

/** Confirms a bill payment with the answer to its challenge (POST /bills/payments/{id}/authorize). */
export async function confirmBillPayment(
  ctx: Ctx,
  input: {
    customerId: string;
    paymentId: string;
    method: string;
    response: string | Record<string, unknown>;
    ip: string | null;
    lang: Lang;
  },
) {
  const result = await withTransaction(ctx.db.kysely, (trx) => authorizeBillPayment(trx, depsOf(ctx), input));
  // A wrong answer is thrown only now, after the used-up try has been committed.
  if (!result.ok) throw result.error;
  ctx.kickOutbox();
  return billPaymentView(result.row, result.biller, input.lang);
}

/** A fresh challenge for a bill payment still awaiting authorization: a resend, or another medium. */
export async function resendBillChallenge(
  ctx: Ctx,
  input: { customerId: string; paymentId: string; method?: AuthMethod | undefined; lang: Lang },
) {
  const view = await withTransaction(ctx.db.kysely, async (trx) => {
    const { row, biller } = await ownPayment(trx, input.customerId, input.paymentId, { lock: true });
    if (row.status !== 'authorization_required') {
      throw new AppError(errors['bills.not_awaiting_authorization'], { status: row.status });
    }
    if (row.authorize_by_ms <= ctx.clock.nowMs()) throw new AppError(errors['bills.authorization_expired']);
    const asked = await askForBillAuthorization(trx, depsOf(ctx), row, biller, input.method);
    return billPaymentView(row, biller, input.lang, asked.authorization);
  });
  ctx.kickOutbox();
  return view;
}

/** One of the customer's bill payments; anyone else's is "not found", never "forbidden". */
async function ownPayment(
  db: Ctx['db']['kysely'],
  customerId: string,
  paymentId: string,
  options: { lock?: boolean } = {},
) {
  const row = await billPaymentById(db, paymentId, options);
  if (!row || row.customer_id !== customerId) throw new AppError(errors['bills.payment_not_found']);
  const biller = await billerById(db, row.biller_id);
  if (!biller) throw new AppError(errors['bills.payment_not_found']);
  return { row, biller };
}

/** A bill payment as its payer sees it (GET /bills/payments/{id}). */
export async function billPaymentOf(ctx: Ctx, customerId: string, paymentId: string, lang: Lang) {
  const { row, biller } = await ownPayment(ctx.db.kysely, customerId, paymentId);
  return billPaymentView(row, biller, lang);
}

/** The electronic receipt of a completed bill payment, as a PDF. */
export async function billReceipt(ctx: Ctx, customerId: string, paymentId: string) {
  const db = ctx.db.kysely;
  const { row, biller } = await ownPayment(db, customerId, paymentId);
  if (row.status !== 'completed' || row.completed_at_ms === null) {
    throw new AppError(errors['bills.receipt_unavailable']);
  }
  const payer = await customerById(db, row.customer_id);
  const from = await accountById(db, row.from_account_id);
  if (!payer || !from) throw new AppError(errors['bills.payment_not_found']);
  const category = CATEGORY_NAMES[biller.category];
  const pdf = await renderBillReceiptPdf({
    paymentId: row.id,
    completedAtLocal: chinaStamp(row.completed_at_ms),
    payerName: payer.name,
    payerAccountMasked: maskNumber(from.card_number ?? from.account_number),
    billerName: biller.name_zh,
    billerNameEn: biller.name_en,
    categoryText: `${category.zh} ${category.en}`,
    billAccount: row.bill_account,
    holderName: row.holder_name,
    period: row.period,
    amountFen: row.amount_fen,
  });
  return { pdf, fileName: `bill-receipt-${row.id}.pdf` };
}

/** The customer's saved bill accounts ("my bills"), each with its last paid amount and date. */
export async function savedAccountList(ctx: Ctx, customerId: string, lang: Lang) {
  const db = ctx.db.kysely;
  const billers = new Map<string, BillerRow>((await activeBillers(db)).map((row) => [row.id, row]));
  const items = (await savedBillAccounts(db, customerId)).flatMap(({ row, lastPayment }) => {
    const biller = billers.get(row.biller_id);
    return biller ? [savedBillAccountView(row, biller, lastPayment, lang)] : [];
  });
  return { items };
}

/** Saves a bill account (or answers the one saved already); the biller checks its form, not its existence. */
export async function saveBillAccount(
  ctx: Ctx,
  input: { customerId: string; billerId: string; billAccount: string; lang: Lang },
) {
  const billAccount = normaliseBillAccount(input.billAccount);
  const { created } = await withTransaction(ctx.db.kysely, async (trx) => {
    await billerFor(trx, input.billerId, billAccount);
    const existing = await savedBillAccount(trx, input.customerId, input.billerId, billAccount);
    if (existing) return { created: false };
    if ((await countSavedBillAccounts(trx, input.customerId)) >= MAX_SAVED_BILL_ACCOUNTS) {
      throw new AppError(errors['bills.saved_accounts_full'], { max: MAX_SAVED_BILL_ACCOUNTS });
    }
    await insertSavedBillAccount(trx, {
      id: newId<'SavedBillAccount'>(),
      customer_id: input.customerId,
      biller_id: input.billerId,
      bill_account: billAccount,
      created_at_ms: ctx.clock.nowMs(),
    });
    return { created: true };
  });
  const saved = (await savedAccountList(ctx, input.customerId, input.lang)).items.find(
    (item) => item.billerId === input.billerId && item.billAccount === billAccount,
  );
  if (!saved) throw new AppError(errors['bills.saved_account_not_found']);
  return { created, saved };
}

/** Forgets one of the customer's saved bill accounts. */
export async function removeSavedBillAccount(ctx: Ctx, customerId: string, id: string): Promise<void> {
  const deleted = await withTransaction(ctx.db.kysely, (trx) => deleteSavedBillAccount(trx, customerId, id));
  if (!deleted) throw new AppError(errors['bills.saved_account_not_found']);
}
