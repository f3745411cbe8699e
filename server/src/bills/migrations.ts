import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Database } from '../database.ts';
import { openLedgerAccount } from '../ledger/index.ts';
import { SEED_BILLERS } from './catalogue.ts';

/** Bill payment's tables (09xx). */
export const billMigrations: Record<string, Migration> = {
  '0901_bills': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('biller')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('category', 'text', (c) =>
          c.notNull().check(sql`category in ('electricity', 'water', 'gas', 'mobile', 'broadband', 'tuition')`),
        )
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('region_zh', 'text', (c) => c.notNull())
        .addColumn('region_en', 'text', (c) => c.notNull())
        // A regular expression the biller's account numbers match (checked before anything is asked of it).
        .addColumn('account_pattern', 'text', (c) => c.notNull())
        // The bank's ledger account the biller's collections are credited to until they are remitted.
        .addColumn('ledger_account_id', 'text', (c) => c.notNull().references('ledger_account.id'))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended')`))
        .addColumn('sort_order', 'integer', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('bill_payment')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id'))
        .addColumn('biller_id', 'text', (c) => c.notNull().references('biller.id'))
        .addColumn('bill_account', 'text', (c) => c.notNull())
        // The billing period the payment is for (YYYY-MM); none for a top-up.
        .addColumn('period', 'text')
        .addColumn('holder_name', 'text', (c) => c.notNull())
        .addColumn('from_account_id', 'text', (c) => c.notNull().references('account.id'))
        .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('authorization_required', 'completed', 'expired')`),
        )
        .addColumn('reason_code', 'text')
        .addColumn('auth_method', 'text')
        .addColumn('auth_ref', 'text')
        .addColumn('entry_id', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('authorize_by_ms', 'bigint', (c) => c.notNull())
        .addColumn('completed_at_ms', 'bigint')
        .execute();
      await db.schema
        .createIndex('bill_payment_customer')
        .on('bill_payment')
        .columns(['customer_id', 'created_at_ms'])
        .execute();
      await db.schema
        .createIndex('bill_payment_bill')
        .on('bill_payment')
        .columns(['biller_id', 'bill_account', 'period'])
        .execute();
      await db.schema
        .createTable('saved_bill_account')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id'))
        .addColumn('biller_id', 'text', (c) => c.notNull().references('biller.id'))
        .addColumn('bill_account', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('saved_bill_account_unique', ['customer_id', 'biller_id', 'bill_account'])
        .execute();
      // The catalogue, each biller with its own ledger account opened by the ledger's function. A
      // migration runs once, so the time of the run is the accounts' opening time.
      const nowMs = Date.now();
      for (const [order, biller] of SEED_BILLERS.entries()) {
        const ledgerAccountId = await openLedgerAccount(db as Kysely<Database>, {
          kind: 'bank',
          code: `biller:${biller.id}`,
          name: `待划转${biller.nameZh}代收款`,
          allowNegative: false,
          nowMs,
        });
        await db
          .insertInto('biller')
          .values({
            id: biller.id,
            category: biller.category,
            name_zh: biller.nameZh,
            name_en: biller.nameEn,
            region_zh: biller.regionZh,
            region_en: biller.regionEn,
            account_pattern: biller.accountPattern,
            ledger_account_id: ledgerAccountId,
            status: 'active',
            sort_order: order,
            created_at_ms: nowMs,
          })
          .execute();
      }
    },
  },
};
