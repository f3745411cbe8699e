import { api } from '../api/client';
import type {
  AccountList,
  AccountSummary,
  AuthorizationView,
  BalanceHistory,
  BanksView,
  CreateTransferBody,
  DeviceList,
  LoginHistory,
  PayeeView,
  SessionList,
  Transaction,
  TransactionPage,
  TransferView,
} from '../api/contract';

/**
 * The logged-in pages' calls (API.md, "Accounts and payments" and "Security centre"). Every shape is the
 * server's own response type (api/contract.ts); the names below are what the pages call them.
 */

export type Account = AccountSummary;
export type BalancePoint = BalanceHistory['items'][number];
/** A posting on an account: `amount` is signed (negative for debits); `counterparty` is a masked name. */
export type Posting = Transaction;
export type Payee = PayeeView;
export type Bank = BanksView['items'][number];
export type Authorization = AuthorizationView;
export type Transfer = TransferView;
export type TransferStatus = TransferView['status'];
/** A payee typed in, or `payeeId` of a saved payee (the server knows its full number). */
export type TransferRequest = CreateTransferBody;
export type SessionRow = SessionList['items'][number];
export type DeviceRow = DeviceList['items'][number];
export type LoginRow = LoginHistory['items'][number];

export const getAccounts = () => api<AccountList>('/api/v1/accounts');

export const getBalanceHistory = (accountId: string, days = 90) =>
  api<BalanceHistory>(`/api/v1/accounts/${encodeURIComponent(accountId)}/balance-history?days=${days}`);

/** What a history asks for: dates (Beijing, both included), income or expenses, text in counterparty or memo. */
export type HistoryFilter = { from?: string; to?: string; direction?: '' | 'in' | 'out'; q?: string };

export function getTransactions(accountId: string, filter: HistoryFilter & { cursor?: string | null }) {
  const query = new URLSearchParams();
  if (filter.from) query.set('from', filter.from);
  if (filter.to) query.set('to', filter.to);
  if (filter.direction) query.set('direction', filter.direction);
  if (filter.q?.trim()) query.set('q', filter.q.trim());
  if (filter.cursor) query.set('cursor', filter.cursor);
  query.set('limit', '20');
  return api<TransactionPage>(`/api/v1/accounts/${encodeURIComponent(accountId)}/transactions?${query}`);
}

/** The statement download address (a plain link: the browser sends the session cookie). */
export function statementUrl(accountId: string, format: 'csv' | 'pdf', from?: string, to?: string): string {
  const query = new URLSearchParams({ format });
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  return `/api/v1/accounts/${encodeURIComponent(accountId)}/statement?${query}`;
}

/** The banks a payee can be at, named in the language the request asks for (Accept-Language). */
export const getBanks = () => api<BanksView>('/api/v1/banks');

export const getPayees = () => api<{ items: Payee[] }>('/api/v1/payees');

export const postTransfer = (body: TransferRequest, idempotencyKey: string) =>
  api<Transfer>('/api/v1/transfers', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });

/** `response`: the digits a medium shows, or a U-shield's `AuthenticationResponseJSON`. */
export const authorizeTransfer = (id: string, method: string, response: string | object) =>
  api<Transfer>(`/api/v1/transfers/${encodeURIComponent(id)}/authorize`, {
    method: 'POST',
    body: { method, response },
  });

/** A fresh challenge for a transfer: a resend, or another medium among the alternatives. */
export const resendTransferCode = (id: string, method?: string) =>
  api<Transfer>(`/api/v1/transfers/${encodeURIComponent(id)}/challenge`, {
    method: 'POST',
    body: method ? { method } : {},
  });

/** Saves a payee (the server answers the one already saved with the same bank and number). */
export const savePayee = (payee: { name: string; accountNumber: string; bankCode?: string }) =>
  api<Payee>('/api/v1/payees', { method: 'POST', body: payee });

export const receiptUrl = (id: string) => `/api/v1/transfers/${encodeURIComponent(id)}/receipt`;

/** A fresh Idempotency-Key (kept by the caller for retries of the same confirmation). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
