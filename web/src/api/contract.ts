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
  ReservedMessageAnswer,
  SessionAnswer,
  SessionList,
  SmsAuthorizationRequired,
  SmsChallenge,
} from '../../../server/src/auth/schema.ts';
export type {
  AccountDetail,
  AccountList,
  AccountSummary,
  BalanceHistory,
  Transaction,
  TransactionPage,
} from '../../../server/src/customers/schema.ts';
export type { AuthorizationView, TotpEnrolment } from '../../../server/src/media/schema.ts';
export type {
  BanksView,
  CreateTransferBody,
  LimitsView,
  PayeeView,
  TransferView,
} from '../../../server/src/payments/schema.ts';

import type { OWN_BANK_CODE } from '../../../server/src/payments/banks.ts';

/**
 * Jinku's own bank code as a literal type: the web writes the value once (transfer/useBanks.ts) and
 * typecheck fails there if the server's code changes.
 */
export type OwnBankCode = typeof OWN_BANK_CODE;
