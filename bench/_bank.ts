import { setLoginPassword } from '../server/src/auth/index.ts';
import type { Database } from '../server/src/database.ts';
import { migrations } from '../server/src/migrations.ts';
import { systemClock } from '../server/src/platform/clock.ts';
import { type DatabaseHandle, type OpenOptions, openDatabase } from '../server/src/platform/db/database.ts';
import { migrateToLatest } from '../server/src/platform/db/migrate.ts';
import { withTransaction } from '../server/src/platform/db/transaction.ts';
import { testConfig } from '../server/src/testing/app.ts';
import { createTestCustomer, type TestCustomer } from '../server/src/testing/bank.ts';
import { type HttpClient, signInOverHttp } from '../server/src/testing/http-client.ts';

export const BENCH_PASSWORD = 'Bench2026x';
export const BENCH_SECRET = '11'.repeat(32);

/** Opens and migrates a benchmark database. */
export async function openBenchDatabase(url: string, options: OpenOptions = {}): Promise<DatabaseHandle<Database>> {
  const db = openDatabase<Database>(url, { poolSize: 4, ...options });
  await migrateToLatest(db.kysely, migrations);
  return db;
}

/** Customers with the given opening balances and a login password (fast Argon2: sign-in is not what is measured). */
export async function createBenchCustomers(
  db: DatabaseHandle<Database>,
  count: number,
  balancesFen: number[],
  namePrefix = '客户',
) {
  const deps = { config: { ...testConfig({ JINKU_SECRET: BENCH_SECRET }) }, clock: systemClock() };
  const customers: TestCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await createTestCustomer(db.kysely, deps, { name: `${namePrefix}${i}`, balancesFen });
    await withTransaction(db.kysely, (trx) =>
      setLoginPassword(trx, deps, customer.id, BENCH_PASSWORD, { temporary: false }),
    );
    customers.push(customer);
  }
  return customers;
}

/** Signs a customer in through the API (password, then the SMS code a new device is asked for). */
export function benchSignIn(baseUrl: string, customer: TestCustomer): Promise<HttpClient> {
  return signInOverHttp(baseUrl, customer.mobile, BENCH_PASSWORD);
}

export type LoadResult = {
  perSecond: number;
  done: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
};

/** Runs `step` in `concurrency` loops for `seconds` (or until a step returns null: out of work). */
export async function runLoad(
  concurrency: number,
  seconds: number,
  step: (worker: number) => Promise<boolean | null>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const endAt = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < endAt) {
        const t0 = performance.now();
        const ok = await step(worker);
        if (ok === null) return;
        if (ok) latencies.push(performance.now() - t0);
        else failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return {
    perSecond: latencies.length / elapsed,
    done: latencies.length,
    failures,
    p50Ms: pick(0.5),
    p99Ms: pick(0.99),
    seconds: elapsed,
  };
}
