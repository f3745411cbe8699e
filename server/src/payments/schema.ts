import { Type } from 'typebox';
import { ID_PATTERN } from '../platform/ids.ts';

/** Money on the wire (API.md, "Conventions"): a positive decimal string with two fraction digits. */
export const MoneyIn = Type.Object(
  {
    amount: Type.String({ pattern: '^\\d{1,15}(\\.\\d{1,2})?$', maxLength: 20 }),
    currency: Type.Literal('CNY'),
  },
  { additionalProperties: false },
);

export const MoneyOut = Type.Object({ amount: Type.String(), currency: Type.Literal('CNY') });

export const IdParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

export const PayeeIn = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
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
    memo: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);

export const AuthorizeBody = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 20 }),
    response: Type.String({ minLength: 1, maxLength: 8192 }),
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
