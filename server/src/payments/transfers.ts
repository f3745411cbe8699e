import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import {
  type AccountRow,
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
import type { Database } from '../database.ts';
import { BANK_ACCOUNTS, balancesOf, bankAccountId, ledgerErrors, postEntry } from '../ledger/index.ts';
import { issueSmsOtp, otpError, tierOf, verifySmsOtp } from '../media/index.ts';
import { enqueueMessage } from '../notify/index.ts';
import { assert } from '../platform/assert.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney } from '../platform/money.ts';
import { isKnownBank, OWN_BANK_CODE } from './banks.ts';
import { paymentErrors as errors } from './errors.ts';
import { checkLimits, limitsOf, usageOf } from './limits.ts';
import { touchPayee } from './payees.ts';
import { type TransferKind, type TransferRow, transferById } from './store.ts';

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

/**
 * Starts a transfer: checks the paying account, the payee (in this bank: that the name matches the
 * holder), limits and the balance. Transfers between a customer's own accounts post at once, as banks
 * ask no challenge for them; payments to anyone else wait for the customer's authorisation.
 */
export async function createTransfer(trx: Kysely<Database>, deps: Deps, input: NewTransfer): Promise<TransferRow> {
  const nowMs = deps.clock.nowMs();
  const from = await payingAccount(trx, input.customerId, input.fromAccountId);
  const bankCode = input.payee.bankCode ?? OWN_BANK_CODE;
  const payeeNumber = normaliseCardNumber(input.payee.accountNumber);
  const payeeName = input.payee.name.trim();
  let kind: TransferKind = 'interbank';
  let toAccount: AccountRow | null = null;
  let ownHolder: CustomerRow | null = null;
  if (bankCode === OWN_BANK_CODE) {
    const payee = await payeeAccount(trx, payeeNumber, payeeName);
    toAccount = payee.account;
    if (toAccount.id === from.id) throw new AppError(errors['payment.same_account']);
    kind = toAccount.customer_id === input.customerId ? 'own' : 'same_bank';
    if (kind === 'own') ownHolder = payee.holder;
  } else {
    if (!isKnownBank(bankCode)) throw new AppError(errors['payment.bank_unknown']);
    if (!/^\d{8,30}$/.test(payeeNumber)) throw new AppError(errors['payment.payee_invalid']);
  }
  const row: TransferRow = {
    id: newId<'Transfer'>(),
    customer_id: input.customerId,
    from_account_id: from.id,
    kind,
    to_account_id: toAccount?.id ?? null,
    payee_name: payeeName,
    payee_account_number: payeeNumber,
    payee_bank_code: bankCode,
    amount_fen: input.amountFen,
    memo: input.memo?.trim() || null,
    status: 'authorization_required',
    reason_code: null,
    auth_method: null,
    auth_ref: null,
    entry_id: null,
    created_at_ms: nowMs,
    authorize_by_ms: nowMs + AUTHORIZE_WITHIN_SECONDS * 1000,
    settle_after_ms: null,
    completed_at_ms: null,
  };
  if (ownHolder) {
    // Between one's own accounts the money moves at once; the row is written once, completed.
    return executeTransfer(trx, deps, row, input.ip ?? null, { from, payer: ownHolder, to: toAccount, isNew: true });
  }
  await checkCustomerLimits(trx, row, nowMs);
  await checkAvailable(trx, from.id, row.amount_fen);
  await trx.insertInto('transfer').values(row).execute();
  const customer = await customerById(trx, input.customerId);
  assert(customer, 'the paying customer exists');
  const otp = await issueSmsOtp(trx, deps, {
    customerId: customer.id,
    mobile: customer.mobile,
    purpose: 'transfer.otp',
    binding: transferBinding(row),
    text: (code) =>
      `【金库】验证码 ${code}，用于向尾号 ${payeeNumber.slice(-4)} 的账户（${payeeName}）转账 ${formatMoney(row.amount_fen)} 元，` +
      `5 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。`,
  });
  await trx.updateTable('transfer').set({ auth_method: 'sms', auth_ref: otp.otpId }).where('id', '=', row.id).execute();
  await appendAudit(trx, {
    kind: 'transfer.created',
    atMs: nowMs,
    actor: { type: 'customer', id: input.customerId },
    subject: { type: 'transfer', id: row.id },
    ip: input.ip ?? null,
    details: { kind, amount: formatMoney(row.amount_fen), payeeBank: bankCode, payeeLast4: payeeNumber.slice(-4) },
  });
  return { ...row, auth_method: 'sms', auth_ref: otp.otpId };
}

/**
 * What an SMS code for a transfer is bound to: the transfer, its payee and its amount. A code read
 * out to a fraudster for one payment cannot confirm another.
 */
export function transferBinding(row: Pick<TransferRow, 'id' | 'payee_account_number' | 'payee_name' | 'amount_fen'>) {
  return `transfer:${row.id}:${row.payee_account_number}:${row.payee_name}:${row.amount_fen}`;
}

export type AuthorizeResult = { ok: true; transfer: TransferRow } | { ok: false; error: AppError };

/**
 * Checks the customer's answer to the transfer's challenge and, if right, moves the money. A wrong
 * answer is returned (not thrown) so the caller commits the used-up try.
 */
export async function authorizeTransfer(
  trx: Kysely<Database>,
  deps: Deps,
  input: { customerId: string; transferId: string; method: string; response: string; ip?: string | null },
): Promise<AuthorizeResult> {
  const nowMs = deps.clock.nowMs();
  const row = await transferById(trx, input.transferId, { lock: true });
  if (!row || row.customer_id !== input.customerId) throw new AppError(errors['payment.not_found']);
  if (row.status !== 'authorization_required') {
    throw new AppError(errors['payment.not_awaiting_authorization'], { status: row.status });
  }
  if (row.authorize_by_ms <= nowMs) {
    await trx
      .updateTable('transfer')
      .set({ status: 'expired', reason_code: 'payment.authorization_expired' })
      .where('id', '=', row.id)
      .execute();
    return { ok: false, error: new AppError(errors['payment.authorization_expired']) };
  }
  if (input.method !== row.auth_method || !row.auth_ref) throw new AppError(errors['payment.method_unavailable']);
  const check = await verifySmsOtp(trx, deps, {
    otpId: row.auth_ref,
    customerId: input.customerId,
    purpose: 'transfer.otp',
    binding: transferBinding(row),
    code: input.response.trim(),
  });
  if (!check.ok) {
    await appendAudit(trx, {
      kind: 'transfer.authorization_failed',
      atMs: nowMs,
      actor: { type: 'customer', id: input.customerId },
      subject: { type: 'transfer', id: row.id },
      ip: input.ip ?? null,
      details: { reason: check.reason },
    });
    return { ok: false, error: otpError(check) };
  }
  // Between the challenge and the answer the account may have been frozen or spent: check again.
  const from = await payingAccount(trx, input.customerId, row.from_account_id);
  await checkCustomerLimits(trx, row, nowMs);
  const payer = await customerById(trx, row.customer_id);
  assert(payer, 'the paying customer exists');
  const to = row.to_account_id ? ((await accountById(trx, row.to_account_id)) ?? null) : null;
  return {
    ok: true,
    transfer: await executeTransfer(trx, deps, row, input.ip ?? null, { from, payer, to, isNew: false }),
  };
}

/** Posts the money: to the payee's account in this bank, or to the clearing account for another bank. */
/** What executeTransfer needs, already loaded by its caller (each row is read once per request). */
type Parties = { from: AccountRow; payer: CustomerRow; to: AccountRow | null; isNew: boolean };

async function executeTransfer(
  trx: Kysely<Database>,
  deps: Deps,
  row: TransferRow,
  ip: string | null,
  parties: Parties,
) {
  const nowMs = deps.clock.nowMs();
  const { from, payer, to } = parties;
  const interbank = row.kind === 'interbank';
  const creditAccountId = interbank ? await bankAccountId(trx, BANK_ACCOUNTS.clearing.code) : row.to_account_id;
  assert(creditAccountId, 'a transfer in this bank has a credited account');
  if (!interbank && (!to || to.status === 'closed' || to.status === 'under_investigation')) {
    throw new AppError(errors['payment.payee_unavailable']);
  }
  const memo = row.memo ?? (row.kind === 'own' ? '本人账户互转' : '转账');
  const posted = await postEntry(trx, {
    kind: 'transfer',
    reference: row.id,
    memo,
    postedAtMs: nowMs,
    postings: [
      {
        accountId: row.from_account_id,
        amountFen: -row.amount_fen,
        counterparty: `${maskName(row.payee_name)} ${maskNumber(row.payee_account_number)}`,
      },
      {
        accountId: creditAccountId,
        amountFen: row.amount_fen,
        counterparty: `${maskName(payer.name)} ${maskNumber(from.card_number ?? from.account_number)}`,
      },
    ],
  });
  const status = interbank ? 'pending' : 'completed';
  const updated: TransferRow = {
    ...row,
    status,
    entry_id: posted.entryId,
    completed_at_ms: interbank ? null : nowMs,
    settle_after_ms: interbank ? nowMs + deps.config.clearingSettleDelaySeconds * 1000 : null,
  };
  if (parties.isNew) {
    await trx.insertInto('transfer').values(updated).execute();
  } else {
    await trx
      .updateTable('transfer')
      .set({
        status,
        entry_id: posted.entryId,
        completed_at_ms: updated.completed_at_ms,
        settle_after_ms: updated.settle_after_ms,
      })
      .where('id', '=', row.id)
      .execute();
  }
  if (row.kind !== 'own') {
    await touchPayee(trx, row, nowMs);
    const balance = posted.balances[row.from_account_id]?.postedFen ?? 0;
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: payer.mobile,
        purpose: 'transfer.debit_notice',
        text: `【金库】您尾号 ${(from.card_number ?? from.account_number).slice(-4)} 的账户转出 ${formatMoney(row.amount_fen)} 元，余额 ${formatMoney(balance)} 元。`,
      },
      nowMs,
    );
  }
  await appendAudit(trx, {
    kind: interbank ? 'transfer.sent_to_clearing' : 'transfer.completed',
    atMs: nowMs,
    actor: { type: 'customer', id: row.customer_id },
    subject: { type: 'transfer', id: row.id },
    ip,
    details: { kind: row.kind, amount: formatMoney(row.amount_fen), entryId: posted.entryId },
  });
  return updated;
}

async function payingAccount(trx: Kysely<Database>, customerId: string, accountId: string) {
  const account = await accountById(trx, accountId);
  if (!account || account.customer_id !== customerId) throw new AppError(errors['payment.account_not_found']);
  if (account.status !== 'active')
    throw new AppError(errors['payment.account_unavailable'], { status: account.status });
  return account;
}

/** Finds the payee's account in this bank by card or account number and checks the holder's name. */
async function payeeAccount(trx: Kysely<Database>, number: string, name: string) {
  const column = isCardNumber(number) ? 'card_number' : isAccountNumber(number) ? 'account_number' : null;
  if (!column) throw new AppError(errors['payment.payee_invalid']);
  const account = await accountBy(trx, column, number);
  if (!account) throw new AppError(errors['payment.payee_not_found']);
  const holder = await customerById(trx, account.customer_id);
  if (!holder || holder.name !== name) throw new AppError(errors['payment.payee_name_mismatch']);
  if (account.status === 'closed' || account.status === 'under_investigation') {
    throw new AppError(errors['payment.payee_unavailable']);
  }
  return { account, holder };
}

async function checkCustomerLimits(trx: Kysely<Database>, row: TransferRow, nowMs: number) {
  // Two payments confirmed at once must not both fit under the same remaining limit: serialise a
  // customer's payments on their customer row until this transaction ends.
  await lockCustomer(trx, row.customer_id);
  const tier = await tierOf(trx, row.customer_id);
  const limits = await limitsOf(trx, row.customer_id, tier);
  checkLimits(limits, await usageOf(trx, row.customer_id, nowMs), row.amount_fen);
}

/** An early, friendly refusal; the posting itself checks again under the row lock. */
async function checkAvailable(trx: Kysely<Database>, accountId: string, amountFen: number) {
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
