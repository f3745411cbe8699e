/** What the rest of the server may use of payments: its routes, tables, migrations and clearing worker. */
export {
  type AccountOwner,
  balanceNotices,
  noticeParty,
  postEntryAndTell,
  postPayment,
  tellBalanceChanges,
} from './balance-notices.ts';
export {
  type ClearingAnswer,
  type InClearing,
  postClearingAnswer,
  settleDueTransfers,
  simulatedClearingAnswer,
  startClearingWorker,
} from './clearing.ts';
export { amountRows, type ReceiptSpec, renderReceipt } from './documents/receipt.ts';
export { paymentErrors } from './errors.ts';
export {
  amountFen,
  type AuthorizeInput,
  type ChallengeInput,
  idempotencyOf,
  registerAuthorizationRoutes,
  requestLang,
  sendOutcome,
} from './payment-routes.ts';
export { type Answer, type IdempotencyRef, idempotently, type Outcome } from './idempotent.ts';
export { checkPaymentLimits, registerSpending, type SpendingSource } from './limits.ts';
export { paymentMigrations } from './migrations.ts';
export { ownTransferBatches } from './own-transfers.ts';
export { registerPaymentRoutes } from './routes.ts';
export { AUTHORIZE_WITHIN_SECONDS, maskName, methodsForAmount } from './transfers.ts';
export type { AuthorizationView } from '../media/schema.ts';
export type {
  BanksView,
  LimitsView,
  PayeeView,
  TransferView,
} from './schema.ts';
export type { PaymentTables, TransferKind, TransferStatus } from './store.ts';
