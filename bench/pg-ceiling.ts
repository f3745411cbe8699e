import { execFileSync, spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { findPgBindir, type PgCluster, startPgCluster } from '../scripts/pg-cluster.ts';
import { HttpClient } from '../server/src/testing/http-client.ts';
import { runLoad } from './_bank.ts';

/**
 * What this machine allows an HTTP server over PostgreSQL, to read the transfer benchmark's ratio by:
 * bare Fastify with `pg` and a TPC-B-like transfer, as one PL/pgSQL call and as six round trips, against
 * pgbench on the same server at the same concurrency. Nothing of Jinku runs here.
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

let cluster: PgCluster | null = null;
const given = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
if (!given) cluster = await startPgCluster();
const admin = new URL(given ?? cluster!.url);
const bindir = cluster?.bindir ?? findPgBindir() ?? '';
const name = `ceiling_${randomUUID().slice(0, 8)}`;
const client = new pg.Client(admin.toString());
await client.connect();
await client.query(`create database ${name}`);
await client.end();
const url = new URL(admin);
url.pathname = `/${name}`;
const server = spawn(process.execPath, [join(import.meta.dirname, '_pg-ceiling-server.ts')], {
  env: { ...process.env, CEILING_DATABASE_URL: url.toString() },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const port = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (chunk) => {
      const match = /listening (\d+)/.exec(String(chunk));
      if (match) resolve(match[1]!);
    });
    server.on('exit', (code) => reject(new Error(`ceiling server exited with ${code}`)));
  });
  const http = new HttpClient(`http://127.0.0.1:${port}`);
  const transfer = (path: string) => async () => {
    const debit = randomInt(1, 1001);
    const credit = (debit % 1000) + 1;
    const answer = await http.json('POST', path, { debit, credit, amount: 1 });
    return answer.status === 200;
  };
  const rows: Array<Record<string, string>> = [];
  const bare = await runLoad(CONCURRENCY, SECONDS, async () => (await http.json('GET', '/bare')).status === 200);
  const oneCall = await runLoad(CONCURRENCY, SECONDS, transfer('/one-call'));
  const sixTrips = await runLoad(CONCURRENCY, SECONDS, transfer('/six-round-trips'));
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(admin.password) };
  const args = ['-h', admin.hostname, '-p', admin.port, '-U', decodeURIComponent(admin.username)];
  execFileSync(join(bindir, 'pgbench'), [...args, '-i', '-q', '-s', String(CONCURRENCY), name], {
    env,
    stdio: 'ignore',
  });
  const out = execFileSync(
    join(bindir, 'pgbench'),
    [...args, '-M', 'prepared', '-c', String(CONCURRENCY), '-j', '2', '-T', String(SECONDS), '-n', name],
    { env, encoding: 'utf8' },
  );
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
  const row = (measure: string, perSecond: number, p50?: number) =>
    rows.push({
      measure,
      'per second': perSecond.toFixed(0),
      'of pgbench': (perSecond / tps).toFixed(2),
      p50: p50 === undefined ? '' : `${p50.toFixed(2)} ms`,
    });
  row('Fastify, empty JSON answer', bare.perSecond, bare.p50Ms);
  row('Fastify + pg: transfer as one PL/pgSQL call', oneCall.perSecond, oneCall.p50Ms);
  row('Fastify + pg: transfer as six round trips', sixTrips.perSecond, sixTrips.p50Ms);
  row('pgbench TPC-B-like (-M prepared)', tps);
  console.log(`HTTP + PostgreSQL ceiling — concurrency ${CONCURRENCY}, ${SECONDS} s per phase`);
  console.table(rows);
} finally {
  server.kill();
  cluster?.stop();
}
