import { accountById, customerById, maskNumber, normaliseCardNumber } from '../customers/index.ts';
import { requestHash } from '../ledger/index.ts';
import { type AuthMethod, mediaList, TIER_OF_METHOD, tierOf, usableMethods } from '../media/index.ts';
import { chinaStamp } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError, type Lang, requestErrors } from '../platform/errors.ts';
import { formatMoney, money } from '../platform/money.ts';
import { BANKS, bankName, OWN_BANK_CODE } from './banks.ts';
import { renderReceiptPdf } from './documents/receipt.ts';
import { paymentErrors as errors } from './errors.ts';
import { type IdempotencyRef, idempotently, type Outcome } from './idempotent.ts';
import { limitsOf, usageOf } from './limits.ts';
import { startOwnTransfer } from './own-transfers.ts';
import { deletePayee, payeesOf, savePayee } from './payees.ts';
import { replaceCustomerLimit, type TransferRow, transferById } from './store.ts';
import { askForAuthorization, authorizeTransfer, createTransfer, recordPayeeCheckFailure } from './transfers.ts';
import { payeeView, transferView } from './view.ts';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

export type TransferRequest = {
  customerId: string;
  fromAccountId: string;
  /** Typed in; or `payeeId`, a saved payee ("transfer again"). */
  payee?: { name: string; accountNumber: string; bankCode?: string | undefined } | undefined;
  payeeId?: string | undefined;
  amountFen: number;
  memo?: string | undefined;
  ip: string | null;
  lang: Lang;
  /** The Idempotency-Key with the request's method, route and body, or null when the client sent none. */
  idempotency: { key: string; method: string; url: string; body: unknown } | null;
};

/**
 * Starts a transfer (POST /transfers). A transfer to one of this bank's accounts typed in by number
 * joins this turn's batch of own-account transfers; whatever the batch does not make (another
 * customer's account, another bank, a saved payee, a refusal, a key used before) goes the single
 * transfer's way, under its Idempotency-Key.
 */
export async function startTransfer(ctx: Ctx, input: TransferRequest): Promise<Outcome> {
  const deps = { config: ctx.config, clock: ctx.clock };
  const ref: IdempotencyRef | null = input.idempotency && {
    scope: `transfer:${input.customerId}`,
    key: input.idempotency.key,
    requestHash: requestHash(input.idempotency.method, input.idempotency.url, input.idempotency.body),
  };
  if (input.payee && (input.payee.bankCode ?? OWN_BANK_CODE) === OWN_BANK_CODE) {
    const outcome = await startOwnTransfer(ctx.db.kysely, deps, {
      customerId: input.customerId,
      fromAccountId: input.fromAccountId,
      payeeName: input.payee.name.trim(),
      payeeNumber: normaliseCardNumber(input.payee.accountNumber),
      amountFen: input.amountFen,
      memo: input.memo,
      ip: input.ip,
      idempotency: ref,
      answer: (row) => JSON.stringify(transferView(row, input.lang)),
    });
    if (outcome.kind === 'done') return { status: 201, json: outcome.body, replayed: false };
  }
  const outcome = await idempotently(ctx, ref, async (trx) => {
    let payee = input.payee;
    if (input.payeeId) {
      const saved = (await payeesOf(trx, input.customerId)).find((p) => p.id === input.payeeId);
      if (!saved) throw new AppError(errors['payment.payee_not_found']);
      payee = { name: saved.name, accountNumber: saved.account_number, bankCode: saved.bank_code };
    }
    if (!payee) throw new AppError(requestErrors['request.invalid'], { reason: 'payee or payeeId' });
    const row = await createTransfer(trx, deps, { ...input, payee });
    const authorization = row.status === 'authorization_required' ? row.authorization : undefined;
    return { status: 201, body: transferView(row, input.lang, authorization) };
  }).catch(async (error: unknown) => {
    // The refused transfer's transaction is gone; the failed payee check is counted in one of its own.
    if (error instanceof AppError && error.code === errors['payment.payee_name_mismatch']) {
      await recordPayeeCheckFailure(ctx.db.kysely, deps, input.customerId, input.ip);
    }
    throw error;
  });
  if (!outcome.replayed) ctx.kickOutbox();
  return outcome;
}

/** Confirms a transfer with the customer's answer to its challenge (POST /transfers/{id}/authorize). */
export async function confirmTransfer(
  ctx: Ctx,
  input: {
    customerId: string;
    transferId: string;
    method: string;
    response: string | Record<string, unknown>;
    ip: string | null;
    lang: Lang;
  },
) {
  const deps = { config: ctx.config, clock: ctx.clock };
  const result = await withTransaction(ctx.db.kysely, (trx) => authorizeTransfer(trx, deps, input));
  // A wrong answer is thrown only now, after the used-up try has been committed.
  if (!result.ok) throw result.error;
  ctx.kickOutbox();
  return transferView(result.transfer, input.lang);
}

/**
 * Issues a fresh challenge for a transfer that still awaits authorization (POST /transfers/{id}/challenge):
 * a resend, or another medium among the alternatives. Once its authorization window has closed nothing
 * is sent: the transfer has lapsed.
 */
export async function resendTransferChallenge(
  ctx: Ctx,
  input: { customerId: string; transferId: string; method?: AuthMethod | undefined; lang: Lang },
) {
  const deps = { config: ctx.config, clock: ctx.clock };
  const view = await withTransaction(ctx.db.kysely, async (trx) => {
    const row = await ownTransfer(trx, input.customerId, input.transferId, { lock: true });
    if (row.status !== 'authorization_required') {
      throw new AppError(errors['payment.not_awaiting_authorization'], { status: row.status });
    }
    if (row.authorize_by_ms <= ctx.clock.nowMs()) throw new AppError(errors['payment.authorization_expired']);
    const asked = await askForAuthorization(trx, deps, row, input.method);
    return transferView(row, input.lang, asked.authorization);
  });
  ctx.kickOutbox();
  return view;
}

/** One of the customer's transfers; anyone else's is "not found", never "forbidden". */
async function ownTransfer(
  db: Ctx['db']['kysely'],
  customerId: string,
  transferId: string,
  options: { lock?: boolean } = {},
): Promise<TransferRow> {
  const row = await transferById(db, transferId, options);
  if (!row || row.customer_id !== customerId) throw new AppError(errors['payment.not_found']);
  return row;
}

/** A transfer as its owner sees it (GET /transfers/{id}). */
export async function transferOf(ctx: Ctx, customerId: string, transferId: string, lang: Lang) {
  return transferView(await ownTransfer(ctx.db.kysely, customerId, transferId), lang);
}

/** The electronic receipt of a completed (or sent) transfer, as a PDF. */
export async function transferReceipt(ctx: Ctx, customerId: string, transferId: string) {
  const db = ctx.db.kysely;
  const row = await ownTransfer(db, customerId, transferId);
  if (row.status !== 'completed' && row.status !== 'pending') throw new AppError(errors['payment.receipt_unavailable']);
  const payer = await customerById(db, row.customer_id);
  const from = await accountById(db, row.from_account_id);
  if (!payer || !from) throw new AppError(errors['payment.not_found']);
  const pdf = await renderReceiptPdf({
    transferId: row.id,
    completedAtLocal: chinaStamp(row.completed_at_ms ?? row.created_at_ms),
    payerName: payer.name,
    payerAccountMasked: maskNumber(from.card_number ?? from.account_number),
    payeeName: row.payee_name,
    payeeAccountMasked: maskNumber(row.payee_account_number),
    payeeBankName: bankName(row.payee_bank_code),
    amountFen: row.amount_fen,
    memo: row.memo,
    statusText: row.status === 'completed' ? '交易成功 Completed' : '已提交，等待跨行清算 Sent to clearing',
  });
  return { pdf, fileName: `receipt-${row.id}.pdf` };
}

/** A customer's saved payees, most recently used first. */
export async function payeeList(ctx: Ctx, customerId: string, lang: Lang) {
  return { items: (await payeesOf(ctx.db.kysely, customerId)).map((row) => payeeView(row, lang)) };
}

/** Saves a payee (or the one already saved with that bank and number, renamed). */
export async function addPayee(
  ctx: Ctx,
  input: { customerId: string; name: string; accountNumber: string; bankCode?: string | undefined; lang: Lang },
) {
  const row = await withTransaction(ctx.db.kysely, (trx) =>
    savePayee(trx, {
      customerId: input.customerId,
      name: input.name.trim(),
      accountNumber: input.accountNumber.replace(/[\s-]/g, ''),
      bankCode: input.bankCode ?? BANKS[0]!.code,
      nowMs: ctx.clock.nowMs(),
    }),
  );
  return payeeView(row, input.lang);
}

/** Deletes one of the customer's saved payees. */
export async function removePayee(ctx: Ctx, customerId: string, payeeId: string): Promise<void> {
  const deleted = await withTransaction(ctx.db.kysely, (trx) => deletePayee(trx, customerId, payeeId));
  if (!deleted) throw new AppError(errors['payment.payee_not_found']);
}

/** The banks a customer can pay to. */
export function bankList(lang: Lang) {
  return { items: BANKS.map((bank) => ({ code: bank.code, name: lang === 'en' ? bank.en : bank.zh })) };
}

/** The customer's limits: the tier's, their own lower ones, and what is used today and in total. */
export async function limitsView(ctx: Ctx, customerId: string) {
  const db = ctx.db.kysely;
  const tier = await tierOf(db, customerId);
  const limits = await limitsOf(db, ctx.config, customerId, tier);
  const usage = await usageOf(db, customerId, ctx.clock.nowMs());
  const tierLimits = ctx.config.tierLimits[tier];
  // The medium a payment will ask for is the one askForAuthorization picks: the least-friction usable
  // method whose tier may sign the amount. The confirmation page names it before the customer confirms.
  const methods = usableMethods((await mediaList(db, customerId)).items);
  return {
    tier,
    perPayment: money(limits.perPaymentFen),
    daily: money(limits.dailyFen),
    usedToday: money(usage.todayFen),
    ...(limits.lifetimeFen !== null ? { total: money(limits.lifetimeFen), usedTotal: money(usage.lifetimeFen) } : {}),
    tierLimits: { perPayment: money(tierLimits.perPaymentFen), daily: money(tierLimits.dailyFen) },
    signers: methods.map((method) => ({
      method,
      upTo: money(ctx.config.tierLimits[TIER_OF_METHOD[method]].perPaymentFen),
    })),
    own: {
      perPayment: limits.ownPerPaymentFen === null ? null : money(limits.ownPerPaymentFen),
      daily: limits.ownDailyFen === null ? null : money(limits.ownDailyFen),
    },
  };
}

/** Sets the customer's own limits; never above the tier's (the bank's rule: customers may only lower them). */
export async function setOwnLimits(
  ctx: Ctx,
  input: { customerId: string; perPaymentFen: number | null; dailyFen: number | null },
) {
  const tierLimits = ctx.config.tierLimits[await tierOf(ctx.db.kysely, input.customerId)];
  if (input.perPaymentFen !== null && input.perPaymentFen > tierLimits.perPaymentFen) {
    throw new AppError(errors['payment.limit_above_tier'], { limit: formatMoney(tierLimits.perPaymentFen) });
  }
  if (input.dailyFen !== null && input.dailyFen > tierLimits.dailyFen) {
    throw new AppError(errors['payment.limit_above_tier'], { limit: formatMoney(tierLimits.dailyFen) });
  }
  await withTransaction(ctx.db.kysely, (trx) =>
    replaceCustomerLimit(trx, {
      customerId: input.customerId,
      perPaymentFen: input.perPaymentFen,
      dailyFen: input.dailyFen,
      nowMs: ctx.clock.nowMs(),
    }),
  );
  return limitsView(ctx, input.customerId);
}
