/**
 * The server's HTTP contract as the web app reads it: the static types of the TypeBox schemas in each
 * domain's `schema.ts`, the same schemas that validate and serialise the server's answers. Type-only
 * exports, erased by Vite, so no server code reaches the bundle; a field the server stops sending breaks
 * `npm run typecheck` here instead of a page in a customer's browser.
 */

export type {
  CaptchaAnswer,
  ChangePasswordBody,
  CustomerView,
  DeviceList,
  LoginAnswer,
  LoginBody,
  LoginChallenge,
  LoginHistory,
  LoginNameSet,
  MaintenanceView,
  PasswordPolicyAnswer,
  ReservedMessageAnswer,
  SessionAnswer,
  SessionList,
  SmsAuthorizationRequired,
  SmsChallenge,
} from '../../../server/src/auth/schema.ts';
export type {
  PasskeyActivated,
  PasskeyList,
  PasskeyLoginStarted,
  PasskeyRegistration,
} from '../../../server/src/auth/passkey-schema.ts';
export type { QrCreated, QrScanAnswer, QrState, QrStateAnswer } from '../../../server/src/auth/qr-schema.ts';
export type {
  BillersView,
  BillerView,
  BillPaymentRequest,
  BillPaymentView,
  BillQueryView,
  SavedBillAccountsView,
  SavedBillAccountView,
} from '../../../server/src/bills/schema.ts';
export type {
  ApprovalDecision,
  ApprovalList,
  ApprovalRequired,
  CashAnswer,
  CashBody,
  CounterAccount,
  CounterLoginAnswer,
  CounterLoginBody,
  CounterSessionAnswer,
  CustomerDetail as CounterCustomerDetail,
  CustomerSearchAnswer,
  CustomerSummary as CounterCustomerSummary,
  EbankingStatus,
  IssuedMedium,
  IssueMediumBody,
  MerchantAdminList,
  MerchantAdminView,
  NewCustomerAnswer,
  NewCustomerBody,
  NewMerchantBody,
  OpenedAccount,
  OperationDone,
  OperationView,
  StaffView,
  TemporaryPasswordAnswer,
} from '../../../server/src/counter/schema.ts';
export type {
  AccountDetail,
  AccountList,
  AccountSummary,
  BalanceHistory,
  Transaction,
  TransactionPage,
} from '../../../server/src/customers/schema.ts';
export type {
  AuthorizationRequired,
  AuthorizationView,
  ETokenAnswer,
  MediaList,
  MediumItem,
  TotpEnrolment,
  UShieldActivated,
  UShieldRegistration,
} from '../../../server/src/media/schema.ts';
export type {
  BanksView,
  CreateTransferBody,
  LimitsView,
  PayeeView,
  TransferView,
} from '../../../server/src/payments/schema.ts';
export type {
  Agreement,
  BindBody,
  CardBinding,
  MobileBody,
  Registered,
  ResetBody,
  ResetStarted,
  ResetVerified,
  SelfBody,
  SmsBody,
  SmsSent,
} from '../../../server/src/registration/schema.ts';

export type { MessageList, MessageView, UnreadState } from '../../../server/src/notify/inbox-schema.ts';
import type { PASSWORD_CARD_LOW_USES } from '../../../server/src/media/password-card.ts';
import type { OWN_BANK_CODE } from '../../../server/src/payments/banks.ts';

/**
 * Jinku's own bank code as a literal type: the web writes the value once (transfer/useBanks.ts) and
 * typecheck fails there if the server's code changes.
 */
export type OwnBankCode = typeof OWN_BANK_CODE;

/**
 * Below this many uses left the security centre warns that the password card is running out, as a
 * literal type: the web writes the value once (banking/security/mediaApi.ts) and typecheck fails there if the
 * server's threshold changes.
 */
export type PasswordCardLowUses = typeof PASSWORD_CARD_LOW_USES;
