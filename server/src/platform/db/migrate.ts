import type { Kysely } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';

/**
 * Applies every pending migration in name order with Kysely's migrator, which takes a lock so that two
 * server instances starting together on one PostgreSQL do not both migrate. Names are numbered by
 * domain (00xx platform and audit, 01xx customers, …), so a domain's later migration may sort before
 * another domain's applied one: that is allowed, and each still runs once.
 */
export async function migrateToLatest<DB>(
  kysely: Kysely<DB>,
  migrations: Record<string, Migration>,
): Promise<{ applied: string[] }> {
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
