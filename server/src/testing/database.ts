import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../database.ts';
import { migrations } from '../migrations.ts';
import { type DatabaseHandle, type Dialect, openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';

/**
 * Every integration suite runs on each dialect, as Kysely's own tests do. PostgreSQL comes from
 * JINKU_TEST_PG_URL (an admin URL that `npm test` sets to its throwaway cluster); each test database is
 * created fresh and dropped afterwards.
 */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

export type TestDatabase = { url: string; handle: DatabaseHandle<Database>; drop(): Promise<void> };

/** The PostgreSQL admin URL for tests, or a clear failure when the runner did not provide one. */
export function testPgAdminUrl(): string {
  const url = process.env.JINKU_TEST_PG_URL;
  if (!url) throw new Error('JINKU_TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL');
  return url;
}

/** A new, empty, unmigrated database URL of the given dialect, and how to remove it. */
export async function createTestDatabaseUrl(dialect: Dialect): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jinku-test-'));
    return { url: `sqlite:${join(dir, 'jinku.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = testPgAdminUrl();
  const name = `jinku_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client(admin);
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client(admin);
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A new, migrated database of the given dialect. */
export async function openTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const { url, drop } = await createTestDatabaseUrl(dialect);
  const handle = openDatabase<Database>(url, { poolSize: 20 });
  await migrateToLatest(handle.kysely, migrations);
  return {
    url,
    handle,
    async drop() {
      await handle.close();
      await drop();
    },
  };
}
