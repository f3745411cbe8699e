import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/pg-cluster.ts';

const ROOT = join(import.meta.dirname, '..');

export type BenchServer = { baseUrl: string; logPath: string; pid: number; stop(): Promise<void> };

/**
 * A real server process for a benchmark. Its log goes to a file, as in production: a log piped to a
 * busy benchmark process would block the server on every write (stdout pipes are synchronous on Linux)
 * and measure the pipe, not the server. Ready when /livez answers (the server listens after the demo seed).
 */
export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'jinku-bench-'));
  const port = await freePort();
  const logPath = join(dir, 'server.log');
  const log = openSync(logPath, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/main.ts')],
    {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:${join(dir, 'jinku.db')}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        JINKU_ENV: 'test',
        JINKU_DEMO: 'true',
        ...env,
      },
      stdio: ['ignore', log, log],
    },
  );
  const baseUrl = `http://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start; see ${logPath}`);
    try {
      if ((await fetch(`${baseUrl}/livez`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    logPath,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
