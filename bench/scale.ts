import { execFileSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgBindir, startPgCluster } from '../scripts/pg-cluster.ts';
import type { TestCustomer } from '../server/src/testing/bank.ts';
import { createTestDatabaseUrl } from '../server/src/testing/database.ts';
import { HttpClient } from '../server/src/testing/http-client.ts';
import { type ServerProcess, startServerProcess } from '../server/src/testing/server-process.ts';
import { BENCH_SECRET, benchSignIn, createBenchCustomers, openBenchDatabase, runLoad } from './_bank.ts';

/**
 * `npm run bench -- scale` (issue 20, item 3): own-account transfers through the API with 1, 2 and 3
 * server processes on one PostgreSQL, the client spreading its requests round-robin over the instances
 * (no HAProxy on this machine), beside pgbench TPC-B-like at the same client count. On a 2-core machine
 * more processes share the same cores: the figure shows what scaling out costs or gains here, not on a
 * machine per instance.
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CUSTOMERS = 4 * CONCURRENCY;

const bindir = findPgBindir();
if (!bindir) throw new Error('PostgreSQL not found: apt-get install -y postgresql');
const given = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
const cluster = given ? null : await startPgCluster();
const admin = given ?? cluster!.url;
process.env.JINKU_TEST_PG_URL = admin;
const workDir = mkdtempSync(join(tmpdir(), 'jinku-bench-scale-'));
const { url, drop } = await createTestDatabaseUrl('postgres');
const rows: Array<Record<string, string>> = [];
try {
  const db = await openBenchDatabase(url);
  const customers = await createBenchCustomers(db, CUSTOMERS, [1_000_000_000, 1_000_000_000], '本人');
  await db.close();
  for (const instances of [1, 2, 3]) {
    const servers: ServerProcess[] = [];
    for (let i = 0; i < instances; i++) {
      servers.push(
        await startServerProcess(
          url,
          { JINKU_SECRET: BENCH_SECRET, JINKU_PG_POOL_SIZE: String(Math.ceil(16 / instances)), LOG_LEVEL: 'warn' },
          { logFile: join(workDir, `server-${instances}-${i}.log`) },
        ),
      );
    }
    try {
      // Each customer signs in once; the session (in the database) is then used on every instance.
      const signedIn = await Promise.all(customers.map((c) => benchSignIn(servers[0]!.baseUrl, c)));
      const clientsOf = signedIn.map((client) =>
        servers.map((server) => {
          const copy = new HttpClient(server.baseUrl);
          for (const [k, v] of client.cookies) copy.cookies.set(k, v);
          return copy;
        }),
      );
      let turn = 0;
      const step = async (worker: number) => {
        // Workers take disjoint customers, so that requests in flight seldom share an account.
        const n = (worker + CONCURRENCY * randomInt(4)) % CUSTOMERS;
        const customer: TestCustomer = customers[n]!;
        const client = clientsOf[n]![turn++ % instances]!;
        const from = randomInt(2);
        const answer = await client.json(
          'POST',
          '/api/v1/transfers',
          {
            fromAccountId: customer.accounts[from]!.id,
            payee: { name: customer.name, accountNumber: customer.accounts[1 - from]!.account_number },
            amount: { amount: '0.01', currency: 'CNY' },
          },
          { 'idempotency-key': randomUUID() },
        );
        return answer.status === 201 && answer.body.status === 'completed';
      };
      await runLoad(CONCURRENCY, 2, step); // warm-up
      const result = await runLoad(CONCURRENCY, SECONDS, step);
      rows.push({
        measure: `own-account transfers via the API, ${instances} instance(s), ${CONCURRENCY} clients`,
        'per second': result.perSecond.toFixed(0),
        p50: `${result.p50Ms.toFixed(1)} ms`,
        p99: `${result.p99Ms.toFixed(1)} ms`,
        note: `${result.done} in ${result.seconds.toFixed(1)} s${result.failures ? `, ${result.failures} refused` : ''}`,
      });
    } finally {
      for (const server of servers) await server.kill('SIGTERM');
    }
  }
  rows.push({
    measure: `pgbench TPC-B-like (-M prepared), ${CONCURRENCY} clients`,
    'per second': pgbench().toFixed(0),
    p50: '',
    p99: '',
    note: '',
  });
  console.table(rows);
} finally {
  await drop();
  cluster?.stop();
}

function pgbench(): number {
  const adminUrl = new URL(admin);
  const name = `pgbench_${randomUUID().slice(0, 8)}`;
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(adminUrl.password) };
  const args = ['-h', adminUrl.hostname, '-p', adminUrl.port, '-U', decodeURIComponent(adminUrl.username)];
  return (() => {
    execFileSync(join(bindir!, 'createdb'), [...args, name], { env, stdio: 'ignore' });
    execFileSync(join(bindir!, 'pgbench'), [...args, '-i', '-q', '-s', String(CONCURRENCY), name], {
      env,
      stdio: 'ignore',
    });
    const out = execFileSync(
      join(bindir!, 'pgbench'),
      [...args, '-M', 'prepared', '-c', String(CONCURRENCY), '-j', '2', '-T', String(SECONDS), '-n', name],
      { env, encoding: 'utf8' },
    );
    return Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
  })();
}
