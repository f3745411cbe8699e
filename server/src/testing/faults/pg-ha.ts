import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, type PgCluster, startPgCluster } from '../../../../scripts/pg-cluster.ts';
import { sleep } from './seed.ts';

/**
 * Runs a PostgreSQL tool as the user that owns the test clusters: PostgreSQL refuses to run as root, so
 * when the tests run as root the clusters belong to `postgres` (scripts/pg-cluster.ts).
 */
export function asClusterOwner(command: string, args: string[], env: Record<string, string> = {}): void {
  if (userInfo().uid === 0) {
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    execFileSync('runuser', ['-u', 'postgres', '--', 'env', ...assignments, command, ...args], { stdio: 'pipe' });
  } else {
    execFileSync(command, args, { stdio: 'pipe', env: { ...process.env, ...env } });
  }
}

/** `pg_ctl` on a cluster's data directory. */
export function pgCtl(bindir: string, dataDir: string, ...args: string[]): void {
  asClusterOwner(join(bindir, 'pg_ctl'), ['-D', dataDir, ...args]);
}

/**
 * `pg_ctl` without blocking the event loop: a test that crashes or promotes a server under load keeps its
 * clients and probes running meanwhile (a synchronous call would freeze them and skew what they record).
 */
export async function pgCtlAsync(bindir: string, dataDir: string, ...args: string[]): Promise<void> {
  const command = [join(bindir, 'pg_ctl'), '-D', dataDir, ...args];
  const [file, ...rest] = userInfo().uid === 0 ? ['runuser', '-u', 'postgres', '--', ...command] : command;
  await promisify(execFile)(file!, rest);
}

/**
 * The production shape of issue 20, item 2, on loopback: a PostgreSQL primary, a synchronous standby
 * made from it with `pg_basebackup -R` (`synchronous_standby_names = 'FIRST 1 (standby)'`,
 * `synchronous_commit = remote_apply`: a commit is acknowledged only once the standby has applied it, so
 * an answered transfer survives the primary's loss), and HAProxy in front, sending connections only to
 * the server that accepts writes. HAProxy learns which one that is from a small HTTP check agent beside
 * each server that answers `GET /primary` with 200 when `pg_is_in_recovery()` is false — the same
 * contract as Patroni's REST API, which production setups point HAProxy's `option httpchk` at.
 */
export type FailoverRig = {
  /** The database URL through HAProxy: what the servers use. */
  url: string;
  primaryUrl: string;
  standbyUrl: string;
  /** Crashes the primary: `pg_ctl stop -m immediate`, every connection cut. */
  killPrimary(): Promise<void>;
  /** `pg_ctl promote` on the standby: it leaves recovery and accepts writes. */
  promoteStandby(): Promise<void>;
  /** HAProxy's view of the two servers, e.g. `{ primary: 'UP', standby: 'DOWN' }`. */
  proxyStates(): Promise<Record<string, string>>;
  /** Waits until HAProxy shows exactly `server` UP; how long that took in ms. */
  waitForRoute(server: 'primary' | 'standby', timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
};

export function findHaproxy(): string {
  const found = ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'].find((p) => existsSync(p));
  if (!found) throw new Error('HAProxy not found: install it with `apt-get install -y haproxy`');
  return found;
}

const CHECK_INTERVAL_MS = 200;

export async function startFailoverRig(): Promise<FailoverRig> {
  const haproxy = findHaproxy();
  const primary = await startPgCluster({ fsync: false, maxConnections: 60 });
  const cleanups: Array<() => unknown> = [() => primary.stop()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {}
    }
  };
  try {
    const standby = await startStandby(primary);
    cleanups.push(standby.stop);
    await makeSynchronous(primary.url);
    const agents = [await startRoleAgent(primary.url), await startRoleAgent(standby.url)];
    cleanups.push(() => Promise.all(agents.map((a) => new Promise((r) => a.server.close(r)))));
    const proxy = await startHaproxy(haproxy, [
      { name: 'primary', port: Number(new URL(primary.url).port), checkPort: agents[0]!.port },
      { name: 'standby', port: Number(new URL(standby.url).port), checkPort: agents[1]!.port },
    ]);
    cleanups.push(proxy.stop);
    const waitForRoute = async (server: 'primary' | 'standby', timeoutMs = 10_000) => {
      const start = Date.now();
      for (;;) {
        const states = await proxy.states();
        // `UP 1/2` is a server that failed one check and still takes connections.
        const up = Object.keys(states).filter((name) => states[name]!.startsWith('UP'));
        if (up.length === 1 && up[0] === server) return Date.now() - start;
        if (Date.now() - start > timeoutMs)
          throw new Error(`HAProxy did not route to ${server}: ${JSON.stringify(states)}`);
        await sleep(20);
      }
    };
    // HAProxy starts with every server up until its first check says otherwise.
    await waitForRoute('primary');
    const url = new URL(primary.url);
    url.port = String(proxy.port);
    return {
      url: url.toString(),
      primaryUrl: primary.url,
      standbyUrl: standby.url,
      killPrimary: () => pgCtlAsync(primary.bindir, join(primary.dir, 'data'), '-m', 'immediate', '-w', 'stop'),
      promoteStandby: () => pgCtlAsync(primary.bindir, standby.dataDir, '-w', '-t', '60', 'promote'),
      proxyStates: proxy.states,
      waitForRoute,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A hot standby streaming from `primary`, made with `pg_basebackup -R` and named `standby`. */
async function startStandby(primary: PgCluster): Promise<{ url: string; dataDir: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'jinku-pg-standby-'));
  if (userInfo().uid === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  chmodSync(dir, 0o700);
  const dataDir = join(dir, 'data');
  const source = new URL(primary.url);
  asClusterOwner(
    join(primary.bindir, 'pg_basebackup'),
    ['-h', '127.0.0.1', '-p', source.port, '-U', 'jinku', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast'],
    { PGPASSWORD: 'jinku' },
  );
  const port = await freePort();
  // A hot standby needs at least the primary's max_connections.
  const settings = [
    `-c port=${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${dir}'`,
    '-c max_connections=60',
    '-c shared_buffers=128MB',
    '-c fsync=off',
    // The name the primary's synchronous_standby_names refers to (the WAL receiver's application_name).
    '-c cluster_name=standby',
  ].join(' ');
  pgCtl(primary.bindir, dataDir, '-l', join(dir, 'log'), '-o', settings, '-w', '-t', '60', 'start');
  const url = new URL(primary.url);
  url.port = String(port);
  return {
    url: url.toString(),
    dataDir,
    stop() {
      try {
        pgCtl(primary.bindir, dataDir, '-m', 'immediate', '-w', 'stop');
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Makes the standby synchronous. Set on the primary after the base backup, so the standby does not carry
 * it: once promoted it runs alone, and a server naming a synchronous standby it does not have would
 * wait for ever on every commit.
 */
async function makeSynchronous(primaryUrl: string): Promise<void> {
  const client = new pg.Client(primaryUrl);
  await client.connect();
  try {
    await client.query("alter system set synchronous_standby_names = 'FIRST 1 (standby)'");
    await client.query("alter system set synchronous_commit = 'remote_apply'");
    await client.query('select pg_reload_conf()');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await client.query(
        "select sync_state from pg_stat_replication where application_name = 'standby' and state = 'streaming'",
      );
      if (rows[0]?.sync_state === 'sync') return;
      if (Date.now() > deadline) throw new Error(`the standby did not become synchronous: ${JSON.stringify(rows)}`);
      await sleep(50);
    }
  } finally {
    await client.end();
  }
}

/**
 * The check agent for one server: `GET /primary` answers 200 when the server is reachable and not in
 * recovery (it accepts writes), 503 otherwise. A fresh connection per check, with a short timeout, so a
 * dead or hung server is reported down rather than holding the check.
 */
async function startRoleAgent(databaseUrl: string): Promise<{ port: number; server: Server }> {
  const server = createServer(async (_request, response) => {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1500 });
    client.on('error', () => {});
    let writable = false;
    try {
      await client.connect();
      writable = (await client.query('select pg_is_in_recovery() as r')).rows[0].r === false;
    } catch {
      // unreachable, starting or shutting down: not a place for writes
    }
    client.end().catch(() => {});
    response.writeHead(writable ? 200 : 503, { 'content-type': 'text/plain', connection: 'close' });
    response.end(writable ? 'primary\n' : 'not primary\n');
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

/** HAProxy as a plain foreground process with a generated configuration, on a free loopback port. */
async function startHaproxy(
  binary: string,
  servers: Array<{ name: string; port: number; checkPort: number }>,
): Promise<{ port: number; states(): Promise<Record<string, string>>; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'jinku-haproxy-'));
  const port = await freePort();
  const socket = join(dir, 'admin.sock');
  // TCP mode: HAProxy passes PostgreSQL's protocol through untouched. The servers' own pools keep
  // connections for a long time, so the client and server timeouts are long; a server marked down has its
  // connections shut (on-marked-down), so nothing keeps talking to a former primary.
  const config = `global
  stats socket ${socket} mode 600 level admin
defaults
  mode tcp
  timeout connect 500ms
  timeout client 1h
  timeout server 1h
  timeout check 2s
listen postgres
  bind 127.0.0.1:${port}
  option httpchk
  http-check send meth GET uri /primary
  http-check expect status 200
  # A connection the server refuses marks it down at once (observe layer4), and is not retried on it:
  # HAProxy's retries wait a second each, while the servers would rather answer 503 and retry themselves.
  # A slow check is not a dead server: three failed checks (or a refused connection) before a server is
  # marked down, so a busy machine does not cut every session of a healthy primary.
  retries 0
  default-server inter ${CHECK_INTERVAL_MS}ms fall 3 rise 1 on-marked-down shutdown-sessions observe layer4 error-limit 1 on-error mark-down
  # With no writable server, refuse at once: the servers answer 503 and retry, rather than wait in a queue.
  tcp-request connection reject if { nbsrv(postgres) eq 0 }
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check port ${s.checkPort}`).join('\n')}
`;
  writeFileSync(join(dir, 'haproxy.cfg'), config);
  const child: ChildProcess = spawn(binary, ['-db', '-f', join(dir, 'haproxy.cfg')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const adminCommand = (command: string) =>
    new Promise<string>((resolve, reject) => {
      const connection = connect(socket);
      let text = '';
      connection.on('data', (chunk) => {
        text += chunk;
      });
      connection.on('end', () => resolve(text));
      connection.on('error', reject);
      connection.end(`${command}\n`);
    });
  const states = async () => {
    // `show stat` is CSV: proxy name, server name, …, with the server's status in the `status` column.
    const lines = (await adminCommand('show stat')).trim().split('\n');
    const header = (lines[0] ?? '').replace(/^# /, '').split(',');
    const status = header.indexOf('status');
    const result: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      if (cells[0] === 'postgres' && servers.some((s) => s.name === cells[1])) result[cells[1]!] = cells[status]!;
    }
    return result;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HAProxy did not start:\n${stderr}`);
    try {
      await states();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`HAProxy did not start:\n${stderr}`);
      await sleep(50);
    }
  }
  return {
    port,
    states,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
