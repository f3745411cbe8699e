import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, looksLowEntropy } from './config.ts';

/** A secret as `openssl rand -hex 32` makes one. */
const RANDOM_SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** Production's WebAuthn relying party, required there. */
const WEBAUTHN = { JINKU_WEBAUTHN_RP_ID: 'ebank.example.com', JINKU_PUBLIC_ORIGIN: 'https://ebank.example.com' };

describe('configuration', () => {
  test('has working defaults outside production', () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:' });
    assert.equal(config.env, 'development');
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.demo, true);
    assert.equal(config.secret.length, 32);
    assert.equal(config.loginMaxFailures, 5);
  });

  test('names every bad value at once', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc', JINKU_DEMO: 'maybe', JINKU_ENV: 'staging', DATABASE_URL: 'mysql://x' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 4);
        assert.match(error.message, /PORT must be a whole number/);
        assert.match(error.message, /JINKU_DEMO must be true or false/);
        assert.match(error.message, /JINKU_ENV must be one of/);
        assert.match(error.message, /DATABASE_URL must start with/);
        return true;
      },
    );
  });

  test('production refuses to start without a secret, PostgreSQL and TLS to it', () => {
    assert.throws(
      () => loadConfig({ JINKU_ENV: 'production' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.ok(error.problems.some((p) => p.includes('JINKU_SECRET is required')));
        assert.ok(error.problems.some((p) => p.includes('needs a PostgreSQL DATABASE_URL')));
        return true;
      },
    );
    assert.throws(
      () => loadConfig({ JINKU_ENV: 'production', JINKU_SECRET: RANDOM_SECRET, DATABASE_URL: 'postgres://db/jinku' }),
      /sslmode=verify-full/,
    );
    const config = loadConfig({
      JINKU_ENV: 'production',
      JINKU_SECRET: RANDOM_SECRET,
      DATABASE_URL: 'postgres://db/jinku?sslmode=verify-full',
      ...WEBAUTHN,
    });
    assert.equal(config.demo, false);
  });

  test('production refuses the demo bank', () => {
    assert.throws(
      () =>
        loadConfig({
          JINKU_ENV: 'production',
          JINKU_SECRET: RANDOM_SECRET,
          DATABASE_URL: 'postgres://db/jinku?sslmode=require',
          JINKU_DEMO: 'true',
        }),
      /JINKU_DEMO cannot be true/,
    );
  });
});

test('tier limits come from configuration, one tier overridable, a bad value named', () => {
  const base = loadConfig({ JINKU_ENV: 'test', DATABASE_URL: 'sqlite::memory:' });
  assert.deepEqual(base.tierLimits.static, { perPaymentFen: 30_000, dailyFen: 30_000, lifetimeFen: 30_000 });
  const changed = loadConfig({
    JINKU_ENV: 'test',
    DATABASE_URL: 'sqlite::memory:',
    JINKU_LIMITS_SMS: '2000.00/8000.00',
  });
  assert.deepEqual(changed.tierLimits.sms, { perPaymentFen: 200_000, dailyFen: 800_000, lifetimeFen: null });
  assert.deepEqual(changed.tierLimits.u_shield, base.tierLimits.u_shield);
  assert.throws(
    () => loadConfig({ JINKU_ENV: 'test', DATABASE_URL: 'sqlite::memory:', JINKU_LIMITS_SMS: '9000.00/8000.00' }),
    (error: ConfigError) => error.problems.some((p) => p.startsWith('JINKU_LIMITS_SMS')),
  );

  test('production refuses a typed secret: one byte repeated, a short pattern, few distinct bytes', () => {
    const production = { JINKU_ENV: 'production', DATABASE_URL: 'postgres://db/jinku?sslmode=require', ...WEBAUTHN };
    for (const typed of [
      '11'.repeat(32),
      'ab'.repeat(32),
      'deadbeef'.repeat(8),
      '0123456789abcdef'.repeat(4),
      Buffer.from('password'.repeat(4)).toString('base64'),
      Buffer.from('aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb').toString('hex'),
    ]) {
      assert.throws(() => loadConfig({ ...production, JINKU_SECRET: typed }), /JINKU_SECRET looks typed/, typed);
      assert.equal(looksLowEntropy(Buffer.from(typed, /^[0-9a-f]{64}$/.test(typed) ? 'hex' : 'base64')), true, typed);
    }
    assert.equal(loadConfig({ ...production, JINKU_SECRET: RANDOM_SECRET }).secret.toString('hex'), RANDOM_SECRET);
    // Outside production the test suites' fixed secret stays allowed.
    assert.equal(loadConfig({ JINKU_ENV: 'test', JINKU_SECRET: '11'.repeat(32) }).env, 'test');
  });

  test('no random 32-byte secret is taken for a typed one', () => {
    for (let i = 0; i < 2000; i++) assert.equal(looksLowEntropy(randomBytes(32)), false);
  });

  test('reads the metrics token and the docs switch, and refuses a short token', () => {
    const production = {
      JINKU_ENV: 'production',
      DATABASE_URL: 'postgres://db/jinku?sslmode=require',
      JINKU_SECRET: RANDOM_SECRET,
      ...WEBAUTHN,
    };
    const closed = loadConfig(production);
    assert.equal(closed.metricsToken, null);
    assert.equal(closed.publicDocs, false);
    const open = loadConfig({ ...production, JINKU_METRICS_TOKEN: 'c'.repeat(32), JINKU_PUBLIC_DOCS: 'true' });
    assert.equal(open.metricsToken, 'c'.repeat(32));
    assert.equal(open.publicDocs, true);
    assert.throws(() => loadConfig({ ...production, JINKU_METRICS_TOKEN: 'short' }), /JINKU_METRICS_TOKEN must be/);
    assert.equal(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).publicDocs, true);
  });

  test('WebAuthn relying party: localhost outside production, required in production, never an IP address', () => {
    const local = loadConfig({ DATABASE_URL: 'sqlite::memory:', PORT: '4321' });
    assert.equal(local.webauthnRpId, 'localhost');
    assert.equal(local.publicOrigin, 'http://localhost:4321');
    const base = {
      JINKU_ENV: 'production',
      DATABASE_URL: 'postgres://db/jinku?sslmode=require',
      JINKU_SECRET: RANDOM_SECRET,
    };
    assert.throws(() => loadConfig(base), /JINKU_WEBAUTHN_RP_ID is required[\s\S]*JINKU_PUBLIC_ORIGIN is required/);
    const bank = loadConfig({ ...base, ...WEBAUTHN });
    assert.equal(bank.webauthnRpId, 'ebank.example.com');
    assert.equal(bank.publicOrigin, 'https://ebank.example.com');
    assert.throws(() => loadConfig({ ...base, ...WEBAUTHN, JINKU_WEBAUTHN_RP_ID: '10.0.0.8' }), /IP address/);
    assert.throws(
      () => loadConfig({ ...base, ...WEBAUTHN, JINKU_PUBLIC_ORIGIN: 'https://evil.example.org' }),
      /must be on the host/,
    );
    assert.throws(() => loadConfig({ ...base, ...WEBAUTHN, JINKU_PUBLIC_ORIGIN: 'http://ebank.example.com' }), /https/);
    assert.throws(
      () => loadConfig({ ...base, ...WEBAUTHN, JINKU_PUBLIC_ORIGIN: 'https://ebank.example.com/x' }),
      /origin/,
    );
  });
});
