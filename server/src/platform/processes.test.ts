import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort } from '../../../scripts/pg-cluster.ts';
import { createTestDatabaseUrl } from '../testing/database.ts';

const MAIN = join(import.meta.dirname, '..', 'main.ts');

type Server = { child: ChildProcess; port: number; output: () => string };

/** Starts a real server process and waits for its ready line. */
/** Every child started, killed when the suite ends even if a test failed half-way. */
const children: ChildProcess[] = [];

async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      JINKU_ENV: 'test',
      JINKU_SECRET: '33'.repeat(32),
      JINKU_ARGON2_MEMORY_KIB: '1024',
      JINKU_ARGON2_TIME_COST: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  // Seeding the demo bank hashes many passwords: on a busy machine a start can take tens of seconds.
  const deadline = Date.now() + 60_000;
  while (!output.includes('Jinku ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, output: () => output };
}

describe('server processes', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('two server processes on one PostgreSQL database both serve requests', async () => {
    const { url, drop } = await createTestDatabaseUrl('postgres');
    cleanups.push(drop);
    // Both start at once: the migrator's lock lets exactly one of them migrate.
    const [a, b] = await Promise.all([startServer(url), startServer(url)]);
    cleanups.push(
      () => void a.child.kill('SIGKILL'),
      () => void b.child.kill('SIGKILL'),
    );
    for (const server of [a, b]) {
      const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ok', database: 'postgres' });
    }
    // State written through one instance is seen by the other: the dev clock lives in the database.
    const moved = await fetch(`http://127.0.0.1:${a.port}/api/v1/dev/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 86_400 }),
    });
    assert.equal(moved.status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    const seen = await fetch(`http://127.0.0.1:${b.port}/api/v1/dev/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 0 }),
    });
    assert.equal(((await seen.json()) as { offsetSeconds: number }).offsetSeconds, 86_400);
  });

  test("libuv's thread pool has one thread per core, so Argon2id hashes do not crowd each other out", async () => {
    const { url, drop } = await createTestDatabaseUrl('sqlite');
    cleanups.push(drop);
    const server = await startServer(url, { UV_THREADPOOL_SIZE: '' });
    cleanups.push(() => void server.child.kill('SIGKILL'));
    // A login hashes a password (here an unknown identifier, verified against the dummy hash).
    const base = `http://127.0.0.1:${server.port}`;
    const session = await fetch(`${base}/api/v1/session`);
    const csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
    const cookie = session.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ identifier: '13912345678', password: 'Wrong2026x', channel: 'web' }),
    });
    assert.equal(login.status, 401);
    const tasks = readdirSync(`/proc/${server.child.pid}/task`);
    const poolThreads = tasks.filter(
      (task) => readFileSync(`/proc/${server.child.pid}/task/${task}/comm`, 'utf8').trim() === 'libuv-worker',
    );
    assert.equal(poolThreads.length, availableParallelism());
  });

  test('SIGTERM finishes in-flight work, closes the database and exits 0', async () => {
    const { url, drop } = await createTestDatabaseUrl('sqlite');
    cleanups.push(drop);
    const server = await startServer(url);
    cleanups.push(() => void server.child.kill('SIGKILL'));
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/livez`)).status, 200);
    server.child.kill('SIGTERM');
    const [code] = await once(server.child, 'exit');
    assert.equal(code, 0);
    assert.match(server.output(), /shutting down/);
  });
});
