import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { deliverDueMessages, devAdapter } from '../notify/index.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import type { Dialect } from '../platform/db/database.ts';
import type { App } from '../platform/http/types.ts';
import { openTestDatabase, type TestDatabase } from './database.ts';

export type TestApp = {
  app: App;
  ctx: AppContext;
  db: TestDatabase;
  clock: Clock;
  /** Every log line the app wrote, for tests that look for leaked secrets. */
  logs: string[];
  /** Delivers queued messages now (there is no background worker in tests). */
  deliverOutbox(): Promise<number>;
  close(): Promise<void>;
};

/** Test configuration: fast Argon2 parameters unless a test asks otherwise. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    JINKU_ENV: 'test',
    DATABASE_URL: 'sqlite::memory:',
    JINKU_SECRET: '11'.repeat(32),
    LOG_LEVEL: 'info',
    JINKU_ARGON2_MEMORY_KIB: '1024',
    JINKU_ARGON2_TIME_COST: '1',
    JINKU_RATE_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  });
}

/** Builds the real app on a fresh database of the given dialect. */
export async function createTestApp(
  dialect: Dialect,
  options: { env?: Record<string, string>; config?: Partial<Config>; db?: TestDatabase } = {},
): Promise<TestApp> {
  const db = options.db ?? (await openTestDatabase(dialect));
  const config: Config = { ...testConfig(options.env), ...options.config, databaseUrl: db.url };
  const clock = systemClock();
  const ctx: AppContext = { config, db: db.handle, clock, kickOutbox: () => {} };
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(ctx, { logStream });
  await app.ready();
  return {
    app,
    ctx,
    db,
    clock,
    logs,
    deliverOutbox: () => deliverDueMessages(db.handle.kysely, devAdapter, () => clock.nowMs()),
    async close() {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}

/** Parses a JSON response body. */
export function json<T = any>(response: LightMyRequestResponse): T {
  return JSON.parse(response.body) as T;
}
