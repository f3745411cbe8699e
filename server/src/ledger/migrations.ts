import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The ledger's tables. Every rule the code asserts is also a CHECK here, so a bug in a later domain
 * (or a hand-written SQL fix) cannot leave money in an impossible state.
 */
export const ledgerMigrations: Record<string, Migration> = {
  '0201_ledger': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('ledger_account')
        // For customer accounts this is the same id as customers' account.id (no FK: bank accounts have none).
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('customer', 'bank')`))
        .addColumn('code', 'text', (c) => c.unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull().check(sql`currency = 'CNY'`))
        .addColumn('allow_negative', 'boolean', (c) => c.notNull())
        .addColumn('posted_fen', 'bigint', (c) => c.notNull())
        .addColumn('held_fen', 'bigint', (c) => c.notNull().check(sql`held_fen >= 0`))
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addCheckConstraint('ledger_account_available', sql`allow_negative or posted_fen - held_fen >= 0`)
        // Customer money can never be overdrawn, whatever a caller passes.
        .addCheckConstraint('ledger_account_customer_positive', sql`kind = 'bank' or not allow_negative`)
        .execute();

      await db.schema
        .createTable('journal_entry')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('memo', 'text', (c) => c.notNull())
        // Unique: an entry is reversed at most once, enforced by the database as well as the service.
        .addColumn('reverses_entry_id', 'text', (c) => c.unique().references('journal_entry.id'))
        .addColumn('posted_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('journal_entry_reference').on('journal_entry').columns(['reference']).execute();

      await db.schema
        .createTable('posting')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('entry_id', 'text', (c) => c.notNull().references('journal_entry.id'))
        .addColumn('ledger_account_id', 'text', (c) => c.notNull().references('ledger_account.id'))
        .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen <> 0`))
        .addColumn('balance_after_fen', 'bigint', (c) => c.notNull())
        .addColumn('counterparty', 'text')
        .addColumn('memo', 'text', (c) => c.notNull())
        .addColumn('posted_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('posting_history')
        .on('posting')
        .columns(['ledger_account_id', 'posted_at_ms', 'id'])
        .execute();
      await db.schema.createIndex('posting_entry').on('posting').columns(['entry_id']).execute();

      await db.schema
        .createTable('hold')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ledger_account_id', 'text', (c) => c.notNull().references('ledger_account.id'))
        .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'posted', 'voided')`))
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('closed_at_ms', 'bigint')
        .addCheckConstraint('hold_closed_when_done', sql`(status = 'open') = (closed_at_ms is null)`)
        .execute();
      await db.schema.createIndex('hold_account').on('hold').columns(['ledger_account_id', 'status']).execute();
      await db.schema.createIndex('hold_reference').on('hold').columns(['reference']).execute();

      await db.schema
        .createTable('idempotency_key')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('in_flight', 'done')`))
        // Changes on every takeover, so a stalled first holder can no longer finish (fencing token).
        .addColumn('lease_token', 'text', (c) => c.notNull())
        .addColumn('lease_until_ms', 'bigint', (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_key_pk', ['scope', 'key'])
        .addCheckConstraint('idempotency_done_has_answer', sql`state = 'in_flight' or response_status is not null`)
        .execute();
      await db.schema.createIndex('idempotency_key_expiry').on('idempotency_key').columns(['expires_at_ms']).execute();
    },
  },
  '0210_partial_reversal': {
    // Refunds reverse part of a payment, possibly several times: a link of its own beside the unique
    // reverses_entry_id (which still says an entry is reversed in full at most once).
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('journal_entry')
        .addColumn('reverses_part_of_entry_id', 'text', (c) => c.references('journal_entry.id'))
        .execute();
      await db.schema
        .createIndex('journal_entry_reverses_part_of')
        .on('journal_entry')
        .columns(['reverses_part_of_entry_id'])
        .execute();
    },
  },
};
