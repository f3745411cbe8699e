import { api } from '../api/client';
import type { Money } from '../ui/money';

/** Shapes of API.md, "Accounts and payments" and "Security centre", as the logged-in pages use them. */

export type Account = {
  id: string;
  /** Masked, e.g. `6222 **** **** 1234`. */
  number: string;
  type: string;
  status: string;
  balance: Money;
  available: Money;
};

export type BalancePoint = { date: string; balance: Money };

export type Counterparty = string | { name?: string; accountNumber?: string; bankCode?: string; bankName?: string };

export type Posting = {
  id?: string;
  postedAt: string;
  memo?: string | null;
  counterparty?: Counterparty | null;
  /** Signed: negative for debits. */
  amount: Money;
  balanceAfter: Money;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type Payee = {
  id: string;
  name: string;
  /** Masked. */
  accountNumber: string;
  bankCode?: string | null;
  bankName?: string | null;
  lastUsedAt?: string | null;
};

export type Authorization = {
  method: string;
  challenge?: {
    maskedMobile?: string;
    mobile?: string;
    destination?: string;
    resendAfterSeconds?: number;
    [key: string]: unknown;
  } | null;
  alternatives?: string[];
};

export type TransferStatus = 'authorization_required' | 'completed' | 'pending' | 'rejected';

export type Transfer = {
  id: string;
  status: TransferStatus;
  authorization?: Authorization;
  [key: string]: unknown;
};

export type TransferRequest = {
  fromAccountId: string;
  /** A payee typed in; or `payeeId` of a saved payee (the server knows its full number). */
  payee?: { name: string; accountNumber: string; bankCode?: string };
  payeeId?: string;
  amount: Money;
  memo?: string;
};

export type SessionRow = {
  id: string;
  current?: boolean;
  channel?: string;
  device?: string;
  userAgent?: string | null;
  ip?: string | null;
  createdAt?: string;
  lastSeenAt?: string;
};

export type DeviceRow = {
  id: string;
  label?: string;
  firstSeenAt?: string;
  lastSeenAt?: string;
  name?: string;
  device?: string;
  kind?: string;
  createdAt?: string;
  lastUsedAt?: string;
};

export type LoginRow = {
  id?: string;
  at: string;
  channel: string;
  device?: string | null;
  ip?: string | null;
  result: string;
};

export const getAccounts = () => api<{ items: Account[] }>('/api/v1/accounts');

export const getBalanceHistory = (accountId: string, days = 90) =>
  api<{ items: BalancePoint[] }>(`/api/v1/accounts/${encodeURIComponent(accountId)}/balance-history?days=${days}`);

export function getTransactions(accountId: string, filter: { from?: string; to?: string; cursor?: string | null }) {
  const query = new URLSearchParams();
  if (filter.from) query.set('from', filter.from);
  if (filter.to) query.set('to', filter.to);
  if (filter.cursor) query.set('cursor', filter.cursor);
  query.set('limit', '20');
  return api<Page<Posting>>(`/api/v1/accounts/${encodeURIComponent(accountId)}/transactions?${query}`);
}

/** The statement download address (a plain link: the browser sends the session cookie). */
export function statementUrl(accountId: string, format: 'csv' | 'pdf', from?: string, to?: string): string {
  const query = new URLSearchParams({ format });
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  return `/api/v1/accounts/${encodeURIComponent(accountId)}/statement?${query}`;
}

export const getPayees = () => api<{ items: Payee[] }>('/api/v1/payees');

export const postTransfer = (body: TransferRequest, idempotencyKey: string) =>
  api<Transfer>('/api/v1/transfers', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });

export const authorizeTransfer = (id: string, method: string, response: string) =>
  api<Transfer>(`/api/v1/transfers/${encodeURIComponent(id)}/authorize`, {
    method: 'POST',
    body: { method, response },
  });

/** Sends a new SMS code for a transfer waiting for authorisation. */
export const resendTransferCode = (id: string) =>
  api<Transfer>(`/api/v1/transfers/${encodeURIComponent(id)}/challenge`, { method: 'POST', body: {} });

export const receiptUrl = (id: string) => `/api/v1/transfers/${encodeURIComponent(id)}/receipt`;

/** The counterparty's name, whatever shape the server used. */
export function counterpartyName(counterparty: Counterparty | null | undefined): string {
  if (!counterparty) return '';
  return typeof counterparty === 'string' ? counterparty : (counterparty.name ?? '');
}

/** A fresh Idempotency-Key (kept by the caller for retries of the same confirmation). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
