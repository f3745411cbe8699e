import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The platform's own table (platform/settings-store.ts). */
export const platformMigrations: Record<string, Migration> = {
  '0001_platform': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('platform_setting')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
};
