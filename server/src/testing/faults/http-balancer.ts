import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../scripts/pg-cluster.ts';
import { findHaproxy } from './pg-ha.ts';
import { sleep } from './seed.ts';

export type HttpBalancer = {
  /** The one address the clients use, e.g. `http://localhost:40123`. */
  baseUrl: string;
  /** Requests each backend has served so far (HAProxy's `stot`), by backend name. */
  served(): Promise<Record<string, number>>;
  /** HAProxy's view of each backend: `UP`, `DOWN`, … */
  states(): Promise<Record<string, string>>;
  stop(): Promise<void>;
};

/**
 * HAProxy in HTTP mode in front of several Jinku instances, as a bank would run them: round robin, each
 * instance checked on `/readyz` (an instance whose database is away says 503 and gets no traffic), and a
 * request whose connection an instance refused sent to another one (it never reached the dead instance,
 * so resending it is safe even for a POST). No stickiness: sessions live in the database.
 */
export async function startHttpBalancer(backends: Array<{ name: string; port: number }>): Promise<HttpBalancer> {
  const binary = findHaproxy();
  const dir = mkdtempSync(join(tmpdir(), 'jinku-http-balancer-'));
  const port = await freePort();
  const socket = join(dir, 'admin.sock');
  const config = `global
  stats socket ${socket} mode 600 level admin
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout check 2s
frontend jinku
  bind 127.0.0.1:${port}
  default_backend instances
backend instances
  balance roundrobin
  option httpchk
  http-check send meth GET uri /readyz
  http-check expect status 200
  retry-on conn-failure empty-response
  retries 2
  option redispatch 1
  default-server inter 500ms fall 2 rise 1 observe layer4 error-limit 1 on-error mark-down
${backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`).join('\n')}
`;
  writeFileSync(join(dir, 'haproxy.cfg'), config);
  const child: ChildProcess = spawn(binary, ['-db', '-f', join(dir, 'haproxy.cfg')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const stats = async (column: string) => {
    const text = await new Promise<string>((resolve, reject) => {
      const connection = connect(socket);
      let out = '';
      connection.on('data', (chunk) => {
        out += chunk;
      });
      connection.on('end', () => resolve(out));
      connection.on('error', reject);
      connection.end('show stat\n');
    });
    // `show stat` is CSV: proxy name, server name, …
    const lines = text.trim().split('\n');
    const header = (lines[0] ?? '').replace(/^# /, '').split(',');
    const at = header.indexOf(column);
    const result: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      if (cells[0] === 'instances' && backends.some((b) => b.name === cells[1])) result[cells[1]!] = cells[at]!;
    }
    return result;
  };
  const states = () => stats('status');
  // Ready once HAProxy answers and its first checks found every instance up.
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HAProxy did not start:\n${stderr}`);
    try {
      const seen = await states();
      if (Object.values(seen).length === backends.length && Object.values(seen).every((s) => s === 'UP')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`HAProxy did not see every instance up:\n${stderr}`);
    await sleep(50);
  }
  return {
    // localhost, not 127.0.0.1: WebAuthn needs a host name as its relying party id.
    baseUrl: `http://localhost:${port}`,
    states,
    async served() {
      const counts = await stats('stot');
      return Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, Number(n)]));
    },
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
