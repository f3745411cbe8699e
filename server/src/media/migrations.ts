import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const mediaMigrations: Record<string, Migration> = {
  '0401_sms_otp': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sms_otp')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('mobile', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('binding_hash', 'text', (c) => c.notNull())
        .addColumn('code_mac', 'text', (c) => c.notNull())
        .addColumn('tries_left', 'integer', (c) => c.notNull().check(sql`tries_left >= 0`))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('used_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('sms_otp_recent').on('sms_otp').columns(['mobile', 'created_at_ms']).execute();
    },
  },
  '0402_security_medium': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('security_medium')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(sql`kind in ('sms', 'password_card', 'e_token', 'u_shield')`),
        )
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'locked', 'revoked')`))
        .addColumn('serial', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('security_medium_customer').on('security_medium').columns(['customer_id']).execute();
    },
  },
};
