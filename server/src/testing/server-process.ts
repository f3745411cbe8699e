import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../scripts/pg-cluster.ts';

const ROOT = join(import.meta.dirname, '../../..');

export type ServerProcess = {
  baseUrl: string;
  child: ChildProcess;
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
};

/**
 * A real Jinku server process on the given database (tests that kill and restart it). Ready when
 * /livez answers; fast Argon2 parameters as in the other tests unless `env` says otherwise.
 */
export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: { logFile?: string } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/main.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      JINKU_ENV: 'test',
      JINKU_DEMO: 'false',
      JINKU_SECRET: '11'.repeat(32),
      JINKU_ARGON2_MEMORY_KIB: '1024',
      JINKU_ARGON2_TIME_COST: '1',
      JINKU_RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
      ...env,
    },
    // A benchmark logs to a file: a pipe to a busy parent would block the server on every write.
    stdio: options.logFile
      ? ['ignore', openSync(options.logFile, 'a'), openSync(options.logFile, 'a')]
      : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Generous: under `npm run soak` beside other work this machine has run at a load of 30 on two cores,
  // where a server took over a minute to load its modules.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    try {
      if ((await fetch(`${baseUrl}/livez`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    baseUrl,
    child,
    output: () => output,
    async kill(signal) {
      // A process ended by a signal has no exit code, only its signal: either means there is nothing to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
