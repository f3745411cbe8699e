import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eTokenAnswer, issueEToken } from '../media/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { writeSetting } from '../platform/settings-store.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';

const ROOT = join(import.meta.dirname, '../../..');
const CHALLENGE = '12345678';

const run = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/cli/e-token.ts'), ...args],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );

for (const dialect of DIALECTS) {
  describe(`npm run e-token [${dialect}]`, () => {
    let t: TestApp;
    let serial: string;
    before(async () => {
      t = await createTestApp(dialect);
      const deps = { config: t.ctx.config, clock: t.clock };
      const customer = await createTestCustomer(t.db.handle.kysely, deps);
      serial = (await withTransaction(t.db.handle.kysely, (trx) => issueEToken(trx, deps, customer.id))).serial;
    });
    after(() => t.close());
    // The simulator reads the same database under the same secret as the server.
    const env = () => ({
      DATABASE_URL: t.db.url,
      JINKU_ENV: 'test',
      JINKU_SECRET: t.ctx.config.secret.toString('hex'),
    });
    const expected = () =>
      eTokenAnswer(t.db.handle.kysely, { config: t.ctx.config, clock: t.clock }, serial, CHALLENGE);
    // A minute boundary may fall between the server's reckoning and the simulator's: either step is the device's.
    const answerNow = async () => {
      const before = await expected();
      const result = run(env(), serial, CHALLENGE);
      return { result, candidates: [before, await expected()] };
    };

    test('prints the 6 digits the device shows, as the server computes them', async () => {
      const { result, candidates } = await answerNow();
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^\d{6}\n$/);
      assert.ok(candidates.includes(result.stdout.trim()), `${result.stdout} not in ${candidates.join(',')}`);
    });

    test('keeps time with the dev clock when a test moved it forward', async () => {
      const offsetMs = t.clock.offsetMs() + 3 * 3_600_000;
      await writeSetting(t.db.handle.kysely, 'dev.clock_offset_ms', String(offsetMs), t.clock.nowMs());
      t.clock.setOffset(offsetMs);
      const { result, candidates } = await answerNow();
      assert.equal(result.status, 0, result.stderr);
      assert.ok(candidates.includes(result.stdout.trim()), `${result.stdout} not in ${candidates.join(',')}`);
    });

    test('an unknown serial or a malformed challenge is a one-line error', () => {
      const unknown = run(env(), 'ET99999999', CHALLENGE);
      assert.equal(unknown.status, 1);
      assert.equal(unknown.stdout, '');
      assert.equal(unknown.stderr, 'no e-password device with serial ET99999999\n');
      for (const args of [[serial, '1234567'], [serial, '12345678x'], [serial], ['et1', CHALLENGE]]) {
        const refused = run(env(), ...args);
        assert.equal(refused.status, 2, args.join(' '));
        assert.equal(refused.stdout, '');
      }
    });
  });
}

describe('npm run e-token in production', () => {
  test('refuses before opening the database', () => {
    const result = run(
      {
        JINKU_ENV: 'production',
        JINKU_DEMO: 'false',
        // Nothing listens here: the refusal must come before any connection.
        DATABASE_URL: 'postgres://jinku@127.0.0.1:1/jinku?sslmode=require',
        JINKU_SECRET: randomBytes(32).toString('hex'),
        JINKU_WEBAUTHN_RP_ID: 'ebank.example.com',
        JINKU_PUBLIC_ORIGIN: 'https://ebank.example.com',
      },
      'ET20260001',
      CHALLENGE,
    );
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /refused in production/);
  });
});
