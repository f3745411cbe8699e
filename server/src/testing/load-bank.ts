import { setLoginPassword } from '../auth/index.ts';
import type { Database } from '../database.ts';
import { migrations } from '../migrations.ts';
import { systemClock } from '../platform/clock.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { testConfig } from './app.ts';
import { createTestCustomer, type TestCustomer } from './bank.ts';

/**
 * A database migrated and filled with customers who can sign in, for the tests that drive a real
 * server process under load and break something (crash, database outage): `count` customers named
 * 客户0, 客户1, …, each with two accounts of `openingFen` and the login password `password`.
 */
export async function prepareLoadBank(
  url: string,
  options: { count: number; openingFen: number; password: string; poolSize: number },
): Promise<{ db: DatabaseHandle<Database>; customers: TestCustomer[] }> {
  const db = openDatabase<Database>(url, { poolSize: options.poolSize });
  await migrateToLatest(db.kysely, migrations);
  const config = { ...testConfig({ JINKU_SECRET: '11'.repeat(32) }), databaseUrl: url };
  const deps = { config, clock: systemClock() };
  const customers: TestCustomer[] = [];
  for (let i = 0; i < options.count; i++) {
    const customer = await createTestCustomer(db.kysely, deps, {
      name: `客户${i}`,
      balancesFen: [options.openingFen, options.openingFen],
    });
    await withTransaction(db.kysely, (trx) =>
      setLoginPassword(trx, deps, customer.id, options.password, { temporary: false }),
    );
    customers.push(customer);
  }
  return { db, customers };
}
