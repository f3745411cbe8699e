import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const authMigrations: Record<string, Migration> = {
  '0301_auth': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('login_credential')
        .addColumn('customer_id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.unique())
        .addColumn('login_name', 'text')
        .addColumn('login_name_lower', 'text', (c) => c.unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'boolean', (c) => c.notNull())
        .addColumn('failed_count', 'integer', (c) => c.notNull().check(sql`failed_count >= 0`))
        .addColumn('locked_until_ms', 'bigint')
        .addColumn('password_changed_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('reserved_message', 'text')
        .addColumn('last_login_at_ms', 'bigint')
        .execute();
      await db.schema
        .createTable('password_history')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('password_history_customer')
        .on('password_history')
        .columns(['customer_id', 'created_at_ms'])
        .execute();
      await db.schema
        .createTable('session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('session_customer').on('session').columns(['customer_id', 'created_at_ms']).execute();
      await db.schema
        .createTable('captcha')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('answer', 'text', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('used', 'boolean', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('captcha_expiry').on('captcha').columns(['expires_at_ms']).execute();
      await db.schema
        .createTable('login_attempt')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('challenge', 'change_password', 'done')`))
        .addColumn('risk', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('otp_id', 'text')
        .addColumn('then_challenge', 'boolean', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('login_failure')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('identifier_hash', 'text', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_failure_ip').on('login_failure').columns(['ip', 'at_ms']).execute();
      await db.schema
        .createIndex('login_failure_identifier')
        .on('login_failure')
        .columns(['identifier_hash', 'at_ms'])
        .execute();
      await db.schema
        .createTable('known_device')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('device_hash', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('first_seen_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at_ms', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('known_device_unique', ['customer_id', 'device_hash'])
        .execute();
      await db.schema
        .createTable('login_event')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('device', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('network', 'text')
        .addColumn('result', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_event_customer').on('login_event').columns(['customer_id', 'at_ms']).execute();
      // "Has this customer signed in from this network before?" is asked at every sign-in.
      await db.schema
        .createIndex('login_event_network')
        .on('login_event')
        .columns(['customer_id', 'network', 'result'])
        .execute();
    },
  },
  '0302_unknown_identifier_lock': {
    // The lock state of identifiers that name nobody, so that they answer like real ones (issue 13 item 1).
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('unknown_identifier_lock')
        .addColumn('identifier_hash', 'text', (c) => c.primaryKey())
        .addColumn('failed_count', 'integer', (c) => c.notNull().check(sql`failed_count >= 0`))
        .addColumn('locked_until_ms', 'bigint')
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('unknown_identifier_lock_updated')
        .on('unknown_identifier_lock')
        .column('updated_at_ms')
        .execute();
    },
  },
  '0303_login_attempt_challenge': {
    // The security check of a sign-in is a challenge of the authorization service (media/authorization.ts),
    // of any medium, no longer an SMS code's id. An attempt lives 5 minutes: those in flight start again.
    async up(db: Kysely<any>) {
      await db.schema.alterTable('login_attempt').renameColumn('otp_id', 'challenge_id').execute();
    },
  },
  '0304_plain_device_labels': {
    // Device names read "Chrome · Windows" (issue 18 item 6): the rows written as "Chrome on Windows" too.
    async up(db: Kysely<any>) {
      await sql`update known_device set label = replace(label, ' on ', ' · ') where label like '% on %'`.execute(db);
      await sql`update login_event set device = replace(device, ' on ', ' · ') where device like '% on %'`.execute(db);
    },
  },
  '0305_known_device_last_ip': {
    // The security centre names a device with the address of its latest sign-in (issue 18 item 6).
    async up(db: Kysely<any>) {
      await db.schema.alterTable('known_device').addColumn('last_ip', 'text').execute();
    },
  },
};
