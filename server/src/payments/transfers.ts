import { type AuditEvent, appendAudit, countEventsSince } from '../audit/index.ts';
import {
  type AccountRow,
  type AccountWithHolder,
  type CustomerRow,
  accountBy,
  accountById,
  customerById,
  isAccountNumber,
  isCardNumber,
  lockCustomer,
  maskNumber,
  normaliseCardNumber,
} from '../customers/index.ts';
import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { BANK_ACCOUNTS, balancesOf, bankAccountId, type EntryInput, ledgerErrors } from '../ledger/index.ts';
import {
  type AuthMethod,
  type AuthorizationView,
  METHODS_BY_FRICTION,
  refusal,
  requestAuthorization,
  TIER_OF_METHOD,
  tierOf,
  verifyAuthorization,
} from '../media/index.ts';
import { smsText } from '../notify/index.ts';
import { assert } from '../platform/assert.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney } from '../platform/money.ts';
import { isKnownBank, OWN_BANK_CODE } from './banks.ts';
import { paymentErrors as errors } from './errors.ts';
import { checkLimits, limitsOf, usageOf } from './limits.ts';
import { completeOwnTransfers } from './own-transfers.ts';
import { postPayment } from './balance-notices.ts';
import { touchPayee } from './payees.ts';
import {
  expireTransfer,
  insertTransfers,
  markTransferPosted,
  setTransferChallenge,
  type TransferKind,
  type TransferRow,
  transferById,
} from './store.ts';

export type Deps = Pick<AppContext, 'config' | 'clock'>;

/** How long a customer has to confirm a payment before it lapses (the SMS code's own lifetime). */
export const AUTHORIZE_WITHIN_SECONDS = 300;

export type NewTransfer = {
  customerId: string;
  fromAccountId: string;
  payee: { name: string; accountNumber: string; bankCode?: string | undefined };
  amountFen: number;
  memo?: string | undefined;
  ip?: string | null;
};

export async function createTransfer(trx: Tx, deps: Deps, input: NewTransfer): Promise<NewTransferRow> {
  const nowMs = deps.clock.nowMs();
  const bankCode = input.payee.bankCode ?? OWN_BANK_CODE;
  const payeeNumber = normaliseCardNumber(input.payee.accountNumber);
  const payeeName = input.payee.name.trim();
  if (bankCode === OWN_BANK_CODE) await refuseWhilePayeeChecksPaused(trx, input.customerId, nowMs);
  const column = bankCode === OWN_BANK_CODE ? numberColumn(payeeNumber) : null;
  const payeeAccount = column ? await accountBy(trx, column, payeeNumber) : undefined;
  const holder = payeeAccount ? await customerById(trx, payeeAccount.customer_id) : undefined;
  const route = classifyTransfer({
    customerId: input.customerId,
    from: await accountById(trx, input.fromAccountId),
    bankCode,
    payeeNumber,
    payeeName,
    payee: payeeAccount && holder ? { ...payeeAccount, holder_name: holder.name } : undefined,
  });
  if (!route.ok) throw new AppError(route.code, route.params);
  const row = newTransferRow(input, route, { payeeName, payeeNumber, bankCode, nowMs });
  if (route.kind === 'own') {
    // Between one's own accounts the money moves at once, by the same write as a batch of them.
    const [outcome] = await completeOwnTransfers(trx, [
      { row, payerName: payeeName, fromNumber: route.fromNumber, ip: input.ip ?? null },
    ]);
    assert(outcome, 'one outcome per transfer');
    if (!outcome.ok) throw outcome.error;
    return row;
  }
  await checkCustomerLimits(trx, deps, row, nowMs);
  await checkAvailable(trx, row.from_account_id, row.amount_fen);
  await insertTransfers(trx, [row]);
  const asked = await askForAuthorization(trx, deps, row);
  await appendAudit(trx, {
    kind: 'transfer.created',
    atMs: nowMs,
    actor: { type: 'customer', id: input.customerId },
    subject: { type: 'transfer', id: row.id },
    ip: input.ip ?? null,
    details: {
      kind: route.kind,
      amount: formatMoney(row.amount_fen),
      payeeBank: bankCode,
      payeeLast4: payeeNumber.slice(-4),
    },
  });
  return {
    ...row,
    auth_method: asked.authorization.method,
    auth_ref: asked.challengeId,
    authorization: asked.authorization,
  };
}

/** Failed payee checks a customer may make in the window before checks pause (issue: payee oracle). */
export const PAYEE_CHECK_MAX_FAILURES = 5;
export const PAYEE_CHECK_WINDOW_MS = 10 * 60_000;

/**
 * Refuses to look up a payee in this bank while the customer has failed the name check too often
 * lately: checking numbers and names one after another is how card numbers and holders are probed.
 * The failures are counted from the audit log, where recordPayeeCheckFailure puts them.
 */
async function refuseWhilePayeeChecksPaused(trx: Tx, customerId: string, nowMs: number) {
  const failures = await countEventsSince(trx, {
    kind: PAYEE_CHECK_FAILED,
    subjectId: customerId,
    sinceMs: nowMs - PAYEE_CHECK_WINDOW_MS,
  });
  if (failures >= PAYEE_CHECK_MAX_FAILURES) {
    const retryAfterSeconds = PAYEE_CHECK_WINDOW_MS / 1000;
    throw new AppError(
      errors['payment.payee_check_paused'],
      { minutes: retryAfterSeconds / 60 },
      { retryAfterSeconds },
    );
  }
}

const PAYEE_CHECK_FAILED = 'transfer.payee_check_failed';

/**
 * Records a failed payee check in the audit log, in its own transaction: the refused transfer's own
 * transaction is rolled back, and the failure must count all the same.
 */
export async function recordPayeeCheckFailure(db: Kysely<Database>, deps: Deps, customerId: string, ip: string | null) {
  await withTransaction(db, (trx) =>
    appendAudit(trx, {
      kind: PAYEE_CHECK_FAILED,
      atMs: deps.clock.nowMs(),
      actor: { type: 'customer', id: customerId },
      subject: { type: 'customer', id: customerId },
      ip,
    }),
  );
}

/** Which column of the account table a payee number of this bank is looked up by; null: neither. */
export function numberColumn(number: string): 'card_number' | 'account_number' | null {
  return isCardNumber(number) ? 'card_number' : isAccountNumber(number) ? 'account_number' : null;
}

export type TransferRoute =
  | { ok: true; kind: TransferKind; toAccountId: string | null; fromNumber: string }
  | { ok: false; code: string; params?: Record<string, string> };

/**
 * Decides what a new transfer is — between the customer's own accounts, to another customer of this
 * bank, or to another bank — or why it cannot be made. The one place this is decided: the single
 * transfer and the batch of own transfers both ask it. Pure; the caller has looked up the paying
 * account and, in this bank, the payee's account by its number with the holder's name.
 */
export function classifyTransfer(input: {
  customerId: string;
  from: AccountRow | undefined;
  bankCode: string;
  payeeNumber: string;
  payeeName: string;
  payee: AccountWithHolder | undefined;
}): TransferRoute {
  const { from, payee } = input;
  if (!from || from.customer_id !== input.customerId) return { ok: false, code: errors['payment.account_not_found'] };
  if (from.status !== 'active') {
    return { ok: false, code: errors['payment.account_unavailable'], params: { status: from.status } };
  }
  const fromNumber = from.card_number ?? from.account_number;
  if (input.bankCode !== OWN_BANK_CODE) {
    if (!isKnownBank(input.bankCode)) return { ok: false, code: errors['payment.bank_unknown'] };
    if (!/^\d{8,30}$/.test(input.payeeNumber)) return { ok: false, code: errors['payment.payee_invalid'] };
    return { ok: true, kind: 'interbank', toAccountId: null, fromNumber };
  }
  if (!numberColumn(input.payeeNumber)) return { ok: false, code: errors['payment.payee_invalid'] };
  // An unknown account and a wrong name are one answer, as banks give it ("收款人户名与账号不符"):
  // two answers would let anyone test which card numbers exist.
  if (!payee || payee.holder_name !== input.payeeName) {
    return { ok: false, code: errors['payment.payee_name_mismatch'] };
  }
  if (payee.status === 'closed' || payee.status === 'under_investigation') {
    return { ok: false, code: errors['payment.payee_unavailable'] };
  }
  if (payee.id === from.id) return { ok: false, code: errors['payment.same_account'] };
  const kind = payee.customer_id === input.customerId ? 'own' : 'same_bank';
  return { ok: true, kind, toAccountId: payee.id, fromNumber };
}

/** A new transfer's row, as it is stored before anything else happens to it. */
export function newTransferRow(
  input: Pick<NewTransfer, 'customerId' | 'fromAccountId' | 'amountFen' | 'memo'>,
  route: Extract<TransferRoute, { ok: true }>,
  payee: { payeeName: string; payeeNumber: string; bankCode: string; nowMs: number },
): TransferRow {
  const own = route.kind === 'own';
  return {
    id: newId<'Transfer'>(),
    customer_id: input.customerId,
    from_account_id: input.fromAccountId,
    kind: route.kind,
    to_account_id: route.toAccountId,
    payee_name: payee.payeeName,
    payee_account_number: payee.payeeNumber,
    payee_bank_code: payee.bankCode,
    amount_fen: input.amountFen,
    memo: input.memo?.trim() || null,
    status: own ? 'completed' : 'authorization_required',
    reason_code: null,
    auth_method: null,
    auth_ref: null,
    entry_id: own ? newId<'JournalEntry'>() : null,
    created_at_ms: payee.nowMs,
    authorize_by_ms: payee.nowMs + AUTHORIZE_WITHIN_SECONDS * 1000,
    settle_after_ms: null,
    completed_at_ms: own ? payee.nowMs : null,
  };
}

/** The journal entry that moves a transfer's money: from the payer to the credited account. */
export function transferEntry(
  row: TransferRow,
  parties: { creditAccountId: string; payerName: string; fromNumber: string },
): EntryInput {
  return {
    id: row.entry_id ?? undefined,
    kind: 'transfer',
    reference: row.id,
    memo: row.memo ?? (row.kind === 'own' ? '本人账户互转' : '转账'),
    postedAtMs: row.completed_at_ms ?? row.created_at_ms,
    postings: [
      {
        accountId: row.from_account_id,
        amountFen: -row.amount_fen,
        counterparty: `${maskName(row.payee_name)} ${maskNumber(row.payee_account_number)}`,
      },
      {
        accountId: parties.creditAccountId,
        amountFen: row.amount_fen,
        counterparty: `${maskName(parties.payerName)} ${maskNumber(parties.fromNumber)}`,
      },
    ],
  };
}

/** The audit event of a transfer whose money has moved. */
export function transferPostedEvent(row: TransferRow, entryId: string, ip: string | null): AuditEvent {
  return {
    kind: row.kind === 'interbank' ? 'transfer.sent_to_clearing' : 'transfer.completed',
    atMs: row.completed_at_ms ?? row.created_at_ms,
    actor: { type: 'customer', id: row.customer_id },
    subject: { type: 'transfer', id: row.id },
    ip,
    details: { kind: row.kind, amount: formatMoney(row.amount_fen), entryId },
  };
}

/** The purpose under which a transfer's challenges are issued and checked (and its SMS is sent). */
const TRANSFER_PURPOSE = 'transfer.otp';

/**
 * The media that may authorize this amount: those whose tier allows it in one payment (ARCHITECTURE.md,
 * "Tiers and limits"), least friction first. The customer's own and daily limits were checked before.
 */
export function methodsForAmount(config: Deps['config'], amountFen: number): AuthMethod[] {
  return METHODS_BY_FRICTION.filter((method) => config.tierLimits[TIER_OF_METHOD[method]].perPaymentFen >= amountFen);
}

/**
 * Asks the payer's medium for a challenge bound to this transfer's payee and amount — the chosen one, or
 * the least-friction one the amount allows — and records it as the challenge the transfer awaits (a new
 * one replaces the last).
 */
export async function askForAuthorization(trx: Tx, deps: Deps, row: TransferRow, method?: AuthMethod) {
  const customer = await customerById(trx, row.customer_id);
  assert(customer, 'the paying customer exists');
  const asked = await requestAuthorization(trx, deps, {
    customerId: customer.id,
    mobile: customer.mobile,
    purpose: TRANSFER_PURPOSE,
    binding: transferBinding(row),
    method,
    accepted: methodsForAmount(deps.config, row.amount_fen),
    payeeAccountNumber: row.payee_account_number,
    smsText: transferCodeText(row),
  });
  await setTransferChallenge(trx, row.id, asked.authorization.method, asked.challengeId);
  return asked;
}

/** The SMS that carries a transfer's code: it names the payee and the amount the code is bound to. */
export function transferCodeText(row: Pick<TransferRow, 'payee_account_number' | 'payee_name' | 'amount_fen'>) {
  return (code: string, validMinutes: number) =>
    smsText('transfer.otp', {
      code,
      payeeLast4: row.payee_account_number.slice(-4),
      payeeName: row.payee_name,
      amount: formatMoney(row.amount_fen),
      minutes: validMinutes,
    });
}

/**
 * What an SMS code for a transfer is bound to: the transfer, its payee and its amount. A code read
 * out to a fraudster for one payment cannot confirm another.
 */
export function transferBinding(row: Pick<TransferRow, 'id' | 'payee_account_number' | 'payee_name' | 'amount_fen'>) {
  return `transfer:${row.id}:${row.payee_account_number}:${row.payee_name}:${row.amount_fen}`;
}

export type AuthorizeResult = { ok: true; transfer: TransferRow } | { ok: false; error: AppError };
/** A new transfer, with the challenge it awaits when it needs authorization. */
export type NewTransferRow = TransferRow & { authorization?: AuthorizationView };

/**
 * Checks the customer's answer to the transfer's challenge and, if right, moves the money. A wrong
 * answer is returned (not thrown) so the caller commits the used-up try.
 */
export async function authorizeTransfer(
  trx: Tx,
  deps: Deps,
  input: {
    customerId: string;
    transferId: string;
    method: string;
    /** The digits, or a U-shield's `AuthenticationResponseJSON`. */
    response: string | Record<string, unknown>;
    ip?: string | null;
  },
): Promise<AuthorizeResult> {
  const nowMs = deps.clock.nowMs();
  const row = await transferById(trx, input.transferId, { lock: true });
  if (!row || row.customer_id !== input.customerId) throw new AppError(errors['payment.not_found']);
  if (row.status !== 'authorization_required') {
    throw new AppError(errors['payment.not_awaiting_authorization'], { status: row.status });
  }
  if (row.authorize_by_ms <= nowMs) {
    await expireTransfer(trx, row.id);
    return { ok: false, error: new AppError(errors['payment.authorization_expired']) };
  }
  if (!row.auth_ref) throw new AppError(errors['payment.method_unavailable']);
  const check = await verifyAuthorization(trx, deps, {
    customerId: input.customerId,
    challengeId: row.auth_ref,
    purpose: TRANSFER_PURPOSE,
    binding: transferBinding(row),
    method: input.method,
    response: input.response,
    ip: input.ip ?? null,
  });
  if (!check.ok) {
    await appendAudit(trx, {
      kind: 'transfer.authorization_failed',
      atMs: nowMs,
      actor: { type: 'customer', id: input.customerId },
      subject: { type: 'transfer', id: row.id },
      ip: input.ip ?? null,
      details: { reason: check.error.code, method: input.method },
    });
    return { ok: false, error: refusal(check) };
  }
  // Between the challenge and the answer the account may have been frozen or spent: check again.
  const from = await accountById(trx, row.from_account_id);
  const route = classifyTransfer({
    customerId: input.customerId,
    from,
    bankCode: row.payee_bank_code,
    payeeNumber: row.payee_account_number,
    payeeName: row.payee_name,
    payee: await payeeAgain(trx, row),
  });
  if (!route.ok) throw new AppError(route.code, route.params);
  await checkCustomerLimits(trx, deps, row, nowMs);
  const payer = await customerById(trx, row.customer_id);
  assert(payer && from, 'the paying customer and account exist');
  return { ok: true, transfer: await postAuthorizedTransfer(trx, deps, row, { payer, from, ip: input.ip ?? null }) };
}

/** The payee's account as it is now, for a transfer in this bank; undefined for another bank's. */
async function payeeAgain(trx: Tx, row: TransferRow): Promise<AccountWithHolder | undefined> {
  if (!row.to_account_id) return undefined;
  const account = await accountById(trx, row.to_account_id);
  const holder = account ? await customerById(trx, account.customer_id) : undefined;
  return account && holder ? { ...account, holder_name: holder.name } : undefined;
}

/**
 * Posts an authorized payment: to the payee's account in this bank, or to the clearing account for
 * another bank (pending until clearing answers); tells the payer by SMS and both parties in their
 * message centres (postPayment).
 */
async function postAuthorizedTransfer(
  trx: Tx,
  deps: Deps,
  row: TransferRow,
  parties: { payer: CustomerRow; from: AccountRow; ip: string | null },
): Promise<TransferRow> {
  const nowMs = deps.clock.nowMs();
  const interbank = row.kind === 'interbank';
  const creditAccountId = interbank ? await bankAccountId(trx, BANK_ACCOUNTS.clearing.code) : row.to_account_id;
  assert(creditAccountId, 'a transfer in this bank has a credited account');
  const fromNumber = parties.from.card_number ?? parties.from.account_number;
  const posted: TransferRow = {
    ...row,
    status: interbank ? 'pending' : 'completed',
    entry_id: newId<'JournalEntry'>(),
    completed_at_ms: interbank ? null : nowMs,
    settle_after_ms: interbank ? nowMs + deps.config.clearingSettleDelaySeconds * 1000 : null,
  };
  await postPayment(trx, {
    entry: {
      ...transferEntry(posted, { creditAccountId, payerName: parties.payer.name, fromNumber }),
      postedAtMs: nowMs,
    },
    payer: parties.payer,
    from: parties.from,
    amountFen: row.amount_fen,
    audit: (entryId) => ({ ...transferPostedEvent(posted, entryId, parties.ip), atMs: nowMs }),
  });
  await markTransferPosted(trx, posted);
  await touchPayee(trx, row, nowMs);
  return posted;
}

async function checkCustomerLimits(trx: Tx, deps: Deps, row: TransferRow, nowMs: number) {
  // Two payments confirmed at once must not both fit under the same remaining limit: serialise a
  // customer's payments on their customer row until this transaction ends.
  await lockCustomer(trx, row.customer_id);
  const tier = await tierOf(trx, row.customer_id);
  const limits = await limitsOf(trx, deps.config, row.customer_id, tier);
  checkLimits(limits, await usageOf(trx, row.customer_id, nowMs), row.amount_fen);
}

/** An early, friendly refusal; the posting itself checks again under the row lock. */
async function checkAvailable(trx: Tx, accountId: string, amountFen: number) {
  const balance = (await balancesOf(trx, [accountId])).get(accountId);
  assert(balance, 'every customer account has a ledger account');
  if (balance.availableFen < amountFen) throw new AppError(ledgerErrors['payment.insufficient_funds']);
}

/** A name as shown to the other party: the family name and asterisks (张*, 欧阳**). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}
