/** What other domains may use of customers and their accounts. */
export { customerErrors } from './errors.ts';
export { customerMigrations } from './migrations.ts';
export {
  CARD_NUMBER_LENGTH,
  ACCOUNT_NUMBER_LENGTH,
  isAccountNumber,
  isCardNumber,
  isLuhnValid,
  isMobileNumber,
  luhnCheckDigit,
  maskMobile,
  maskNumber,
  normaliseCardNumber,
} from './numbers.ts';
export { makeResidentId, maskResidentId, parseResidentId, type ResidentId } from './resident-id.ts';
export {
  CARD_PIN_MAX_FAILURES,
  changeMobile,
  checkCardPin,
  createCustomer,
  idNumberHmac,
  type NewAccount,
  type NewCustomer,
  openAccount,
  type PinCheck,
  setAccountStatus,
  setCustomerStatus,
} from './service.ts';
export { registerAccountRoutes } from './routes.ts';
export type {
  AccountDetail,
  AccountList,
  AccountSummary,
  BalanceHistory,
  Transaction,
  TransactionPage,
} from './schema.ts';
export {
  type AccountId,
  type AccountKind,
  type AccountRow,
  type AccountStatus,
  accountBy,
  accountById,
  accountsOf,
  type AccountWithHolder,
  accountsWithHolders,
  type CustomerId,
  type CustomerRow,
  type CustomerStatus,
  type CustomerTables,
  customerById,
  customerIdBy,
  lockCustomer,
} from './store.ts';
