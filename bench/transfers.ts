import { execFileSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPgBindir, type PgCluster, startPgCluster } from '../scripts/pg-cluster.ts';
import type { TestCustomer } from '../server/src/testing/bank.ts';
import { createTestDatabaseUrl } from '../server/src/testing/database.ts';
import { devCode, type HttpClient } from '../server/src/testing/http-client.ts';
import { startServerProcess } from '../server/src/testing/server-process.ts';
import {
  BENCH_SECRET,
  benchSignIn,
  createBenchCustomers,
  type LoadResult,
  openBenchDatabase,
  runLoad,
} from './_bank.ts';
import { summariseProfiles } from './_profile.ts';
import { captureTransferStatements, replayRaw } from './_sqlite-raw.ts';
import { runWrk, type WrkRequest } from './_wrk.ts';

/**
 * Transfers through the real HTTP API (session, validation, idempotency, limits, audit, outbox) against
 * the database's own ceiling on the same machine and concurrency: pgbench TPC-B-like on PostgreSQL, and
 * a raw node:sqlite loop running the same statements on SQLite (issue 4, "Benchmark").
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The API and its baseline alternate this many times (medians reported): this VM's speed drifts. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Own transfers sent, not counted, before the first round. */
const WARM_UP_SECONDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
/** The round whose rate is the median, so its latencies are reported with it. */
const medianRun = (runs: LoadResult[]) =>
  [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;
/**
 * The concurrencies at which own-account transfers on PostgreSQL are compared with pgbench (each at the
 * same concurrency): pgbench's rate hardly changes with it on this machine, the API's does.
 */
const PG_CONCURRENCIES = (process.env.BENCH_PG_CONCURRENCY ?? `${CONCURRENCY},32`).split(',').map(Number);
/** Customers making own-account transfers: enough that requests in flight seldom share an account. */
const OWN_CUSTOMERS = 4 * Math.max(CONCURRENCY, ...PG_CONCURRENCIES);
const PAYERS = Number(process.env.BENCH_PAYERS ?? 160);
/** SMS codes per mobile are capped (10 in ten minutes): each payer makes at most this many payments per phase. */
const USES_PER_PAYER = 4;
const serverEnv = (extra: Record<string, string> = {}) => ({
  JINKU_SECRET: BENCH_SECRET,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  JINKU_ARGON2_MEMORY_KIB: '1024',
  JINKU_ARGON2_TIME_COST: '1',
  JINKU_RATE_LIMIT_PER_MINUTE: '1000000',
  ...(process.env.BENCH_PROFILE_DIR
    ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` }
    : {}),
  ...extra,
});
const workDir = mkdtempSync(join(tmpdir(), 'jinku-bench-transfers-'));
const rows: Array<Record<string, string>> = [];
const report = (measure: string, r: LoadResult | null, extra = '', rounds?: Array<LoadResult | number>) =>
  rows.push({
    measure,
    'per second': r ? r.perSecond.toFixed(0) : extra,
    p50: r ? `${r.p50Ms.toFixed(1)} ms` : '',
    p99: r ? `${r.p99Ms.toFixed(1)} ms` : '',
    note: rounds
      ? `rounds: ${rounds.map((x) => (typeof x === 'number' ? x : x.perSecond).toFixed(0)).join(' ')}`
      : r
        ? `${r.done} in ${r.seconds.toFixed(1)} s${r.failures ? `, ${r.failures} refused` : ''}`
        : '',
  });

/**
 * Own-account transfers between each customer's two accounts, both ways, for wrk to send in turn (each
 * with its own Idempotency-Key): consecutive requests belong to different customers.
 */
function ownTransferRequests(clients: HttpClient[], customers: TestCustomer[]): WrkRequest[] {
  return ([0, 1] as const).flatMap((from) =>
    customers.map((customer, i) => ({
      method: 'POST',
      path: '/api/v1/transfers',
      headers: clients[i]!.replayHeaders(),
      body: {
        fromAccountId: customer.accounts[from]!.id,
        payee: { name: customer.name, accountNumber: customer.accounts[1 - from]!.account_number },
        amount: { amount: `0.${String((i % 99) + 1).padStart(2, '0')}`, currency: 'CNY' },
      },
    })),
  );
}

/** Own-account transfers through the API for SECONDS, driven by wrk (a load generator in C). */
async function ownTransfers(
  baseUrl: string,
  requests: WrkRequest[],
  { seconds = SECONDS, connections = CONCURRENCY } = {},
): Promise<LoadResult> {
  const run = await runWrk({
    baseUrl,
    requests,
    connections,
    seconds,
    expect: '"status":"completed"',
    idempotencyKeyPrefix: randomUUID(),
  });
  loadShares.push(run.loadShare);
  // wrk stops with requests still in flight; let the server finish them before the next phase starts.
  await new Promise((resolve) => setTimeout(resolve, 250));
  return {
    perSecond: run.perSecond,
    done: run.good,
    failures: run.requests - run.good,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    seconds: run.seconds,
  };
}
const loadShares: number[] = [];

/** Payments to other customers, each confirmed with the SMS code read from the dev outbox (no bypass). */
function smsPayments(
  baseUrl: string,
  payers: Array<{ customer: TestCustomer; client: HttpClient; uses: number }>,
  payeeFor: () => TestCustomer,
) {
  let next = 0;
  return async () => {
    let payer: (typeof payers)[number] | undefined;
    for (let tries = 0; tries < payers.length && !payer; tries++) {
      const candidate = payers[next++ % payers.length]!;
      if (candidate.uses < USES_PER_PAYER) payer = candidate;
    }
    if (!payer) return null;
    payer.uses++;
    const payee = payeeFor();
    const created = await payer.client.json(
      'POST',
      '/api/v1/transfers',
      {
        fromAccountId: payer.customer.accounts[0]!.id,
        payee: { name: payee.name, accountNumber: payee.accounts[0]!.card_number },
        amount: { amount: '1.00', currency: 'CNY' },
      },
      { 'idempotency-key': randomUUID() },
    );
    if (created.status !== 201) return false;
    const code = await devCode(baseUrl, payer.customer.mobile);
    const done = await payer.client.json('POST', `/api/v1/transfers/${created.body.id}/authorize`, {
      method: 'sms',
      response: code,
    });
    return done.body?.status === 'completed';
  };
}

/** Creates a pgbench database (scale = concurrency): its URL, and a function that runs it for SECONDS. */
async function preparePgbench(cluster: {
  admin: string;
  bindir: string;
}): Promise<{ run: (clients: number) => number; url: string }> {
  const admin = new URL(cluster.admin);
  const name = `pgbench_${randomUUID().slice(0, 8)}`;
  const client = new pg.Client(cluster.admin);
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(admin.password) };
  const args = ['-h', admin.hostname, '-p', admin.port, '-U', decodeURIComponent(admin.username)];
  const scale = Math.max(CONCURRENCY, ...PG_CONCURRENCIES);
  execFileSync(join(cluster.bindir, 'pgbench'), [...args, '-i', '-q', '-s', String(scale), name], {
    env,
    stdio: 'ignore',
  });
  const url = new URL(cluster.admin);
  url.pathname = `/${name}`;
  const run = (clients: number) => {
    const out = execFileSync(
      join(cluster.bindir, 'pgbench'),
      [...args, '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(SECONDS), '-n', name],
      { env, encoding: 'utf8' },
    );
    return Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
  };
  return { run, url: url.toString() };
}

async function postgresPhases(admin: string, bindir: string) {
  process.env.JINKU_TEST_PG_URL = admin;
  const { url, drop } = await createTestDatabaseUrl('postgres');
  const db = await openBenchDatabase(url);
  const own = await createBenchCustomers(db, OWN_CUSTOMERS, [1_000_000_000, 1_000_000_000], '本人');
  const payerCustomers = await createBenchCustomers(db, PAYERS, [100_000_000], '付款人');
  const payees = await createBenchCustomers(db, 20, [0], '收款人');
  const [merchant] = await createBenchCustomers(db, 1, [0], '商户');
  await db.close();
  const server = await startServerProcess(url, serverEnv(), { logFile: join(workDir, 'pg-server.log') });
  try {
    const ownRequests = ownTransferRequests(await Promise.all(own.map((c) => benchSignIn(server.baseUrl, c))), own);
    const payers = [];
    for (const customer of payerCustomers)
      payers.push({ customer, client: await benchSignIn(server.baseUrl, customer), uses: 0 });
    const pgbench = await preparePgbench({ admin, bindir });
    // Each phase starts from vacuumed tables and a checkpoint, so none pays for what the one before it
    // left: dead rows for autovacuum to clean up meanwhile (pgbench leaves about 60,000 a phase), or dirty
    // pages to write out.
    const settle = async () => {
      for (const database of [url, pgbench.url]) {
        const client = new pg.Client(database);
        await client.connect();
        await client.query('vacuum');
        await client.end();
      }
      const client = new pg.Client(admin);
      await client.connect();
      await client.query('checkpoint');
      await client.end();
    };
    // A server just started runs its first thousands of requests slowly (V8 has not compiled them yet).
    await ownTransfers(server.baseUrl, ownRequests, { seconds: WARM_UP_SECONDS });
    for (const connections of PG_CONCURRENCIES) {
      const apiRuns: LoadResult[] = [];
      const pgbenchRuns: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await settle();
        apiRuns.push(await ownTransfers(server.baseUrl, ownRequests, { connections }));
        await settle();
        pgbenchRuns.push(pgbench.run(connections));
      }
      const uniform = medianRun(apiRuns);
      const tps = median(pgbenchRuns);
      report(`PostgreSQL: own-account transfers via API, concurrency ${connections}`, uniform, '', apiRuns);
      report(`PostgreSQL: pgbench TPC-B-like (-M prepared), ${connections} clients`, null, tps.toFixed(0), pgbenchRuns);
      rows.push({
        measure: `ratio API / pgbench at concurrency ${connections} (goal ≥ ${connections >= 32 ? '0.6' : '0.5'})`,
        'per second': (uniform.perSecond / tps).toFixed(2),
        p50: '',
        p99: '',
        note: '',
      });
    }
    const sms = await runLoad(
      CONCURRENCY,
      SECONDS,
      smsPayments(server.baseUrl, payers, () => payees[randomInt(payees.length)]!),
    );
    report('PostgreSQL: payments to others, SMS-authorised', sms);
    for (const p of payers) p.uses = 0;
    const hot = await runLoad(
      CONCURRENCY,
      SECONDS,
      smsPayments(server.baseUrl, payers, () => merchant!),
    );
    report('PostgreSQL: same, every payment to one merchant (hot)', hot);
    rows.push({
      measure: 'ratio hot / uniform (goal ≥ 0.5)',
      'per second': (hot.perSecond / sms.perSecond).toFixed(2),
      p50: '',
      p99: '',
      note: '',
    });
  } finally {
    await server.kill('SIGTERM');
    await drop();
  }
}

async function sqlitePhases() {
  const url = `sqlite:${join(workDir, 'sqlite', 'bench.db')}`;
  mkdirSync(join(workDir, 'sqlite'), { recursive: true });
  const db = await openBenchDatabase(url);
  const own = await createBenchCustomers(db, OWN_CUSTOMERS, [1_000_000_000, 1_000_000_000], '本人');
  await db.close();
  const statements = await captureTransferStatements(url, own[0]!);
  const server = await startServerProcess(url, serverEnv(), { logFile: join(workDir, 'sqlite-server.log') });
  const apiRuns: LoadResult[] = [];
  const rawRuns: number[] = [];
  try {
    const requests = ownTransferRequests(await Promise.all(own.map((c) => benchSignIn(server.baseUrl, c))), own);
    await ownTransfers(server.baseUrl, requests, { seconds: WARM_UP_SECONDS });
    // The raw loop runs on the same file while the server stands idle between its rounds.
    for (let round = 0; round < ROUNDS; round++) {
      apiRuns.push(await ownTransfers(server.baseUrl, requests));
      rawRuns.push(replayRaw(url.slice('sqlite:'.length), statements, SECONDS));
    }
  } finally {
    await server.kill('SIGTERM');
  }
  const api = medianRun(apiRuns);
  const raw = median(rawRuns);
  report('SQLite: own-account transfers via API', api, '', apiRuns);
  report(
    `SQLite: raw node:sqlite, the same ${statements.length} statements per transaction`,
    null,
    raw.toFixed(0),
    rawRuns,
  );
  rows.push({
    measure: 'ratio API / raw (goal ≥ 0.75)',
    'per second': (api.perSecond / raw).toFixed(2),
    p50: '',
    p99: '',
    note: '',
  });
}

let cluster: PgCluster | null = null;
try {
  const bindir = findPgBindir();
  const given = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
  if (!given) cluster = await startPgCluster();
  const admin = given ?? cluster!.url;
  await postgresPhases(admin, cluster?.bindir ?? bindir ?? '');
  await sqlitePhases();
  console.log(
    `Transfer benchmark — 2 cores, concurrency ${CONCURRENCY} (own transfers on PostgreSQL also at ${PG_CONCURRENCIES.join(', ')}), ${SECONDS} s per phase, API and baseline alternating ${ROUNDS} times (medians)`,
  );
  rows.push({
    measure: 'load generator (wrk) share of the CPU, own transfers',
    'per second': `${(median(loadShares) * 100).toFixed(1)}%`,
    p50: '',
    p99: '',
    note: '',
  });
  console.table(rows);
  if (process.env.BENCH_PROFILE_DIR) {
    console.log('Where the server’s main thread spent its time (self time, all phases):');
    console.table(summariseProfiles(process.env.BENCH_PROFILE_DIR));
  }
} finally {
  cluster?.stop();
}
