import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A throwaway PostgreSQL cluster for tests and benchmarks: its admin URL and how to stop and remove it. */
export type PgCluster = { url: string; bindir: string; dir: string; stop(): void };

/** Finds PostgreSQL's server binaries: `pg_config --bindir`, then /usr/lib/postgresql/<newest>/bin. */
export function findPgBindir(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(
      execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
  } catch {}
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Creates and starts a cluster on a free loopback port with its own socket directory. PostgreSQL refuses
 * to run as root, so when we are root the cluster belongs to the `postgres` user.
 */
export async function startPgCluster(options: { fsync?: boolean; maxConnections?: number } = {}): Promise<PgCluster> {
  const bindir = findPgBindir();
  if (!bindir) {
    throw new Error('PostgreSQL server binaries not found: install them with `apt-get install -y postgresql`');
  }
  const dir = mkdtempSync(join(tmpdir(), 'jinku-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  const runAs = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'jinku\n');
  if (asRoot) chownSync(pwfile, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), 0);
  runAs(join(bindir, 'initdb'), [
    '-D',
    data,
    '-U',
    'jinku',
    '--pwfile',
    pwfile,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-locale',
  ]);
  const port = await freePort();
  const settings = [
    `-c port=${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${dir}'`,
    `-c max_connections=${options.maxConnections ?? 200}`,
    '-c shared_buffers=256MB',
    `-c fsync=${options.fsync === false ? 'off' : 'on'}`,
  ].join(' ');
  runAs(join(bindir, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', settings, '-w', '-t', '60', 'start']);
  const url = `postgres://jinku:jinku@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    bindir,
    dir,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAs(join(bindir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// `node scripts/pg-cluster.ts` starts a cluster, prints its URL and keeps it until interrupted.
if (import.meta.main) {
  const cluster = await startPgCluster();
  process.stdout.write(`${cluster.url}\n`);
  const stop = () => {
    cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  spawn('sleep', ['infinity'], { stdio: 'ignore' });
}
