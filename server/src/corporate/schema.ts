import { type Static, Type } from 'typebox';
import { ID_PATTERN } from '../platform/ids.ts';
import { MoneySchema } from '../platform/money.ts';
import { PersonText } from '../platform/text-schema.ts';

/** Corporate e-banking's HTTP contract (API.md, "Corporate e-banking"). */

const Id = Type.String({ pattern: ID_PATTERN });
const Time = Type.String({ format: 'date-time' });
/** A positive amount with two decimals at most, as a client sends it. */
const MoneyIn = Type.Object(
  { amount: Type.String({ pattern: '^\\d{1,15}(\\.\\d{1,2})?$' }), currency: Type.Literal('CNY') },
  { additionalProperties: false },
);
const Open = { additionalProperties: true } as const;
/** The authorization pattern's answer (API.md, "Authorization"). */
const AuthorizationAnswer = Type.Object(
  {
    method: Type.Literal('u_shield'),
    challengeId: Id,
    response: Type.Union([Type.String({ maxLength: 20_000 }), Type.Object({}, Open)]),
  },
  { additionalProperties: false },
);

export const RoleName = Type.Union([
  Type.Literal('admin'),
  Type.Literal('maker'),
  Type.Literal('checker'),
  Type.Literal('releaser'),
  Type.Literal('viewer'),
]);

// ——— Counter onboarding ———

export const NewEnterpriseBody = Type.Object(
  {
    name: PersonText({ minLength: 2, maxLength: 100 }),
    unifiedSocialCreditCode: Type.String({ minLength: 1, maxLength: 30 }),
    accounts: Type.Array(Id, { minItems: 1, maxItems: 20 }),
    admin: Type.Object(
      {
        name: PersonText({ minLength: 1, maxLength: 50 }),
        idNumber: Type.String({ minLength: 1, maxLength: 30 }),
        mobile: Type.String({ pattern: '^1\\d{10}$' }),
      },
      { additionalProperties: false },
    ),
    dailyLimit: Type.Optional(MoneyIn),
    /** How long a submitted instruction waits for its approvals (default 72 hours). */
    approvalTtlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
  },
  { additionalProperties: false },
);
export const NewEnterpriseAnswer = Type.Object({
  id: Type.String(),
  enterpriseCode: Type.String(),
  name: Type.String(),
  unifiedSocialCreditCode: Type.String(),
  admin: Type.Object({ id: Type.String(), operatorCode: Type.String(), initialPassword: Type.String() }),
  operationId: Type.String(),
});

// ——— Sign-in and session ———

export const OperatorView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  role: RoleName,
  enterprise: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
});
export type OperatorView = Static<typeof OperatorView>;

export const CorpLoginBody = Type.Object(
  {
    enterpriseCode: Type.String({ minLength: 1, maxLength: 32 }),
    operatorCode: Type.String({ minLength: 1, maxLength: 32 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export const CorpLoginAnswer = Type.Union([
  Type.Object({ state: Type.Literal('authenticated'), operator: OperatorView }),
  Type.Object({ state: Type.Literal('change_password'), attemptId: Type.String() }),
  Type.Object({
    state: Type.Literal('register_medium'),
    attemptId: Type.String(),
    registrationId: Type.String(),
    options: Type.Object({}, Open),
  }),
  Type.Object({
    state: Type.Literal('challenge'),
    attemptId: Type.String(),
    challenge: Type.Object({ method: Type.Literal('u_shield'), options: Type.Object({}, Open) }),
    alternatives: Type.Array(Type.String()),
  }),
]);
export type CorpLoginAnswer = Static<typeof CorpLoginAnswer>;
export const AttemptParams = Type.Object({ attemptId: Id }, { additionalProperties: false });
export const NewPasswordBody = Type.Object(
  { newPassword: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export const MediumBody = Type.Object(
  {
    credential: Type.Object({}, Open),
    kind: Type.Optional(Type.Union([Type.Literal('u_shield'), Type.Literal('passkey')])),
  },
  { additionalProperties: false },
);
export const VerifyBody = Type.Object(
  {
    method: Type.Literal('u_shield'),
    response: Type.Union([Type.String({ maxLength: 20_000 }), Type.Object({}, Open)]),
  },
  { additionalProperties: false },
);
export const CorpSessionAnswer = Type.Object({
  authenticated: Type.Boolean(),
  csrfToken: Type.String(),
  operator: Type.Optional(OperatorView),
});
export const NoContent = Type.Null();

// ——— The authorization pattern ———

export const AuthorizationRequired = Type.Object({
  status: Type.Literal('authorization_required'),
  challengeId: Type.String(),
  authorization: Type.Object({}, Open),
  /** SHA-256 of the canonical form being signed, for the page to show beside the key's prompt. */
  canonicalHash: Type.Optional(Type.String()),
});

// ——— Operators ———

export const OperatorItem = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  role: RoleName,
  status: Type.String(),
  mobile: Type.String(),
  accounts: Type.Array(Type.String()),
  singleLimit: MoneySchema,
  dailyLimit: MoneySchema,
  hasMedium: Type.Boolean(),
  locked: Type.Boolean(),
});
export const OperatorList = Type.Object({ items: Type.Array(OperatorItem) });
export const NewOperatorBody = Type.Object(
  {
    code: Type.Optional(Type.String({ pattern: '^\\d{3,6}$' })),
    name: PersonText({ minLength: 1, maxLength: 50 }),
    idNumber: Type.String({ minLength: 1, maxLength: 30 }),
    mobile: Type.String({ pattern: '^1\\d{10}$' }),
    role: Type.Union([
      Type.Literal('maker'),
      Type.Literal('checker'),
      Type.Literal('releaser'),
      Type.Literal('viewer'),
    ]),
    accounts: Type.Array(Id, { maxItems: 20 }),
    singleLimit: MoneyIn,
    dailyLimit: MoneyIn,
    authorization: Type.Optional(AuthorizationAnswer),
  },
  { additionalProperties: false },
);
export const NewOperatorAnswer = Type.Object({
  operator: OperatorItem,
  initialPassword: Type.String(),
});

// ——— Policies ———

const LevelSchema = Type.Object(
  { required: Type.Integer({ minimum: 1, maximum: 20 }), operators: Type.Array(Id, { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
const TierSchema = Type.Object(
  { upTo: MoneyIn, levels: Type.Array(LevelSchema, { minItems: 1, maxItems: 5 }), release: Type.Boolean() },
  { additionalProperties: false },
);
const BusinessTypeName = Type.Union([Type.Literal('payment'), Type.Literal('payroll')]);
export const PolicyIn = Type.Object(
  { accountId: Id, businessType: BusinessTypeName, tiers: Type.Array(TierSchema, { minItems: 1, maxItems: 10 }) },
  { additionalProperties: false },
);
export const PoliciesBody = Type.Object(
  { policies: Type.Array(PolicyIn, { maxItems: 40 }), authorization: Type.Optional(AuthorizationAnswer) },
  { additionalProperties: false },
);
export const PolicyList = Type.Object({
  items: Type.Array(
    Type.Object({
      accountId: Type.String(),
      businessType: BusinessTypeName,
      tiers: Type.Array(
        Type.Object({
          upTo: MoneySchema,
          levels: Type.Array(Type.Object({ required: Type.Integer(), operators: Type.Array(Type.String()) })),
          release: Type.Boolean(),
        }),
      ),
      updatedAt: Time,
    }),
  ),
});

// ——— Payment instructions ———

export const PaymentBody = Type.Object(
  {
    fromAccountId: Id,
    payee: Type.Object(
      {
        name: PersonText({ minLength: 1, maxLength: 100 }),
        accountNumber: Type.String({ pattern: '^[0-9 ]{8,32}$' }),
        bankCode: Type.Optional(Type.String({ pattern: '^\\d{3}$' })),
      },
      { additionalProperties: false },
    ),
    amount: MoneyIn,
    purpose: PersonText({ minLength: 1, maxLength: 100 }),
    draft: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const SignBody = Type.Object(
  { authorization: Type.Optional(AuthorizationAnswer) },
  { additionalProperties: false },
);
export const RejectBody = Type.Object(
  { reason: PersonText({ minLength: 1, maxLength: 200 }), authorization: Type.Optional(AuthorizationAnswer) },
  { additionalProperties: false },
);
export const InstructionStateName = Type.Union([
  Type.Literal('draft'),
  Type.Literal('pending'),
  Type.Literal('pending_release'),
  Type.Literal('executed'),
  Type.Literal('rejected'),
  Type.Literal('expired'),
]);
export const ChainStep = Type.Object({
  level: Type.Integer(),
  operator: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  reason: Type.Optional(Type.String()),
  at: Time,
});
export const InstructionView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  state: InstructionStateName,
  version: Type.Integer(),
  level: Type.Integer(),
  required: Type.Integer(),
  approvals: Type.Integer(),
  release: Type.Union([Type.Literal('releaser'), Type.Literal('admin'), Type.Null()]),
  fromAccountId: Type.String(),
  payee: Type.Object({ name: Type.String(), accountNumber: Type.String(), bankCode: Type.String() }),
  amount: MoneySchema,
  amountInWords: Type.String(),
  purpose: Type.String(),
  maker: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
  chain: Type.Array(ChainStep),
  canonicalHash: Type.String(),
  reason: Type.Optional(Type.String()),
  createdAt: Time,
  expiresAt: Time,
  executedAt: Type.Optional(Time),
  /** A payment to another bank, once executed: waiting for clearing, settled, or returned to the account. */
  clearing: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('settled'), Type.Literal('returned')])),
});
export type InstructionView = Static<typeof InstructionView>;
export const InstructionList = Type.Object({ items: Type.Array(InstructionView) });
export const InstructionListQuery = Type.Object(
  { waitingForMe: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

// ——— Payroll batches ———

export const BatchBody = Type.Object(
  {
    fromAccountId: Id,
    fileName: PersonText({ minLength: 1, maxLength: 200 }),
    /** The CSV file's bytes, base64 (UTF-8 or GBK). */
    content: Type.String({ minLength: 1, maxLength: 2_000_000, pattern: '^[A-Za-z0-9+/=\\s]*$' }),
    purpose: Type.Optional(PersonText({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
const BadLineSchema = Type.Object({
  line: Type.Integer(),
  reason: Type.String(),
  zh: Type.String(),
  en: Type.String(),
});
export const BatchView = Type.Object({
  id: Type.String(),
  instructionId: Type.String(),
  fileName: Type.String(),
  encoding: Type.String(),
  state: Type.Union([
    Type.Literal('validated'),
    Type.Literal('executing'),
    Type.Literal('completed'),
    Type.Literal('expired'),
  ]),
  count: Type.Integer(),
  total: MoneySchema,
  totalInWords: Type.String(),
  linesSha256: Type.String(),
  bad: Type.Array(BadLineSchema),
  duplicates: Type.Array(Type.Integer()),
  posted: Type.Integer(),
  failed: Type.Integer(),
  pending: Type.Integer(),
  /** Of the posted lines, those to other banks still waiting for clearing's answer, and those it returned. */
  inClearing: Type.Integer(),
  returned: Type.Integer(),
});
export const ResultFile = Type.String();

export const CorpAccountList = Type.Object({
  items: Type.Array(
    Type.Object({ id: Type.String(), number: Type.String(), balance: MoneySchema, available: MoneySchema }),
  ),
});
export type CorpSessionAnswer = Static<typeof CorpSessionAnswer>;
export type CorpAccountList = Static<typeof CorpAccountList>;
export type InstructionList = Static<typeof InstructionList>;
export type AuthorizationRequired = Static<typeof AuthorizationRequired>;
export type BatchView = Static<typeof BatchView>;

export const OperatorChangeBody = Type.Object(
  {
    role: Type.Optional(
      Type.Union([Type.Literal('maker'), Type.Literal('checker'), Type.Literal('releaser'), Type.Literal('viewer')]),
    ),
    accounts: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    singleLimit: Type.Optional(MoneyIn),
    dailyLimit: Type.Optional(MoneyIn),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    /** Lifts the lock after too many wrong passwords. */
    unlock: Type.Optional(Type.Literal(true)),
    authorization: Type.Optional(AuthorizationAnswer),
  },
  { additionalProperties: false },
);
export const OperatorChanged = Type.Object({ operator: OperatorItem });
export type OperatorList = Static<typeof OperatorList>;
export type PolicyList = Static<typeof PolicyList>;
export type NewOperatorAnswer = Static<typeof NewOperatorAnswer>;

// ——— At the counter ———

export const CounterEnterpriseQuery = Type.Object(
  { q: PersonText({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
const EnterpriseStatus = Type.Union([Type.Literal('active'), Type.Literal('suspended')]);
export const CounterEnterpriseList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      name: Type.String(),
      unifiedSocialCreditCode: Type.String(),
      status: EnterpriseStatus,
    }),
  ),
});
export const CounterEnterpriseDetail = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  unifiedSocialCreditCode: Type.String(),
  status: EnterpriseStatus,
  dailyLimit: MoneySchema,
  createdAt: Time,
  accounts: Type.Array(
    Type.Object({ id: Type.String(), number: Type.String(), status: Type.String(), balance: MoneySchema }),
  ),
  operators: Type.Array(OperatorItem),
});
export const CounterOperatorParams = Type.Object({ id: Id, operatorId: Id }, { additionalProperties: false });
export const CounterOperatorUnlocked = Type.Object({
  status: Type.Literal('completed'),
  operationId: Type.String(),
  wasLocked: Type.Boolean(),
});
export type CounterEnterpriseList = Static<typeof CounterEnterpriseList>;
export type CounterEnterpriseDetail = Static<typeof CounterEnterpriseDetail>;
