import type { Db } from '../database.ts';
import {
  type Balance,
  balancesOf,
  dailyBalances,
  MAX_PAGE_SIZE,
  postingsOf,
  returnedReferences,
} from '../ledger/index.ts';
import { chinaDate, chinaDateStartMs, DAY_MS } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import { AppError, requestErrors } from '../platform/errors.ts';
import { money } from '../platform/money.ts';
import { customerErrors as errors } from './errors.ts';
import { maskNumber } from './numbers.ts';
import type {
  AccountDetail,
  AccountList,
  AccountSummary,
  BalanceHistory,
  TransactionPage,
  TransactionsQuery,
} from './schema.ts';
import { type AccountRow, accountById, accountsOf, type CustomerId } from './store.ts';

/**
 * What a signed-in customer sees of their own accounts: the list with balances, one account in full,
 * its history and its balance chart. Balances and postings are the ledger's; these functions pick the
 * customer's own accounts and shape the answers of API.md, "Accounts and payments".
 */

const NO_BALANCE: Balance = { postedFen: 0, availableFen: 0 };

/** The customer's own account; someone else's answers exactly like one that does not exist. */
export async function ownAccount(db: Db, customerId: CustomerId, accountId: string): Promise<AccountRow> {
  const account = await accountById(db, accountId);
  if (!account || account.customer_id !== customerId) throw new AppError(errors['account.not_found']);
  return account;
}

/** The customer's accounts with posted and available balances, read as one snapshot. */
export async function accountList(db: Db, customerId: CustomerId): Promise<AccountList> {
  const accounts = await accountsOf(db, customerId);
  const balances = await balancesOf(
    db,
    accounts.map((a) => a.id),
  );
  return { items: accounts.map((account) => summary(account, balances.get(account.id) ?? NO_BALANCE)) };
}

/** One of the customer's accounts in full, with its unmasked numbers (API.md: only for the owner). */
export async function accountDetail(db: Db, customerId: CustomerId, accountId: string): Promise<AccountDetail> {
  const account = await ownAccount(db, customerId, accountId);
  const balance = (await balancesOf(db, [account.id])).get(account.id) ?? NO_BALANCE;
  return {
    ...summary(account, balance),
    cardNumber: account.card_number,
    accountNumber: account.account_number,
    branchCode: account.branch_code,
    openedAt: isoTime(account.opened_at_ms),
  };
}

function summary(account: AccountRow, balance: Balance): AccountSummary {
  return {
    id: account.id,
    number: maskNumber(account.card_number ?? account.account_number),
    type: account.kind,
    status: account.status,
    currency: account.currency,
    balance: money(balance.postedFen),
    available: money(balance.availableFen),
  };
}

/** Entry kinds whose reference is the serial the customer was shown (a transfer's, a bill payment's id). */
const SERIAL_IS_REFERENCE: ReadonlySet<string> = new Set(['transfer', 'bill_payment']);

/** A page of the account's postings, newest first; `from` and `to` are whole local days, both included. */
export async function transactionPage(
  db: Db,
  customerId: CustomerId,
  accountId: string,
  query: TransactionsQuery,
): Promise<TransactionPage> {
  const account = await ownAccount(db, customerId, accountId);
  const page = await postingsOf(db, account.id, {
    ...(query.from ? { fromMs: localDateStartMs(query.from) } : {}),
    ...(query.to ? { toMs: localDateStartMs(query.to) + DAY_MS } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.direction ? { direction: query.direction } : {}),
    ...(query.q?.trim() ? { text: query.q.trim() } : {}),
    limit: Math.min(query.limit ?? 20, MAX_PAGE_SIZE),
  });
  const paidTransfer = (posting: (typeof page.items)[number]) =>
    posting.entry_kind === 'transfer' && posting.amount_fen < 0;
  // A transfer another bank sent back has no receipt (the receipt route refuses it): offer none.
  const returned = await returnedReferences(
    db,
    page.items.filter(paidTransfer).map((posting) => posting.entry_reference),
  );
  return {
    items: page.items.map((posting) => ({
      id: posting.id,
      amount: money(posting.amount_fen),
      balanceAfter: money(posting.balance_after_fen),
      counterparty: posting.counterparty,
      memo: posting.memo,
      postedAt: isoTime(posting.posted_at_ms),
      // A transfer's entry names the transfer (payments' transferEntry), a bill payment's the payment
      // (bills): the serial the customer saw on the result page and the receipt. A transfer's receipt is
      // the payer's, so only the debit offers it.
      serial: SERIAL_IS_REFERENCE.has(posting.entry_kind) ? posting.entry_reference : posting.entry_id,
      transferId: paidTransfer(posting) && !returned.has(posting.entry_reference) ? posting.entry_reference : null,
    })),
    nextCursor: page.nextCursor,
  };
}

/**
 * End-of-day balances of the last `days` local days, today last (the chart), but none before the day the
 * account opened: a chart that starts earlier draws a balance the account never had.
 */
export async function balanceHistory(
  db: Db,
  customerId: CustomerId,
  accountId: string,
  days: number,
  nowMs: number,
): Promise<BalanceHistory> {
  const account = await ownAccount(db, customerId, accountId);
  const openedOn = chinaDate(account.opened_at_ms);
  const balances = await dailyBalances(db, account.id, days, nowMs);
  return {
    openedOn,
    items: balances
      .filter((day) => day.date >= openedOn)
      .map((day) => ({ date: day.date, balance: money(day.balanceFen) })),
  };
}

/**
 * The instant a local date from a request begins. The schema checked its shape; a date that does not
 * exist (`2026-02-30`) is a 400, not a silently shifted day.
 */
export function localDateStartMs(date: string): number {
  const startMs = chinaDateStartMs(date);
  if (Number.isNaN(startMs) || chinaDate(startMs) !== date) {
    throw new AppError(requestErrors['request.invalid'], { reason: `date ${date}` });
  }
  return startMs;
}
