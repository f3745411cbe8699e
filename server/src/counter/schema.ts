import { type Static, Type } from 'typebox';
import { PasskeyVerifyBody } from '../auth/passkey-schema.ts';
import {
  MediumItem,
  MediaList,
  UShieldVerifyBody,
  WebAuthnCreationOptionsOut,
  WebAuthnRequestOptionsOut,
} from '../media/schema.ts';
import { ID_PATTERN } from '../platform/ids.ts';
import { MoneySchema } from '../platform/money.ts';
import { PersonText } from '../platform/text-schema.ts';

/**
 * The counter's HTTP contract (API.md, "Counter"): request bodies and answers, validated and
 * serialised by Fastify with these schemas. The web console imports the static types through
 * web/src/api/contract.ts.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
/** Money as the rest of the API takes it: exactly two decimals ("100.00"); above zero is the service's check. */
const MoneyIn = Type.Object(
  { amount: Type.String({ pattern: '^\\d{1,15}\\.\\d{2}$' }), currency: Type.Literal('CNY') },
  { additionalProperties: false },
);

// ——— Staff and sessions ———

export const StaffRoleName = Type.Union([Type.Literal('teller'), Type.Literal('supervisor'), Type.Literal('admin')]);
export const StaffView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String(),
  role: StaffRoleName,
  branch: Type.String(),
});
export const CounterLoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    totp: Type.String({ minLength: 1, maxLength: 10 }),
  },
  { additionalProperties: false },
);
export const CounterLoginAnswer = Type.Object({ staff: StaffView });
export const CounterSessionAnswer = Type.Object({
  authenticated: Type.Boolean(),
  csrfToken: Type.String(),
  staff: Type.Optional(StaffView),
});
export const NoContent = Type.Null();

// ——— Security keys of staff (issue 15: "or a WebAuthn key") ———

export const CounterKeyLoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export const CounterKeyLoginStarted = Type.Object({ attemptId: Type.String(), options: WebAuthnRequestOptionsOut });
export const AttemptParams = Type.Object(
  { attemptId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
/** The key's `AuthenticationResponseJSON` (the same shape a passkey sign-in sends). */
export const CounterKeyLoginVerifyBody = PasskeyVerifyBody;
/** The authenticator's current code: adding a way to sign in asks the second factor again. */
export const StaffKeyRegistrationBody = Type.Object(
  { totp: Type.String({ minLength: 1, maxLength: 10 }) },
  { additionalProperties: false },
);
export const StaffKeyRegistration = Type.Object({ registrationId: Type.String(), options: WebAuthnCreationOptionsOut });
export const StaffKeyRegistrationParams = Type.Object(
  { registrationId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
/** The key's `RegistrationResponseJSON` (the same shape a U-shield's certificate download sends). */
export const StaffKeyVerifyBody = UShieldVerifyBody;
export const StaffKey = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('locked')]),
  createdAt: Time,
});
export const StaffKeyList = Type.Object({ items: Type.Array(StaffKey) });

// ——— Operations and approvals ———

export const IdParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
/** `GET /counter/receipts/{operationId}.pdf`: the id followed by `.pdf`. */
export const ReceiptParams = Type.Object(
  { file: Type.String({ pattern: `^${ID_PATTERN.replace(/^\^|\$$/g, '')}\\.pdf$` }) },
  { additionalProperties: false },
);
export const OperationStateName = Type.Union([
  Type.Literal('completed'),
  Type.Literal('pending_approval'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('expired'),
]);
const StaffRef = Type.Object({ id: Type.String(), name: Type.String(), username: Type.String() });
/** One counter operation, as the approvals inbox and the decisions show it. */
export const OperationView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  state: OperationStateName,
  branch: Type.String(),
  maker: StaffRef,
  approver: Nullable(StaffRef),
  customerId: Nullable(Type.String()),
  customerName: Nullable(Type.String()),
  accountId: Nullable(Type.String()),
  /** What was asked, without secrets. */
  params: Type.Object({}, { additionalProperties: true }),
  amount: Nullable(MoneySchema),
  reason: Nullable(Type.String()),
  createdAt: Time,
  expiresAt: Nullable(Time),
  decidedAt: Nullable(Time),
});
export const ApprovalsQuery = Type.Object(
  {
    state: Type.Optional(
      Type.Union([
        Type.Literal('pending'),
        Type.Literal('approved'),
        Type.Literal('rejected'),
        Type.Literal('expired'),
      ]),
    ),
  },
  { additionalProperties: false },
);
export const ApprovalList = Type.Object({ items: Type.Array(OperationView) });
/** A sensitive operation's first answer (202): it takes effect once a supervisor approves. */
export const ApprovalRequired = Type.Object({
  status: Type.Literal('approval_required'),
  approvalId: Type.String(),
});
export const RejectBody = Type.Object(
  { reason: PersonText({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
/**
 * A supervisor's decision. An approval that ran the operation carries its `result` (for a password
 * reset the temporary password, shown once and never stored).
 */
export const ApprovalDecision = Type.Object({
  status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
  operation: OperationView,
  result: Type.Optional(Type.Object({}, { additionalProperties: true })),
});
/** An operation done at once. */
export const OperationDone = Type.Object({ status: Type.Literal('completed'), operationId: Type.String() });

export const ReceiptFile = {
  description: 'The counter receipt for the customer to sign, times in Beijing time',
  content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
};

// ——— Customers and cash ———

export const CustomerSearchQuery = Type.Object(
  { q: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
const CustomerStatusName = Type.Union([
  Type.Literal('active'),
  Type.Literal('not_activated'),
  Type.Literal('suspended'),
  Type.Literal('closed'),
  Type.Literal('under_investigation'),
]);
export const CustomerSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  mobile: Type.String(),
  status: CustomerStatusName,
  branch: Type.String(),
});
export const CustomerSearchAnswer = Type.Object({ items: Type.Array(CustomerSummary) });
const AccountStatusName = Type.Union([
  Type.Literal('active'),
  Type.Literal('not_activated'),
  Type.Literal('frozen'),
  Type.Literal('closed'),
  Type.Literal('under_investigation'),
]);
/** An account as the teller sees it: full numbers (the teller checks the card in hand). */
export const CounterAccount = Type.Object({
  id: Type.String(),
  number: Type.String(),
  cardNumber: Nullable(Type.String()),
  kind: Type.String(),
  status: AccountStatusName,
  branch: Type.String(),
  balance: MoneySchema,
  available: MoneySchema,
  openedAt: Time,
});
export const EbankingStatus = Type.Object({
  /** Whether the customer has an online-banking login at all. */
  registered: Type.Boolean(),
  /** The customer's status as online banking applies it. */
  status: CustomerStatusName,
  mustChangePassword: Type.Boolean(),
  locked: Type.Boolean(),
  lockedUntil: Nullable(Time),
  failedCount: Type.Integer({ minimum: 0 }),
  lastLoginAt: Nullable(Time),
});
export const AuditEventView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  at: Time,
  actorType: Type.String(),
  actorId: Nullable(Type.String()),
  details: Type.Object({}, { additionalProperties: true }),
});
export const CustomerDetail = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  birthDate: Type.String(),
  sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
  mobile: Type.String(),
  status: CustomerStatusName,
  branch: Type.String(),
  createdAt: Time,
  ebanking: EbankingStatus,
  /** The e-commerce (online payment to merchants) function, switched at the counter (issue 17). */
  ecommerce: Type.Boolean(),
  accounts: Type.Array(CounterAccount),
  media: MediaList,
  events: Type.Array(AuditEventView),
});
export const NewCustomerBody = Type.Object(
  {
    name: PersonText({ minLength: 1, maxLength: 50 }),
    idNumber: Type.String({ minLength: 1, maxLength: 18 }),
    mobile: Type.String({ minLength: 1, maxLength: 11 }),
  },
  { additionalProperties: false },
);
export const NewCustomerAnswer = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  mobile: Type.String(),
  status: CustomerStatusName,
  branch: Type.String(),
  operationId: Type.String(),
});
export const OpenAccountBody = Type.Object(
  { cardPin: Type.String({ minLength: 1, maxLength: 6 }) },
  { additionalProperties: false },
);
export const OpenedAccount = Type.Object({
  id: Type.String(),
  number: Type.String(),
  cardNumber: Type.String(),
  operationId: Type.String(),
});
export const CashBody = Type.Object(
  {
    accountId: Type.String({ pattern: ID_PATTERN }),
    direction: Type.Union([Type.Literal('deposit'), Type.Literal('withdrawal')]),
    amount: MoneyIn,
  },
  { additionalProperties: false },
);
export const CashAnswer = Type.Object({
  status: Type.Union([Type.Literal('completed'), Type.Literal('approval_required')]),
  approvalId: Type.Optional(Type.String()),
  operationId: Type.String(),
  /** The account's balance after a completed deposit or withdrawal. */
  balance: Type.Optional(MoneySchema),
});
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' })),
});

// ——— E-banking operations ———

export const EbankingBody = Type.Object(
  { initialPassword: Type.String({ minLength: 1, maxLength: 8 }) },
  { additionalProperties: false },
);
export const EmptyBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()]);
export const TemporaryPasswordAnswer = Type.Object({
  status: Type.Literal('completed'),
  temporaryPassword: Type.String({ pattern: '^\\d{6,8}$' }),
  operationId: Type.String(),
});
export const InvestigationBody = Type.Object(
  { on: Type.Boolean(), reason: PersonText({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const EcommerceBody = Type.Object({ on: Type.Boolean() }, { additionalProperties: false });
export const MobileBody = Type.Object(
  { mobile: Type.String({ minLength: 1, maxLength: 11 }) },
  { additionalProperties: false },
);
export const ReasonBody = Type.Object(
  { reason: PersonText({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const OptionalReasonBody = Type.Union([
  Type.Object({ reason: Type.Optional(PersonText({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }),
  Type.Null(),
]);

// ——— Media ———

export const IssueMediumBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('password_card'), Type.Literal('e_token'), Type.Literal('u_shield')]),
    serial: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{4,32}$' })),
  },
  { additionalProperties: false },
);
/** The medium handed over (API.md: "→ the medium"), with the operation for its receipt. */
export const IssuedMedium = Type.Object({ ...MediumItem.properties, operationId: Type.String() });
export const RevokeMediumBody = Type.Object(
  { reason: Type.Union([Type.Literal('lost'), Type.Literal('damaged'), Type.Literal('returned')]) },
  { additionalProperties: false },
);
/** A replacement for a damaged or lost medium: the old one revoked, a new one of its kind handed over. */
export const ReissueMediumBody = Type.Object(
  {
    reason: Type.Union([Type.Literal('lost'), Type.Literal('damaged')]),
    serial: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{4,32}$' })),
  },
  { additionalProperties: false },
);

// ——— Merchants (the admin area, issue 17) ———

export const MerchantAdminView = Type.Object({
  appId: Type.String(),
  name: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
  signType: Type.String(),
  settlementAccountNumber: Type.String(),
  notifyUrlPrefix: Nullable(Type.String()),
  createdAt: Time,
});
export const MerchantAdminList = Type.Object({ items: Type.Array(MerchantAdminView) });
export const NewMerchantBody = Type.Object(
  {
    name: PersonText({ minLength: 1, maxLength: 100 }),
    settlementAccountNumber: Type.String({ minLength: 1, maxLength: 32, pattern: '^\\s*\\d+\\s*$' }),
    publicKeyPem: Type.String({ minLength: 1, maxLength: 10_000 }),
    signType: Type.Optional(Type.Literal('RSA2')),
    notifyUrlPrefix: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const MerchantParams = Type.Object(
  { appId: Type.String({ pattern: '^\\d{1,32}$' }) },
  { additionalProperties: false },
);

export type CounterLoginBody = Static<typeof CounterLoginBody>;
export type CounterLoginAnswer = Static<typeof CounterLoginAnswer>;
export type CounterSessionAnswer = Static<typeof CounterSessionAnswer>;
export type StaffView = Static<typeof StaffView>;
export type OperationView = Static<typeof OperationView>;
export type ApprovalList = Static<typeof ApprovalList>;
export type ApprovalRequired = Static<typeof ApprovalRequired>;
export type ApprovalDecision = Static<typeof ApprovalDecision>;
export type OperationDone = Static<typeof OperationDone>;
export type CustomerSummary = Static<typeof CustomerSummary>;
export type CustomerSearchAnswer = Static<typeof CustomerSearchAnswer>;
export type CounterAccount = Static<typeof CounterAccount>;
export type EbankingStatus = Static<typeof EbankingStatus>;
export type CustomerDetail = Static<typeof CustomerDetail>;
export type NewCustomerBody = Static<typeof NewCustomerBody>;
export type NewCustomerAnswer = Static<typeof NewCustomerAnswer>;
export type OpenedAccount = Static<typeof OpenedAccount>;
export type CashBody = Static<typeof CashBody>;
export type CashAnswer = Static<typeof CashAnswer>;
export type TemporaryPasswordAnswer = Static<typeof TemporaryPasswordAnswer>;
export type IssueMediumBody = Static<typeof IssueMediumBody>;
export type IssuedMedium = Static<typeof IssuedMedium>;
export type ReissueMediumBody = Static<typeof ReissueMediumBody>;
export type CounterKeyLoginStarted = Static<typeof CounterKeyLoginStarted>;
export type StaffKeyRegistration = Static<typeof StaffKeyRegistration>;
export type StaffKeyRegistrationBody = Static<typeof StaffKeyRegistrationBody>;
export type StaffKey = Static<typeof StaffKey>;
export type StaffKeyList = Static<typeof StaffKeyList>;
export type MerchantAdminView = Static<typeof MerchantAdminView>;
export type MerchantAdminList = Static<typeof MerchantAdminList>;
export type NewMerchantBody = Static<typeof NewMerchantBody>;
