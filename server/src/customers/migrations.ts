import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const customerMigrations: Record<string, Migration> = {
  '0101_customers': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('customer')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        // The full ID number is never stored: a keyed hash finds and matches it, the mask shows it.
        .addColumn('id_number_hmac', 'text', (c) => c.notNull().unique())
        .addColumn('id_number_masked', 'text', (c) => c.notNull())
        .addColumn('birth_date', 'text', (c) => c.notNull())
        .addColumn('sex', 'text', (c) => c.notNull().check(sql`sex in ('male', 'female')`))
        .addColumn('region_code', 'text', (c) => c.notNull())
        .addColumn('mobile', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('active', 'not_activated', 'suspended', 'closed', 'under_investigation')`),
        )
        .addColumn('branch_code', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('account')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id'))
        .addColumn('account_number', 'text', (c) => c.notNull().unique())
        .addColumn('card_number', 'text', (c) => c.unique())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('debit_card', 'savings')`))
        .addColumn('currency', 'text', (c) => c.notNull().check(sql`currency = 'CNY'`))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('active', 'not_activated', 'frozen', 'closed', 'under_investigation')`),
        )
        .addColumn('branch_code', 'text', (c) => c.notNull())
        .addColumn('pin_hash', 'text')
        .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pin_blocked_until_ms', 'bigint')
        .addColumn('opened_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('closed_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('account_customer').on('account').columns(['customer_id', 'opened_at_ms']).execute();
    },
  },
};
