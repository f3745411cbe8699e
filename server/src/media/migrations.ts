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
  '0403_media_lifecycle_and_challenges': {
    // Media get their lifecycle (issued → active → locked → revoked / lost / expired), an encrypted
    // secret, uses left and a count of wrong answers in a row; challenges of every medium get one table.
    // SQLite cannot change a CHECK constraint, so the table is rebuilt the portable way.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('security_medium_v2')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(sql`kind in ('sms', 'password_card', 'e_token', 'u_shield')`),
        )
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('issued', 'active', 'locked', 'revoked', 'lost', 'expired')`),
        )
        .addColumn('serial', 'text', (c) => c.unique())
        .addColumn('secret_sealed', 'text')
        .addColumn('uses_left', 'integer', (c) => c.check(sql`uses_left >= 0`))
        .addColumn('wrong_in_row', 'integer', (c) => c.notNull().defaultTo(0).check(sql`wrong_in_row >= 0`))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into security_medium_v2 (id, customer_id, kind, status, serial, secret_sealed, uses_left,
          wrong_in_row, created_at_ms, updated_at_ms)
        select id, customer_id, kind, status, serial, null, null, 0, created_at_ms, created_at_ms
        from security_medium`.execute(db);
      await db.schema.dropTable('security_medium').execute();
      await db.schema.alterTable('security_medium_v2').renameTo('security_medium').execute();
      await db.schema.createIndex('security_medium_customer').on('security_medium').columns(['customer_id']).execute();
      await db.schema
        .createTable('media_challenge')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        // Null for an SMS code to a mobile the bank holds without an SMS medium (a static-password customer).
        .addColumn('medium_id', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('binding_hash', 'text', (c) => c.notNull())
        /** What the medium was asked (the cells, the e-token digits, the SMS code's id), as JSON. */
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('tries_left', 'integer', (c) => c.notNull().check(sql`tries_left >= 0`))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('used_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('media_challenge_created').on('media_challenge').columns(['created_at_ms']).execute();
    },
  },
  '0404_media_kinds_and_time_steps': {
    // Every kind API.md names may be stored (soft tokens now; passkeys and the payment password next),
    // and a time-based medium remembers its last accepted step, so a code is never accepted twice
    // (RFC 6238 section 5.2). The table is rebuilt again: SQLite cannot change a CHECK constraint.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('security_medium_v3')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) =>
          c
            .notNull()
            .check(sql`kind in ('sms', 'password_card', 'e_token', 'totp', 'u_shield', 'passkey', 'payment_password')`),
        )
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('issued', 'active', 'locked', 'revoked', 'lost', 'expired')`),
        )
        .addColumn('serial', 'text', (c) => c.unique())
        .addColumn('secret_sealed', 'text')
        .addColumn('uses_left', 'integer', (c) => c.check(sql`uses_left >= 0`))
        .addColumn('wrong_in_row', 'integer', (c) => c.notNull().defaultTo(0).check(sql`wrong_in_row >= 0`))
        .addColumn('last_step', 'bigint')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into security_medium_v3 (id, customer_id, kind, status, serial, secret_sealed, uses_left,
          wrong_in_row, last_step, created_at_ms, updated_at_ms)
        select id, customer_id, kind, status, serial, secret_sealed, uses_left, wrong_in_row, null, created_at_ms,
          updated_at_ms
        from security_medium`.execute(db);
      await db.schema.dropTable('security_medium').execute();
      await db.schema.alterTable('security_medium_v3').renameTo('security_medium').execute();
      await db.schema.createIndex('security_medium_customer').on('security_medium').columns(['customer_id']).execute();
    },
  },
  '0405_webauthn_credential': {
    // A U-shield's (and later a passkey's) WebAuthn credential, one per medium: its id, its public key
    // (COSE, base64url) and its signature counter, which only grows (a cloned key shows a counter gone back).
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('webauthn_credential')
        .addColumn('medium_id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('credential_id', 'text', (c) => c.notNull().unique())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('counter', 'bigint', (c) => c.notNull().check(sql`counter >= 0`))
        .addColumn('transports', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0406_passkey_device': {
    // A passkey is tied to the device (auth's device hash) that registered it: forgetting that device in
    // the security centre deletes the passkey's credential.
    async up(db: Kysely<any>) {
      await db.schema.alterTable('webauthn_credential').addColumn('device_hash', 'text').execute();
      await db.schema
        .createIndex('webauthn_credential_device')
        .on('webauthn_credential')
        .columns(['customer_id', 'device_hash'])
        .execute();
    },
  },
};
