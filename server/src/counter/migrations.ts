import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The counter's tables (06xx): staff, their sessions, counter operations and password-card prints. */
export const counterMigrations: Record<string, Migration> = {
  '0601_counter': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('staff')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('teller', 'supervisor', 'admin')`))
        .addColumn('branch_code', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'disabled')`))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        // The TOTP secret, sealed with platform/secret-box.ts: it must be read back to check codes.
        .addColumn('totp_sealed', 'text', (c) => c.notNull())
        // The last accepted TOTP time step: a code of that step or an earlier one is never accepted again.
        .addColumn('totp_last_step', 'bigint')
        .addColumn('failed_count', 'integer', (c) => c.notNull().check(sql`failed_count >= 0`))
        .addColumn('locked_until_ms', 'bigint')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('staff_session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at_ms', 'bigint')
        .execute();
      await db.schema
        .createIndex('staff_session_staff')
        .on('staff_session')
        .columns(['staff_id', 'created_at_ms'])
        .execute();
      await db.schema
        .createTable('counter_operation')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('maker_id', 'text', (c) => c.notNull().references('staff.id'))
        .addColumn('branch_code', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text')
        .addColumn('account_id', 'text')
        // What was asked, as JSON, never with a secret (a PIN or password is used and forgotten).
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'bigint')
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('completed', 'pending_approval', 'approved', 'rejected', 'expired')`),
        )
        .addColumn('approver_id', 'text', (c) => c.references('staff.id'))
        .addColumn('reason', 'text')
        .addColumn('result', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        // A pending request lapses at the end of its business day (Beijing time).
        .addColumn('expires_at_ms', 'bigint')
        .addColumn('decided_at_ms', 'bigint')
        .execute();
      await db.schema
        .createIndex('counter_operation_branch_state')
        .on('counter_operation')
        .columns(['branch_code', 'state', 'created_at_ms'])
        .execute();
      await db.schema
        .createIndex('counter_operation_customer')
        .on('counter_operation')
        .columns(['customer_id', 'created_at_ms'])
        .execute();
      await db.schema
        .createTable('counter_card_print')
        .addColumn('medium_id', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull())
        .addColumn('printed_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0610_staff_key_login': {
    async up(db: Kysely<any>) {
      // A staff sign-in with password and security key between its two requests: the media challenge
      // it waits on, so any server instance can finish it, once, within 5 minutes.
      await db.schema
        .createTable('staff_key_login')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
        .addColumn('challenge_id', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('used_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('staff_key_login_expiry').on('staff_key_login').column('expires_at_ms').execute();
    },
  },
};
