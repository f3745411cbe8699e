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

async function apiLogins(): Promise<{ perSecond: number; failures: number }> {
  const server = await startServer({ JINKU_RATE_LIMIT_PER_MINUTE: '1000000' });
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
    return { perSecond: count / ((performance.now() - started) / 1000), failures };
  } finally {
    await server.stop();
  }
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
]);
