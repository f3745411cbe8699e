import { type Static, Type } from 'typebox';
import { ID_PATTERN } from '../platform/ids.ts';
// The authorization pattern's shapes are the media domain's; schema files import each other directly
// (they hold no code), so the web app can import them type-only.
import { AuthMethodOut, AuthorizationOut } from '../media/schema.ts';
import { MoneySchema } from '../platform/money.ts';
import { PersonText } from '../platform/text-schema.ts';

/**
 * Money on the wire (API.md, "Conventions"): a decimal string with exactly two fraction digits. A number
 * (`1.5`) is refused, not coerced: a JSON body is validated without coercion (platform/http/validation.ts).
 */
export const MoneyIn = Type.Object(
  {
    amount: Type.String({ pattern: '^\\d{1,15}\\.\\d{2}$', maxLength: 20 }),
    currency: Type.Literal('CNY'),
  },
  { additionalProperties: false },
);

/** Money in an answer: the one schema of platform/money.ts. */
export const MoneyOut = MoneySchema;

export const IdParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

export const PayeeIn = Type.Object(
  {
    name: PersonText({ minLength: 1, maxLength: 60 }),
    accountNumber: Type.String({ minLength: 8, maxLength: 40, pattern: '^[0-9 -]+$' }),
    bankCode: Type.Optional(Type.String({ pattern: '^\\d{3}$' })),
  },
  { additionalProperties: false },
);

export const CreateTransferBody = Type.Object(
  {
    fromAccountId: Type.String({ pattern: ID_PATTERN }),
    /** The payee typed in; or `payeeId` of a saved payee ("transfer again"). */
    payee: Type.Optional(PayeeIn),
    payeeId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
    amount: MoneyIn,
    memo: Type.Optional(PersonText({ maxLength: 60 })),
  },
  { additionalProperties: false },
);

export const AuthorizeBody = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 20 }),
    // The digits a medium shows, or a U-shield's assertion (`AuthenticationResponseJSON`, API.md).
    response: Type.Union([
      Type.String({ minLength: 1, maxLength: 8192 }),
      Type.Object({}, { additionalProperties: true, maxProperties: 16 }),
    ]),
  },
  { additionalProperties: false },
);

export const LimitsBody = Type.Object(
  {
    perPayment: Type.Union([MoneyIn, Type.Null()]),
    daily: Type.Union([MoneyIn, Type.Null()]),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' })),
});

/** The body of POST /transfers/{id}/challenge: another medium among the alternatives, or a resend. */
export const ChallengeBody = Type.Object({ method: Type.Optional(AuthMethodOut) }, { additionalProperties: false });

export const TransferStatusOut = Type.Union([
  Type.Literal('authorization_required'),
  Type.Literal('pending'),
  Type.Literal('completed'),
  Type.Literal('rejected'),
  Type.Literal('returned'),
  Type.Literal('expired'),
]);

/** A transfer as its owner sees it. */
export const TransferOut = Type.Object({
  id: Type.String(),
  status: TransferStatusOut,
  kind: Type.Union([Type.Literal('own'), Type.Literal('same_bank'), Type.Literal('interbank')]),
  fromAccountId: Type.String(),
  payee: Type.Object({
    name: Type.String(),
    accountNumber: Type.String({ description: 'masked' }),
    bankCode: Type.String(),
    bankName: Type.String(),
  }),
  amount: MoneyOut,
  memo: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reasonCode: Type.Optional(Type.String()),
  authorization: Type.Optional(AuthorizationOut),
});

export const PayeeOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  accountNumber: Type.String({ description: 'masked' }),
  bankCode: Type.String(),
  bankName: Type.String(),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const PayeesOut = Type.Object({ items: Type.Array(PayeeOut) });

export const BanksOut = Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) });

export const TierOut = Type.Union([
  Type.Literal('static'),
  Type.Literal('sms'),
  Type.Literal('password_card'),
  Type.Literal('e_token'),
  Type.Literal('u_shield'),
]);

export const LimitsOut = Type.Object({
  tier: TierOut,
  perPayment: MoneyOut,
  daily: MoneyOut,
  usedToday: MoneyOut,
  /** Only for a static-password customer: the cumulative limit and what is used of it. */
  total: Type.Optional(MoneyOut),
  usedTotal: Type.Optional(MoneyOut),
  tierLimits: Type.Object({ perPayment: MoneyOut, daily: MoneyOut }),
  /**
   * The methods this customer can sign a payment with now, least friction first, each with the most it
   * may sign in one payment: a payment of X is signed by the first whose `upTo` is at least X.
   */
  signers: Type.Array(Type.Object({ method: AuthMethodOut, upTo: MoneyOut })),
  own: Type.Object({
    perPayment: Type.Union([MoneyOut, Type.Null()]),
    daily: Type.Union([MoneyOut, Type.Null()]),
  }),
});

export type TransferView = Static<typeof TransferOut>;
export type PayeeView = Static<typeof PayeeOut>;
export type LimitsView = Static<typeof LimitsOut>;
export type BanksView = Static<typeof BanksOut>;
export type CreateTransferBody = Static<typeof CreateTransferBody>;
