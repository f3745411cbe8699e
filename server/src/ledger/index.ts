/** What other domains (payments, counter, customers' overview) may use of the ledger. */
export { ledgerErrors } from './errors.ts';
export { placeHold, postHold, voidHold } from './holds.ts';
export {
  beginIdempotent,
  beginIdempotentIn,
  canonicalJson,
  finishIdempotent,
  forgetAnswers,
  storeAnswers,
  type StoredAnswer,
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyStart,
  purgeExpiredIdempotencyKeys,
  releaseIdempotent,
  requestHash,
  requireProceed,
} from './idempotency.ts';
export { checkLedgerInvariants, type LedgerViolation } from './invariants.ts';
export { ledgerMigrations } from './migrations.ts';
export {
  balancesOf,
  type DailyBalance,
  dailyBalances,
  decodeCursor,
  encodeCursor,
  type HistoryPosting,
  MAX_PAGE_SIZE,
  type PostingsPage,
  postingsOf,
  returnedReferences,
} from './queries.ts';
export {
  BANK_ACCOUNTS,
  type Balance,
  bankAccountId,
  type EntryInput,
  type EntryOutcome,
  MAX_ENTRIES_PER_BATCH,
  ensureBankAccounts,
  type NewLedgerAccount,
  openLedgerAccount,
  type PostedEntry,
  type PostingInput,
  postEntries,
  postEntry,
  reverseEntry,
  vaultCode,
} from './service.ts';
export { holdsOf } from './store.ts';
export type {
  HoldRow,
  HoldStatus,
  PostingDirection,
  JournalEntryRow,
  LedgerAccountRow,
  LedgerTables,
  PostingRow,
} from './store.ts';
