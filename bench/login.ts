// First, as in the server: libuv's thread pool gets one thread per core, so raw hashing runs as the server's does.
import '../server/src/platform/thread-pool.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HashParams, hashSecret, verifySecret } from '../server/src/platform/secret-hash.ts';
import { devCode, HttpClient } from '../server/src/testing/http-client.ts';
import { startServerProcess } from '../server/src/testing/server-process.ts';
import { runWrk } from './_wrk.ts';

/**
 * Password logins per second through the real HTTP API of a real server process, at the default
 * Argon2id parameters (m=19 MiB, t=2, p=1), against raw Argon2id verifications per second with the same
 * parameters and concurrency in one process. The login path should reach ≥ 85% of the raw rate: all
 * but the hash (HTTP, sessions, audit, login history) should cost < 15%. Keycloak sizes 15 password
 * logins/s per vCPU for comparison. Raw and API phases alternate for several rounds (medians reported),
 * so a machine that speeds up or slows down during the run affects both alike.
 *
 * The raw rate is taken the way the server hashes: on a thread pool of one thread per core, through the
 * same queue (platform/secret-hash.ts). The API load comes from wrk, a load generator written in C, so
 * that sending the requests costs the shared cores little; its share of the CPU is reported.
 *
 * The ceiling: the same load against two bare servers that only verify the password and answer
 * (bench/_login-ceiling-server.ts: Fastify without plugins, and Node's `http` without a framework). What
 * they lose against raw hashing is the price of answering HTTP at all beside the hashes on this machine,
 * so the login path's own share is the distance between them and Jinku.
 */
/** Each concurrency is measured on its own, raw and API alike (raw hashing hardly changes with it). */
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '8,32').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const cores = availableParallelism();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const params: HashParams = {
  argon2MemoryKib: 19 * 1024,
  argon2TimeCost: 2,
  argon2Parallelism: 1,
  argon2Concurrency: 2 * cores,
};

/** Runs `step` in `concurrency` loops for SECONDS; returns completions per second. */
async function measure(concurrency: number, step: () => Promise<boolean>) {
  let count = 0;
  const started = performance.now();
  const endAt = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < endAt) if (await step()) count++;
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const encoded = await hashSecret(params, 'Jinku2026');
const workDir = mkdtempSync(join(tmpdir(), 'jinku-bench-login-'));
// The demo bank at the default (OWASP) Argon2 parameters; the log goes to a file, as in production.
const server = await startServerProcess(
  `sqlite:${join(workDir, 'jinku.db')}`,
  {
    JINKU_DEMO: 'true',
    JINKU_ARGON2_MEMORY_KIB: '19456',
    JINKU_ARGON2_TIME_COST: '2',
    LOG_LEVEL: 'info',
    JINKU_RATE_LIMIT_PER_MINUTE: '1000000',
    // Wrong-password samples for the timing comparison must not lock the demo customer.
    JINKU_LOGIN_MAX_FAILURES: '100',
    // Timing samples come from distinct addresses (X-Forwarded-For), so the many-failures-from-one-address
    // slow-down does not dominate them.
    JINKU_TRUST_PROXY: 'true',
    ...(process.env.BENCH_PROFILE_DIR
      ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` }
      : {}),
  },
  { logFile: join(workDir, 'server.log') },
);
const ceiling = spawn(process.execPath, [join(import.meta.dirname, '_login-ceiling-server.ts')], {
  env: { ...process.env, CEILING_ARGON2_CONCURRENCY: String(params.argon2Concurrency) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const ceilingPorts = await new Promise<{ fastify: string; node: string }>((resolve, reject) => {
    ceiling.stdout.on('data', (chunk) => {
      const match = /listening fastify=(\d+) node=(\d+)/.exec(String(chunk));
      if (match) resolve({ fastify: match[1]!, node: match[2]! });
    });
    ceiling.on('exit', (code) => reject(new Error(`ceiling server exited with ${code}`)));
  });
  // Each demo customer signs in once on a new device (SMS step-up); later sign-ins from that device
  // and network need only the password, which is the path measured.
  const identities = ['13800000001', '13800000002'];
  const devices: string[] = [];
  for (const mobile of identities) {
    const client = new HttpClient(server.baseUrl);
    const first = await client.json('POST', '/api/v1/auth/login', {
      identifier: mobile,
      password: 'Jinku2026',
      channel: 'web',
    });
    if (first.body.state === 'challenge') {
      const code = await devCode(server.baseUrl, mobile);
      await client.json('POST', `/api/v1/auth/login/${first.body.attemptId}/verify`, { method: 'sms', response: code });
    }
    devices.push(client.cookies.get('jinku_device') ?? '');
  }
  // The device cookie makes the login a known device's; the CSRF cookie and header pass the CSRF check.
  const csrfClient = new HttpClient(server.baseUrl);
  const csrfToken = (await csrfClient.json('GET', '/api/v1/session')).body.csrfToken as string;
  const csrfCookie = csrfClient.cookies.get('jinku_csrf') ?? '';
  const requests = identities.map((mobile, i) => ({
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { cookie: `jinku_csrf=${csrfCookie}; jinku_device=${devices[i]}`, 'x-csrf-token': csrfToken },
    body: { identifier: mobile, password: 'Jinku2026', channel: 'web' },
  }));
  const table: Array<{ measure: string; value: string; rounds: string }> = [];
  for (const concurrency of CONCURRENCIES) {
    const raw: number[] = [];
    const api: number[] = [];
    const bareFastify: number[] = [];
    const bareNode: number[] = [];
    const loadShare: number[] = [];
    const p99: number[] = [];
    let refused = 0;
    const measureRaw = async () =>
      raw.push(await measure(concurrency, () => verifySecret(params, encoded, 'Jinku2026')));
    const measureApi = async () => {
      const run = await runWrk({
        baseUrl: server.baseUrl,
        requests,
        connections: concurrency,
        seconds: SECONDS,
        expect: '"state":"authenticated"',
      });
      api.push(run.perSecond);
      loadShare.push(run.loadShare);
      p99.push(run.p99Ms);
      refused += run.requests - run.good;
    };
    const measureCeiling = (port: string, into: number[]) => async () => {
      const run = await runWrk({
        baseUrl: `http://127.0.0.1:${port}`,
        requests: [{ method: 'POST', path: '/login', headers: {}, body: requests[0]?.body }],
        connections: concurrency,
        seconds: SECONDS,
        expect: '"state":"authenticated"',
      });
      into.push(run.perSecond);
    };
    // Each round starts at another phase, so a drift in the machine's speed favours none of them; each
    // round's ratios pair phases run within a minute of each other.
    const phases = [
      measureRaw,
      measureApi,
      measureCeiling(ceilingPorts.fastify, bareFastify),
      measureCeiling(ceilingPorts.node, bareNode),
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < phases.length; i++) await phases[(round + i) % phases.length]?.();
    }
    const share = (xs: number[]) => raw.map((r, i) => (xs[i] ?? 0) / r);
    const ratios = share(api);
    const percent = (xs: number[]) => `${(median(xs) * 100).toFixed(1)}%`;
    const roundPercents = (xs: number[]) => xs.map((x) => `${(x * 100).toFixed(0)}%`).join(' ');
    const apiRate = median(api);
    table.push(
      {
        measure: `concurrency ${concurrency}: raw Argon2id verifications/s (median)`,
        value: median(raw).toFixed(1),
        rounds: raw.map((x) => x.toFixed(1)).join(' '),
      },
      {
        measure: `concurrency ${concurrency}: password logins/s through the API (median)`,
        value: apiRate.toFixed(1),
        rounds: api.map((x) => x.toFixed(1)).join(' '),
      },
      {
        measure: `concurrency ${concurrency}: login path / raw hashing (median of the rounds)`,
        value: `${(median(ratios) * 100).toFixed(1)}% (goal ≥ 85%)`,
        rounds: roundPercents(ratios),
      },
      {
        measure: `concurrency ${concurrency}: ceiling, bare Fastify + hash / raw hashing`,
        value: percent(share(bareFastify)),
        rounds: roundPercents(share(bareFastify)),
      },
      {
        measure: `concurrency ${concurrency}: ceiling, bare node:http + hash / raw hashing`,
        value: percent(share(bareNode)),
        rounds: roundPercents(share(bareNode)),
      },
      {
        measure: `concurrency ${concurrency}: logins/s per core`,
        value: (apiRate / cores).toFixed(1),
        rounds: 'Keycloak sizing: 15 per vCPU',
      },
      {
        measure: `concurrency ${concurrency}: load generator’s share of the CPU`,
        value: `${(median(loadShare) * 100).toFixed(1)}%`,
        rounds: '',
      },
      { measure: `concurrency ${concurrency}: p99 login latency`, value: `${median(p99).toFixed(1)} ms`, rounds: '' },
      {
        measure: `concurrency ${concurrency}: logins not answered "authenticated"`,
        value: String(refused),
        rounds: '',
      },
    );
  }
  const timing = await enumerationTiming(server.baseUrl);
  console.log(
    `Login benchmark — ${cores} cores, concurrency ${CONCURRENCIES.join(' and ')}, ${ROUNDS} rounds of ${SECONDS} s each phase, Argon2id m=19456 KiB t=2 p=1 thread pool of ${process.env.UV_THREADPOOL_SIZE}, SQLite`,
  );
  console.table([
    ...table,
    { measure: 'median answer: unknown identifier', value: `${timing.unknownMs.toFixed(1)} ms`, rounds: '' },
    { measure: 'median answer: wrong password', value: `${timing.wrongMs.toFixed(1)} ms`, rounds: '' },
  ]);
} finally {
  ceiling.kill('SIGTERM');
  await server.kill('SIGTERM');
}

/**
 * Median answer time for an unknown identifier and for a known one with a wrong password, measured one
 * request at a time and interleaved: they should differ by no more than noise (no enumeration by timing).
 */
async function enumerationTiming(baseUrl: string) {
  const samples = { unknown: [] as number[], wrong: [] as number[] };
  for (let i = 0; i < 30; i++) {
    for (const kind of ['unknown', 'wrong'] as const) {
      const client = new HttpClient(baseUrl);
      const captcha = (await client.json('GET', '/api/v1/auth/captcha')).body;
      const answer = (await client.json('GET', `/api/v1/dev/captcha/${captcha.captchaId}`)).body.answer;
      const identifier = kind === 'unknown' ? `1391${String(100000 + i).padStart(7, '0')}` : '13800000002';
      const started = performance.now();
      const result = await client.json(
        'POST',
        '/api/v1/auth/login',
        { identifier, password: 'Wrong2026x', channel: 'web', captchaId: captcha.captchaId, captchaAnswer: answer },
        { 'x-forwarded-for': `10.9.${i}.${kind === 'unknown' ? 1 : 2}` },
      );
      if (result.body.code !== 'auth.invalid_credentials')
        throw new Error(`unexpected answer ${JSON.stringify(result.body)}`);
      samples[kind].push(performance.now() - started);
    }
  }
  return { unknownMs: median(samples.unknown), wrongMs: median(samples.wrong) };
}
