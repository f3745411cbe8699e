import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Every TanStack Query key of the web app, so that a page that reads a list and a write that changes it
 * name the same cache entry. A key's first element is its family: invalidating the family key refreshes
 * every entry below it (all accounts' transactions, whatever the filter).
 */
export const queryKeys = {
  session: ['session'],
  captcha: (generation: number) => ['captcha', generation],
  /** The login-password rules: the same for everyone, fetched once per page load. */
  passwordPolicy: ['password-policy'],
  /** The service agreement in force (its text in both languages and its version). */
  agreement: ['agreement'],
  qrImage: (payload: string | undefined) => ['qr-image', payload],
  qrState: (qrId: string | undefined) => ['qr-state', qrId],
  accounts: ['accounts'],
  balanceHistory: {
    all: ['balance-history'],
    of: (accountId: string, days: number) => ['balance-history', accountId, days],
  },
  transactions: {
    all: ['transactions'],
    of: (accountId: string, from: string, to: string, direction = '', q = '') => [
      'transactions',
      accountId,
      from,
      to,
      direction,
      q,
    ],
  },
  payees: ['payees'],
  /** The tier's limits and what today's payments have used of them. */
  limits: ['limits'],
  /** The server names the banks in the request's language, so each language is its own entry. */
  banks: (language: string) => ['banks', language],
  security: {
    all: ['security'],
    sessions: ['security', 'sessions'],
    devices: ['security', 'devices'],
    logins: ['security', 'logins'],
    /** The tier and the security media the customer holds. */
    media: ['security', 'media'],
  },
} as const;

/**
 * What a payment changes: balances, postings, the balance charts, the saved payees (it may add one),
 * today's use of the limits, and a password card's uses left.
 */
export const afterTransfer: readonly QueryKey[] = [
  queryKeys.accounts,
  queryKeys.transactions.all,
  queryKeys.balanceHistory.all,
  queryKeys.payees,
  queryKeys.limits,
  queryKeys.security.media,
];

/** What a new or locked medium changes: the media list, and the tier with its limits. */
export const afterMediaChange: readonly QueryKey[] = [queryKeys.security.media, queryKeys.limits];

/** Marks each key (and every entry below it) stale and refetches the ones on screen. */
export function invalidate(client: QueryClient, keys: readonly QueryKey[]): void {
  for (const queryKey of keys) void client.invalidateQueries({ queryKey });
}
