import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

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
      () => loadConfig({ JINKU_ENV: 'production', JINKU_SECRET: 'ab'.repeat(32), DATABASE_URL: 'postgres://db/jinku' }),
      /sslmode=verify-full/,
    );
    const config = loadConfig({
      JINKU_ENV: 'production',
      JINKU_SECRET: 'ab'.repeat(32),
      DATABASE_URL: 'postgres://db/jinku?sslmode=verify-full',
    });
    assert.equal(config.demo, false);
  });

  test('production refuses the demo bank', () => {
    assert.throws(
      () =>
        loadConfig({
          JINKU_ENV: 'production',
          JINKU_SECRET: 'ab'.repeat(32),
          DATABASE_URL: 'postgres://db/jinku?sslmode=require',
          JINKU_DEMO: 'true',
        }),
      /JINKU_DEMO cannot be true/,
    );
  });
});
