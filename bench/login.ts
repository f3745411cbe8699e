import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { startServer } from '../e2e/harness.ts';
import { BenchClient, devCode } from './_http.ts';

/**
 * Password logins per second through the real HTTP API of a real server process, at the default
 * Argon2id parameters (m=19 MiB, t=2, p=1), against raw Argon2id verifications per second with the same
 * parameters and concurrency in one process. The login path should reach ≥ 85% of the raw rate: all
 * but the hash (HTTP, sessions, audit, login history) should cost < 15%. Keycloak sizes 15 password
 * logins/s per vCPU for comparison.
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const cores = availableParallelism();

async function rawVerifications(): Promise<number> {
  const encoded = await hash('Jinku2026', { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 });
  let count = 0;
  const endAt = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < endAt) {
        if (!(await verify(encoded, 'Jinku2026'))) throw new Error('verify failed');
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function apiLogins() {
  // Wrong-password samples for the timing comparison must not lock the demo customer.
  const server = await startServer({
    JINKU_RATE_LIMIT_PER_MINUTE: '1000000',
    JINKU_LOGIN_MAX_FAILURES: '100',
    // Timing samples come from distinct addresses (X-Forwarded-For), so the many-failures-from-one-address
    // slow-down does not dominate them.
    JINKU_TRUST_PROXY: 'true',
  });
  try {
    // Each demo customer signs in once on a new device (SMS step-up); later sign-ins from that device
    // and network need only the password, which is the path measured.
    const identities = [
      { identifier: '13800000001', mobile: '13800000001' },
      { identifier: '13800000002', mobile: '13800000002' },
    ];
    const devices: string[] = [];
    for (const who of identities) {
      const client = new BenchClient(server.baseUrl);
      const first = await client.json('POST', '/api/v1/auth/login', {
        identifier: who.identifier,
        password: 'Jinku2026',
        channel: 'web',
      });
      if (first.body.state === 'challenge') {
        const code = await devCode(server.baseUrl, who.mobile);
        await client.json('POST', `/api/v1/auth/login/${first.body.attemptId}/verify`, {
          method: 'sms',
          response: code,
        });
      }
      devices.push(client.cookies.get('jinku_device') ?? '');
    }
    let count = 0;
    let failures = 0;
    const endAt = performance.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        const who = identities[worker % identities.length]!;
        const client = new BenchClient(server.baseUrl);
        client.cookies.set('jinku_device', devices[worker % identities.length]!);
        while (performance.now() < endAt) {
          const result = await client.json('POST', '/api/v1/auth/login', {
            identifier: who.identifier,
            password: 'Jinku2026',
            channel: 'web',
          });
          if (result.body?.state === 'authenticated') count++;
          else failures++;
        }
      }),
    );
    const perSecond = count / ((performance.now() - started) / 1000);
    return { perSecond, failures, timing: await enumerationTiming(server.baseUrl) };
  } finally {
    await server.stop();
  }
}

/**
 * Median answer time for an unknown identifier and for a known one with a wrong password, measured one
 * request at a time and interleaved: they should differ by no more than noise (no enumeration by timing).
 */
async function enumerationTiming(baseUrl: string) {
  const samples = { unknown: [] as number[], wrong: [] as number[] };
  for (let i = 0; i < 30; i++) {
    for (const kind of ['unknown', 'wrong'] as const) {
      const client = new BenchClient(baseUrl);
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
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return { unknownMs: median(samples.unknown), wrongMs: median(samples.wrong) };
}

const raw = await rawVerifications();
const api = await apiLogins();
const ratio = api.perSecond / raw;
console.log(
  `Login benchmark — ${cores} cores, concurrency ${CONCURRENCY}, ${SECONDS} s each, Argon2id m=19456 KiB t=2 p=1`,
);
console.table([
  { measure: 'raw Argon2id verifications/s', value: raw.toFixed(1) },
  { measure: 'password logins/s (HTTP API, SQLite)', value: api.perSecond.toFixed(1) },
  { measure: 'logins/s per core', value: (api.perSecond / cores).toFixed(1) },
  { measure: 'Keycloak sizing: logins/s per vCPU', value: '15' },
  { measure: 'login path / raw hashing', value: `${(ratio * 100).toFixed(1)}% (goal ≥ 85%)` },
  { measure: 'failed logins during the run', value: String(api.failures) },
  { measure: 'median answer: unknown identifier', value: `${api.timing.unknownMs.toFixed(1)} ms` },
  { measure: 'median answer: wrong password', value: `${api.timing.wrongMs.toFixed(1)} ms` },
]);
