import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Passkey sign-in's migrations (auth's 03xx range). */
export const passkeyLoginMigrations: Record<string, Migration> = {
  '0320_passkey_login': {
    async up(db: Kysely<any>) {
      // One row per passkey sign-in attempt: the WebAuthn challenge the server issued, answered once.
      await db.schema
        .createTable('passkey_login')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('challenge', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('used_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('passkey_login_expiry').on('passkey_login').column('expires_at_ms').execute();
    },
  },
};
