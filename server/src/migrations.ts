import type { Migration } from 'kysely/migration';
import { auditMigrations } from './audit/migrations.ts';
import { authMigrations } from './auth/migrations.ts';
import { passkeyLoginMigrations } from './auth/passkey-migrations.ts';
import { qrLoginMigrations } from './auth/qr-migrations.ts';
import { billMigrations } from './bills/index.ts';
import { corporateMigrations } from './corporate/migrations.ts';
import { counterMigrations } from './counter/migrations.ts';
import { customerMigrations } from './customers/migrations.ts';
import { ledgerMigrations } from './ledger/migrations.ts';
import { mediaMigrations } from './media/migrations.ts';
import { merchantMigrations } from './merchants/migrations.ts';
import { notifyMigrations } from './notify/migrations.ts';
import { paymentMigrations } from './payments/index.ts';
import { platformMigrations } from './platform/migrations.ts';
import { registrationMigrations } from './registration/migrations.ts';

/**
 * All migrations, applied in name order. Each domain owns a number range so names never collide:
 * 00xx platform, audit, notify; 01xx customers; 02xx ledger; 03xx auth; 04xx media; 05xx payments; 06xx counter;
 * 07xx registration (online self-registration, mobile registration and card binding, online password reset);
 * 08xx merchants (the merchant gateway); 09xx bills (biller catalogue, bill payments, saved bill accounts);
 * 10xx corporate (enterprises, operators, approval policies, payment instructions, payroll batches).
 */
export const migrations: Record<string, Migration> = {
  ...platformMigrations,
  ...auditMigrations,
  ...notifyMigrations,
  ...customerMigrations,
  ...ledgerMigrations,
  ...authMigrations,
  ...qrLoginMigrations,
  ...passkeyLoginMigrations,
  ...mediaMigrations,
  ...paymentMigrations,
  ...registrationMigrations,
  ...counterMigrations,
  ...merchantMigrations,
  ...corporateMigrations,
  ...billMigrations,
};
