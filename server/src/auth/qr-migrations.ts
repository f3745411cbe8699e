import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** QR login's migrations (auth's 03xx range). */
export const qrLoginMigrations: Record<string, Migration> = {
  '0310_qr_login': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('qr_login')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('browser_hash', 'text', (c) => c.notNull())
        .addColumn('match_number', 'integer', (c) => c.notNull().check(sql`match_number between 10 and 99`))
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('pending', 'scanned', 'approved', 'denied')`),
        )
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('requester_ip', 'text', (c) => c.notNull())
        .addColumn('requester_user_agent', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('scan_session_id', 'text')
        .addColumn('scanned_at_ms', 'bigint')
        .addColumn('decided_at_ms', 'bigint')
        .addColumn('deny_reason', 'text')
        .addColumn('session_issued_at_ms', 'bigint')
        .execute();
      // "How many QR logins has this customer scanned in the last hour?" (the per-customer rate limit).
      await db.schema
        .createIndex('qr_login_customer')
        .on('qr_login')
        .columns(['customer_id', 'scanned_at_ms'])
        .execute();
      await db.schema.createIndex('qr_login_expiry').on('qr_login').column('expires_at_ms').execute();
    },
  },
};
