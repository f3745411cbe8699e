import { migrations } from '../migrations.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { openConfiguredDatabase } from './open.ts';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (the server also does this at start). */
const db = openConfiguredDatabase();
try {
  const { applied } = await migrateToLatest(db.kysely, migrations);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
} finally {
  await db.close();
}
