import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { dialectOf } from '../platform/db/database.ts';

export const paymentMigrations: Record<string, Migration> = {
  '0501_payments': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('transfer')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('from_account_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('own', 'same_bank', 'interbank')`))
        .addColumn('to_account_id', 'text')
        .addColumn('payee_name', 'text', (c) => c.notNull())
        .addColumn('payee_account_number', 'text', (c) => c.notNull())
        .addColumn('payee_bank_code', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
        .addColumn('memo', 'text')
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(
              sql`status in ('authorization_required', 'pending', 'completed', 'rejected', 'returned', 'expired')`,
            ),
        )
        .addColumn('reason_code', 'text')
        .addColumn('auth_method', 'text')
        .addColumn('auth_ref', 'text')
        .addColumn('entry_id', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('authorize_by_ms', 'bigint', (c) => c.notNull())
        .addColumn('settle_after_ms', 'bigint')
        .addColumn('completed_at_ms', 'bigint')
        .execute();
      // Daily and cumulative limits sum a customer's recent transfers; clearing picks pending ones by time.
      await db.schema
        .createIndex('transfer_customer')
        .on('transfer')
        .columns(['customer_id', 'created_at_ms'])
        .execute();
      await db.schema.createIndex('transfer_settle').on('transfer').columns(['status', 'settle_after_ms']).execute();
      await db.schema
        .createTable('payee')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('account_number', 'text', (c) => c.notNull())
        .addColumn('bank_code', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at_ms', 'bigint')
        .addUniqueConstraint('payee_unique', ['customer_id', 'bank_code', 'account_number'])
        .execute();
      await db.schema
        .createTable('customer_limit')
        .addColumn('customer_id', 'text', (c) => c.primaryKey())
        .addColumn('per_payment_fen', 'bigint', (c) => c.check(sql`per_payment_fen > 0`))
        .addColumn('daily_fen', 'bigint', (c) => c.check(sql`daily_fen > 0`))
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  // 0502–0504 once installed a PL/pgSQL second implementation of own-account transfers; it is gone
  // (own transfers are batched by the one TypeScript write path, own-transfers.ts). They stay, empty,
  // so that databases that ran them and new ones agree on the list; 0505 removes what they left.
  '0502_fast_own_transfer': { async up() {} },
  '0503_fast_own_transfer_finds_payee': { async up() {} },
  '0504_fast_own_transfers_in_batches': { async up() {} },
  '0505_drop_fast_own_transfer_functions': {
    async up(db: Kysely<any>) {
      if (dialectOf(db) !== 'postgres') return;
      await sql`drop function if exists jinku_fast_own_transfers(jsonb)`.execute(db);
      await sql`drop function if exists jinku_fast_own_transfer(jsonb)`.execute(db);
    },
  },
};
