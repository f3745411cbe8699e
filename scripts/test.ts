import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findPgBindir, type PgCluster, startPgCluster } from './pg-cluster.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `npm test`: type-check, lint, then every unit and integration test (each integration suite on SQLite
 * and on PostgreSQL) and the end-to-end tests in real Chromium, in one run of Node's test runner so its
 * summary is the last thing printed. PostgreSQL comes from DATABASE_URL when given (an admin URL), else
 * from a throwaway cluster started here and removed afterwards.
 *   --only=unit   skip the e2e tests      --only=e2e   only the e2e tests      --skip-checks  no tsc/lint
 *   any other argument: test files to run
 */
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const skipChecks = args.includes('--skip-checks');
const files = args.filter((a) => !a.startsWith('--'));
const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const wantE2e = only !== 'unit' && (files.length === 0 || files.some((f) => f.startsWith('e2e')));
if (wantE2e && !existsSync(chromium)) {
  fail(`Chromium not found at ${chromium}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
}
if (!process.env.DATABASE_URL && !findPgBindir()) {
  fail('PostgreSQL not found: install it with `apt-get install -y postgresql` (or set DATABASE_URL to an admin URL)');
}

if (!skipChecks && files.length === 0) {
  run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], 'typecheck (server, scripts, tests)');
  if (existsSync(join(root, 'web', 'tsconfig.json'))) {
    run(bin('tsc'), ['--noEmit', '-p', join('web', 'tsconfig.json')], 'typecheck (web)');
  }
  const lintDirs = ['server', 'e2e', 'bench', 'scripts', 'web/src'].filter((d) => existsSync(join(root, d)));
  run(bin('biome'), ['check', ...lintDirs], 'lint');
}

let cluster: PgCluster | null = null;
const cleanup = () => cluster?.stop();
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

let pgUrl = process.env.DATABASE_URL;
if (!pgUrl?.startsWith('postgres')) {
  cluster = await startPgCluster();
  pgUrl = cluster.url;
}
if (wantE2e) await ensureWebBuilt();

const testFiles =
  files.length > 0
    ? files
    : [
        ...(only === 'e2e' ? [] : findFiles(join(root, 'server'), '.test.ts')),
        ...(wantE2e ? findFiles(join(root, 'e2e'), '.spec.ts') : []),
      ].map((f) => relative(root, f));
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    '--test-timeout=300000',
    '--disable-warning=ExperimentalWarning',
    ...testFiles,
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, JINKU_TEST_PG_URL: pgUrl, CHROMIUM_PATH: chromium, NODE_ENV: 'test' },
  },
);
cleanup();
process.exit(result.status ?? 1);

function run(command: string, commandArgs: string[], what: string) {
  process.stdout.write(`▶ ${what}\n`);
  const r = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${what} failed`);
}

function findFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findFiles(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
