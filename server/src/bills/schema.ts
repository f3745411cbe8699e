import { type Static, Type } from 'typebox';
// Schema files import each other directly (they hold no code), so the web app can import them type-only.
import { AuthorizationOut } from '../media/schema.ts';
import { IdParams, MoneyIn, MoneyOut } from '../payments/schema.ts';
import { ID_PATTERN } from '../platform/ids.ts';

export { IdParams };

export const CategoryOut = Type.Union([
  Type.Literal('electricity'),
  Type.Literal('water'),
  Type.Literal('gas'),
  Type.Literal('mobile'),
  Type.Literal('broadband'),
  Type.Literal('tuition'),
]);

const BillerId = Type.String({ pattern: '^[a-z0-9-]{1,40}$' });
/** A bill account as printed on a bill: digits or letters, spaces and dashes removed by the server. */
const BillAccount = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9 -]+$' });

export const BillerOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  category: CategoryOut,
  region: Type.String(),
  /** The form of its bill account numbers (a regular expression), for the form's hint. */
  accountPattern: Type.String(),
});

export const BillersOut = Type.Object({ items: Type.Array(BillerOut) });

export const BillQueryBody = Type.Object(
  { billerId: BillerId, billAccount: BillAccount },
  { additionalProperties: false },
);

export const BillQueryOut = Type.Object({
  billerId: Type.String(),
  billerName: Type.String(),
  billAccount: Type.String(),
  holderName: Type.String({ description: 'masked, as 张*' }),
  /** Null for a mobile top-up: the customer chooses the amount (one of `topUpChoices`, or typed). */
  amountDue: Type.Union([MoneyOut, Type.Null()]),
  period: Type.Union([Type.String({ description: 'YYYY-MM' }), Type.Null()]),
  topUpChoices: Type.Optional(Type.Array(MoneyOut)),
});

export const BillPaymentBody = Type.Object(
  {
    billerId: BillerId,
    billAccount: BillAccount,
    fromAccountId: Type.String({ pattern: ID_PATTERN }),
    amount: MoneyIn,
  },
  { additionalProperties: false },
);

export const BillPaymentOut = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('authorization_required'), Type.Literal('completed'), Type.Literal('expired')]),
  billerId: Type.String(),
  billerName: Type.String(),
  category: CategoryOut,
  billAccount: Type.String(),
  holderName: Type.String(),
  period: Type.Union([Type.String(), Type.Null()]),
  fromAccountId: Type.String(),
  amount: MoneyOut,
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reasonCode: Type.Optional(Type.String()),
  authorization: Type.Optional(AuthorizationOut),
});

export const SavedBillAccountIn = Type.Object(
  { billerId: BillerId, billAccount: BillAccount },
  { additionalProperties: false },
);

export const SavedBillAccountOut = Type.Object({
  id: Type.String(),
  billerId: Type.String(),
  billerName: Type.String(),
  category: CategoryOut,
  billAccount: Type.String(),
  lastPaid: Type.Union([Type.Object({ amount: MoneyOut, at: Type.String({ format: 'date-time' }) }), Type.Null()]),
});

export const SavedBillAccountsOut = Type.Object({ items: Type.Array(SavedBillAccountOut) });

export type BillerView = Static<typeof BillerOut>;
export type BillersView = Static<typeof BillersOut>;
export type BillQueryView = Static<typeof BillQueryOut>;
export type BillPaymentView = Static<typeof BillPaymentOut>;
export type BillPaymentRequest = Static<typeof BillPaymentBody>;
export type SavedBillAccountView = Static<typeof SavedBillAccountOut>;
export type SavedBillAccountsView = Static<typeof SavedBillAccountsOut>;
