import type { Kysely } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';

/**
 * Applies every pending migration in name order with Kysely's migrator, which takes a lock so that two
 * server instances starting together on one PostgreSQL do not both migrate.
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
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
