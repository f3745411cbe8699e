import { type Static, Type } from 'typebox';
import { ID_PATTERN } from '../platform/ids.ts';
import { MoneySchema } from '../platform/money.ts';

/**
 * The customer's accounts on the wire (API.md, "Accounts and payments"): requests and answers of the
 * routes in routes.ts. The web app imports the static types from here.
 */

export const AccountParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

/** A calendar date in the bank's local time (UTC+8), `2026-11-24`. */
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date in Beijing time' });

export const TransactionsQuery = Type.Object(
  {
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    direction: Type.Optional(
      Type.Union([Type.Literal('in'), Type.Literal('out')], {
        description: 'in: credits only (income); out: debits only (expenses); absent: both',
      }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 50,
        description: 'keeps entries whose counterparty or memo contains this text (any case)',
      }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

export const BalanceHistoryQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 90 })) },
  { additionalProperties: false },
);

export const StatementQuery = Type.Object(
  {
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('pdf')], { default: 'csv' })),
  },
  { additionalProperties: false },
);

export const AccountType = Type.Union([Type.Literal('debit_card'), Type.Literal('savings')]);

export const AccountStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('not_activated'),
  Type.Literal('frozen'),
  Type.Literal('closed'),
  Type.Literal('under_investigation'),
]);

const DateTime = Type.String({ format: 'date-time' });

/** One account in the list: its number masked. */
export const AccountSummary = Type.Object({
  id: Type.String(),
  number: Type.String({ description: 'masked, e.g. 6222 **** **** 1234' }),
  type: AccountType,
  status: AccountStatus,
  currency: Type.Literal('CNY'),
  balance: MoneySchema,
  available: MoneySchema,
});

export const AccountList = Type.Object({ items: Type.Array(AccountSummary) });

/** One account in full, for its owner only. */
export const AccountDetail = Type.Object({
  ...AccountSummary.properties,
  cardNumber: Type.Union([Type.String(), Type.Null()]),
  accountNumber: Type.String(),
  branchCode: Type.String(),
  openedAt: DateTime,
});

/** A posting on the account: `amount` is signed (negative for money out). */
export const Transaction = Type.Object({
  id: Type.String(),
  amount: MoneySchema,
  balanceAfter: MoneySchema,
  counterparty: Type.Union([Type.String(), Type.Null()], { description: 'masked name of the other party' }),
  memo: Type.String(),
  postedAt: DateTime,
  serial: Type.String({ description: "the entry's serial number: a transfer's id, else its journal entry's id" }),
  transferId: Type.Union([Type.String(), Type.Null()], {
    description: "the customer's own transfer this debit paid (its receipt: GET /api/v1/transfers/{id}/receipt)",
  }),
});

export const TransactionPage = Type.Object({
  items: Type.Array(Transaction),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** End-of-day balances for the chart, oldest first, today last; `date` is a Beijing-time date. */
export const BalanceHistory = Type.Object({
  openedOn: Type.String({ format: 'date', description: 'the Beijing date the account opened; no point before it' }),
  items: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), balance: MoneySchema })),
});

/** The statement is a file, not JSON: documented per content type, sent as an attachment. */
export const StatementFile = {
  description: 'The statement as an attachment (Content-Disposition), times in Beijing time',
  content: {
    'text/csv': { schema: Type.String({ description: 'UTF-8 with a byte-order mark' }) },
    // Bytes, sent as they are (Fastify serialises only objects): the type says what the handler sends.
    'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
  },
};

export type AccountSummary = Static<typeof AccountSummary>;
export type AccountList = Static<typeof AccountList>;
export type AccountDetail = Static<typeof AccountDetail>;
export type Transaction = Static<typeof Transaction>;
export type TransactionPage = Static<typeof TransactionPage>;
export type BalanceHistory = Static<typeof BalanceHistory>;
export type TransactionsQuery = Static<typeof TransactionsQuery>;
export type StatementQuery = Static<typeof StatementQuery>;
