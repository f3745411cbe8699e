import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The registration domain's tables (07xx). */
export const registrationMigrations: Record<string, Migration> = {
  '0701_registration': {
    async up(db: Kysely<any>) {
      // Every code asked for on the registration SMS route, known mobile or not, so the throttles hold
      // alike for both and across instances. The mobile is kept only as a keyed hash.
      await db.schema
        .createTable('registration_sms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('mobile_hash', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('self', 'mobile', 'reset')`))
        .addColumn('ip', 'text', (c) => c.notNull())
        // The SMS code sent (media's sms_otp), or null when the mobile is not the bank's or nothing was sent.
        .addColumn('otp_id', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('registration_sms_mobile')
        .on('registration_sms')
        .columns(['mobile_hash', 'created_at_ms'])
        .execute();
      await db.schema
        .createIndex('registration_sms_ip')
        .on('registration_sms')
        .columns(['ip', 'created_at_ms'])
        .execute();
      await db.schema
        .createTable('agreement_acceptance')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('way', 'text', (c) => c.notNull().check(sql`way in ('self', 'mobile')`))
        .addColumn('ip', 'text')
        .addColumn('accepted_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('agreement_acceptance_customer')
        .on('agreement_acceptance')
        .columns(['customer_id', 'accepted_at_ms'])
        .execute();
      // A customer who registered on the phone: no accounts, no payments until a card is bound.
      await db.schema
        .createTable('card_binding')
        .addColumn('customer_id', 'text', (c) => c.primaryKey())
        .addColumn('registered_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('bound_account_id', 'text')
        .addColumn('bound_at_ms', 'bigint')
        .execute();
      await db.schema
        .createTable('password_reset')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('verify', 'password', 'done')`))
        .addColumn('challenge_id', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('password_reset_customer')
        .on('password_reset')
        .columns(['customer_id', 'created_at_ms'])
        .execute();
    },
  },
};
