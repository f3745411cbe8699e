import { appendAudit } from '../audit/index.ts';
import { accountById, customerById, maskNumber } from '../customers/index.ts';
import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { balancesOf, ledgerErrors } from '../ledger/index.ts';
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
  maskName,
  methodsForAmount,
  paymentErrors,
  postPayment,
} from '../payments/index.ts';
import { assert } from '../platform/assert.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney } from '../platform/money.ts';
import { CATEGORY_NAMES, TOP_UP_MAX_FEN, TOP_UP_MIN_FEN } from './catalogue.ts';
import { billErrors as errors } from './errors.ts';
import { type BillLookup, billerAdapterFor } from './simulator.ts';
import {
  type BillerRow,
  type BillPaymentRow,
  billerById,
  billPaymentById,
  expireBillPayment,
  insertBillPayment,
  insertSavedBillAccount,
  markBillPaymentCompleted,
  setBillPaymentChallenge,
} from './store.ts';

export type Deps = Pick<AppContext, 'config' | 'clock'>;

/** The purpose under which a bill payment's challenges are issued and checked. */
const BILL_PURPOSE = 'bill.payment';

/** A bill account as the biller keys it: what the customer typed without spaces and dashes. */
export function normaliseBillAccount(text: string): string {
  return text.replace(/[\s-]/g, '');
}

/** An active biller and the bill account checked against its pattern; anything else is refused. */
export async function billerFor(db: Kysely<Database>, billerId: string, billAccount: string): Promise<BillerRow> {
  const biller = await billerById(db, billerId);
  if (biller?.status !== 'active') throw new AppError(errors['bills.biller_not_found']);
  if (!new RegExp(biller.account_pattern).test(billAccount)) throw new AppError(errors['bills.bill_account_invalid']);
  return biller;
}

/** Asks the biller (or its simulator) about a bill account; an unknown account is refused. */
export async function lookUpBill(
  db: Kysely<Database>,
  deps: Deps,
  biller: BillerRow,
  billAccount: string,
): Promise<Extract<BillLookup, { found: true }>> {
  const adapter = billerAdapterFor(deps.config.env, biller.id);
  if (!adapter) throw new AppError(errors['bills.biller_unavailable']);
  const bill = await adapter.lookUp(db, biller, billAccount, deps.clock.nowMs());
  if (!bill.found) throw new AppError(errors['bills.bill_account_not_found']);
  return bill;
}

/**
 * Refuses an amount the bill does not allow. A bill with an amount due may be paid in part but never
 * above what is still due: once paid its due is 0, so the same bill cannot be paid twice by mistake
 * (a second payment is refused as bills.nothing_due). A top-up takes any amount within its bounds.
 */
export function checkAmount(bill: Pick<Extract<BillLookup, { found: true }>, 'amountDueFen'>, amountFen: number) {
  if (bill.amountDueFen === null) {
    if (amountFen < TOP_UP_MIN_FEN || amountFen > TOP_UP_MAX_FEN) {
      throw new AppError(errors['bills.top_up_amount_invalid'], {
        min: formatMoney(TOP_UP_MIN_FEN),
        max: formatMoney(TOP_UP_MAX_FEN),
      });
    }
    return;
  }
  if (bill.amountDueFen === 0) throw new AppError(errors['bills.nothing_due']);
  if (amountFen > bill.amountDueFen) {
    throw new AppError(errors['bills.amount_above_due'], { due: formatMoney(bill.amountDueFen) });
  }
}

export type NewBillPayment = {
  customerId: string;
  billerId: string;
  billAccount: string;
  fromAccountId: string;
  amountFen: number;
  ip: string | null;
};

/**
 * Starts a bill payment: checks the paying account, the bill, the amount and the customer's limits,
 * records it, and asks the customer's medium for a challenge bound to biller, bill account and amount.
 */
export async function createBillPayment(
  trx: Tx,
  deps: Deps,
  input: NewBillPayment,
): Promise<{ row: BillPaymentRow; biller: BillerRow; authorization: AuthorizationView }> {
  const nowMs = deps.clock.nowMs();
  const billAccount = normaliseBillAccount(input.billAccount);
  const biller = await billerFor(trx, input.billerId, billAccount);
  await checkPayingAccount(trx, input.customerId, input.fromAccountId);
  const bill = await lookUpBill(trx, deps, biller, billAccount);
  checkAmount(bill, input.amountFen);
  await checkPaymentLimits(trx, deps.config, { customerId: input.customerId, amountFen: input.amountFen, nowMs });
  await checkAvailable(trx, input.fromAccountId, input.amountFen);
  const row: BillPaymentRow = {
    id: newId<'BillPayment'>(),
    customer_id: input.customerId,
    biller_id: biller.id,
    bill_account: billAccount,
    period: bill.period,
    holder_name: bill.holderName,
    from_account_id: input.fromAccountId,
    amount_fen: input.amountFen,
    status: 'authorization_required',
    reason_code: null,
    auth_method: null,
    auth_ref: null,
    entry_id: null,
    created_at_ms: nowMs,
    authorize_by_ms: nowMs + AUTHORIZE_WITHIN_SECONDS * 1000,
    completed_at_ms: null,
  };
  await insertBillPayment(trx, row);
  const asked = await askForBillAuthorization(trx, deps, row, biller);
  await appendAudit(trx, {
    kind: 'bill_payment.created',
    atMs: nowMs,
    actor: { type: 'customer', id: input.customerId },
    subject: { type: 'bill_payment', id: row.id },
    ip: input.ip,
    details: { billerId: biller.id, amount: formatMoney(row.amount_fen), billAccountLast4: billAccount.slice(-4) },
  });
  return {
    row: { ...row, auth_method: asked.authorization.method, auth_ref: asked.challengeId },
    biller,
    authorization: asked.authorization,
  };
}

/**
 * What a bill payment's challenge is bound to: the payment, its biller, its bill account and its amount.
 * A code read out for one bill cannot pay another, nor a larger amount.
 */
export function billBinding(row: Pick<BillPaymentRow, 'id' | 'biller_id' | 'bill_account' | 'amount_fen'>): string {
  return `bill:${row.id}:${row.biller_id}:${row.bill_account}:${row.amount_fen}`;
}

/** Asks the payer's medium for a challenge bound to this bill payment (the chosen medium, or the least friction). */
export async function askForBillAuthorization(
  trx: Tx,
  deps: Deps,
  row: BillPaymentRow,
  biller: BillerRow,
  method?: AuthMethod,
) {
  const customer = await customerById(trx, row.customer_id);
  assert(customer, 'the paying customer exists');
  const digits = row.bill_account.replace(/\D/g, '');
  const asked = await requestAuthorization(trx, deps, {
    customerId: customer.id,
    mobile: customer.mobile,
    purpose: BILL_PURPOSE,
    binding: billBinding(row),
    method,
    accepted: methodsForAmount(deps.config, row.amount_fen),
    // The e-password device's challenge starts with the last four digits of what is paid.
    payeeAccountNumber: digits.length >= 4 ? digits : undefined,
    smsText: (code, validMinutes) =>
      smsText('bill.otp', {
        code,
        billerName: biller.name_zh,
        accountLast4: row.bill_account.slice(-4),
        amount: formatMoney(row.amount_fen),
        minutes: validMinutes,
      }),
  });
  await setBillPaymentChallenge(trx, row.id, asked.authorization.method, asked.challengeId);
  return asked;
}

export type AuthorizeResult = { ok: true; row: BillPaymentRow; biller: BillerRow } | { ok: false; error: AppError };

/**
 * Checks the customer's answer to the bill payment's challenge and, if right, pays the bill: one journal
 * entry from the customer's account to the biller's. A wrong answer is returned (not thrown) so the
 * caller commits the used-up try.
 */
export async function authorizeBillPayment(
  trx: Tx,
  deps: Deps,
  input: {
    customerId: string;
    paymentId: string;
    method: string;
    response: string | Record<string, unknown>;
    ip: string | null;
  },
): Promise<AuthorizeResult> {
  const nowMs = deps.clock.nowMs();
  const row = await billPaymentById(trx, input.paymentId, { lock: true });
  if (!row || row.customer_id !== input.customerId) throw new AppError(errors['bills.payment_not_found']);
  if (row.status !== 'authorization_required') {
    throw new AppError(errors['bills.not_awaiting_authorization'], { status: row.status });
  }
  if (row.authorize_by_ms <= nowMs) {
    await expireBillPayment(trx, row.id);
    return { ok: false, error: new AppError(errors['bills.authorization_expired']) };
  }
  if (!row.auth_ref) throw new AppError(paymentErrors['payment.method_unavailable']);
  const check = await verifyAuthorization(trx, deps, {
    customerId: input.customerId,
    challengeId: row.auth_ref,
    purpose: BILL_PURPOSE,
    binding: billBinding(row),
    method: input.method,
    response: input.response,
    ip: input.ip,
  });
  if (!check.ok) {
    await appendAudit(trx, {
      kind: 'bill_payment.authorization_failed',
      atMs: nowMs,
      actor: { type: 'customer', id: input.customerId },
      subject: { type: 'bill_payment', id: row.id },
      ip: input.ip,
      details: { reason: check.error.code, method: input.method },
    });
    return { ok: false, error: refusal(check) };
  }
  // Between the challenge and the answer the account may have been frozen, the bill paid or the
  // limits used up by another payment: check all again, under the customer's lock.
  const biller = await billerFor(trx, row.biller_id, row.bill_account);
  await checkPayingAccount(trx, row.customer_id, row.from_account_id);
  await checkPaymentLimits(trx, deps.config, { customerId: row.customer_id, amountFen: row.amount_fen, nowMs });
  checkAmount(await lookUpBill(trx, deps, biller, row.bill_account), row.amount_fen);
  return { ok: true, row: await postBillPayment(trx, deps, row, biller, input.ip), biller };
}

/** Posts an authorized bill payment, tells the payer (SMS and message centre) and keeps the bill account. */
async function postBillPayment(
  trx: Tx,
  deps: Deps,
  row: BillPaymentRow,
  biller: BillerRow,
  ip: string | null,
): Promise<BillPaymentRow> {
  const nowMs = deps.clock.nowMs();
  const payer = await customerById(trx, row.customer_id);
  const from = await accountById(trx, row.from_account_id);
  assert(payer && from, 'the paying customer and account exist');
  const fromNumber = from.card_number ?? from.account_number;
  const posted: BillPaymentRow = {
    ...row,
    status: 'completed',
    entry_id: newId<'JournalEntry'>(),
    completed_at_ms: nowMs,
  };
  await postPayment(trx, {
    entry: {
      id: posted.entry_id ?? undefined,
      kind: 'bill_payment',
      reference: row.id,
      memo: `${CATEGORY_NAMES[biller.category].zh} 户号 ${maskBillAccount(row.bill_account)}`,
      postedAtMs: nowMs,
      postings: [
        // The history names the biller (issue 17): that is whom the customer paid.
        { accountId: row.from_account_id, amountFen: -row.amount_fen, counterparty: biller.name_zh },
        {
          accountId: biller.ledger_account_id,
          amountFen: row.amount_fen,
          counterparty: `${maskName(payer.name)} ${maskNumber(fromNumber)}`,
        },
      ],
    },
    payer,
    from,
    amountFen: row.amount_fen,
    audit: (entryId) => ({
      kind: 'bill_payment.completed',
      atMs: nowMs,
      actor: { type: 'customer', id: row.customer_id },
      subject: { type: 'bill_payment', id: row.id },
      ip,
      details: { billerId: biller.id, amount: formatMoney(row.amount_fen), entryId },
    }),
  });
  await markBillPaymentCompleted(trx, posted);
  await insertSavedBillAccount(trx, {
    id: newId<'SavedBillAccount'>(),
    customer_id: row.customer_id,
    biller_id: row.biller_id,
    bill_account: row.bill_account,
    created_at_ms: nowMs,
  });
  return posted;
}

/** A bill account as printed on a receipt or in a memo: its last four characters only. */
export function maskBillAccount(billAccount: string): string {
  return billAccount.length <= 4 ? billAccount : `****${billAccount.slice(-4)}`;
}

/** The paying account must be the customer's own and active (the same answers as a transfer's). */
async function checkPayingAccount(trx: Kysely<Database>, customerId: string, accountId: string) {
  const from = await accountById(trx, accountId);
  if (!from || from.customer_id !== customerId) throw new AppError(paymentErrors['payment.account_not_found']);
  if (from.status !== 'active') {
    throw new AppError(paymentErrors['payment.account_unavailable'], { status: from.status });
  }
}

/** An early, friendly refusal; the posting itself checks again under the row lock. */
async function checkAvailable(trx: Kysely<Database>, accountId: string, amountFen: number) {
  const balance = (await balancesOf(trx, [accountId])).get(accountId);
  assert(balance, 'every customer account has a ledger account');
  if (balance.availableFen < amountFen) throw new AppError(ledgerErrors['payment.insufficient_funds']);
}
