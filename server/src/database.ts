import type { Kysely, Transaction } from 'kysely';
import type { AuditTables } from './audit/store.ts';
import type { PasskeyLoginTables } from './auth/passkey-store.ts';
import type { QrLoginTables } from './auth/qr-store.ts';
import type { AuthTables } from './auth/store.ts';
import type { BillTables } from './bills/store.ts';
import type { CorporateTables } from './corporate/store.ts';
import type { CounterTables } from './counter/store.ts';
import type { CustomerTables } from './customers/store.ts';
import type { LedgerTables } from './ledger/store.ts';
import type { MediaTables } from './media/store.ts';
import type { MerchantTables } from './merchants/store.ts';
import type { NotifyTables } from './notify/store.ts';
import type { PaymentTables } from './payments/index.ts';
import type { PlatformTables } from './platform/settings-store.ts';
import type { RegistrationTables } from './registration/store.ts';

/**
 * Every table, as the union of what each domain owns. A domain's store.ts declares its own tables;
 * add them here when a domain is added.
 */
export type Database = PlatformTables &
  AuditTables &
  AuthTables &
  QrLoginTables &
  PasskeyLoginTables &
  NotifyTables &
  CustomerTables &
  LedgerTables &
  MediaTables &
  PaymentTables &
  RegistrationTables &
  CounterTables &
  CorporateTables &
  MerchantTables &
  BillTables;

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
