import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { staffTotpCode } from '../counter/totp.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';

const ROOT = join(import.meta.dirname, '../../..');

for (const dialect of DIALECTS) {
  describe(`npm run staff [${dialect}]`, () => {
    let t: TestApp;
    let dir: string;
    before(async () => {
      t = await createTestApp(dialect);
      dir = mkdtempSync(join(tmpdir(), 'jinku-staff-'));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t.close();
    });
    // The test app's secret, so the app opens the TOTP secret the tool sealed.
    const run = (args: string[], input?: string) =>
      spawnSync(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/cli/staff.ts'), ...args],
        {
          env: {
            ...process.env,
            DATABASE_URL: t.db.url,
            JINKU_ENV: 'test',
            JINKU_SECRET: '11'.repeat(32),
            JINKU_ARGON2_MEMORY_KIB: '1024',
            JINKU_ARGON2_TIME_COST: '1',
          },
          encoding: 'utf8',
          input: input ?? '',
        },
      );
    const signIn = (client: TestClient, username: string, password: string, secret: string) =>
      client.post('/api/v1/counter/login', { username, password, totp: staffTotpCode(secret, t.clock.nowMs()) });
    const auditKinds = async () =>
      (await t.db.handle.kysely.selectFrom('audit_log').select('kind').where('actor_id', '=', 'cli').execute()).map(
        (r) => r.kind,
      );

    test('adds a staff member who signs in with the printed TOTP secret; lists, unlocks, resets TOTP, disables', async () => {
      const username = `clerk${dialect}`;
      const added = run(
        ['add', '--username', username, '--name', '柜员 王敏', '--role', 'teller', '--branch', '0002'],
        'Clerk2026!x\n',
      );
      assert.equal(added.status, 0, added.stderr);
      const secret = /TOTP secret \(shown once\): ([A-Z2-7]+)/.exec(added.stdout)?.[1] ?? '';
      assert.equal(secret.length, 32, '160 bits in base32');
      assert.match(added.stdout, new RegExp(`otpauth://totp/.*${username}.*secret=${secret}`));
      const client = new TestClient(t.app, { sessionPath: '/api/v1/counter/session' });
      const first = await signIn(client, username, 'Clerk2026!x', secret);
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(
        [json(first).staff.role, json(first).staff.branch, json(first).staff.name],
        ['teller', '0002', '柜员 王敏'],
      );
      const stored = await t.db.handle.kysely
        .selectFrom('staff')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      assert.match(stored.password_hash, /^\$argon2id\$/);
      assert.ok(!stored.totp_sealed.includes(secret), 'the secret is stored sealed');

      // Locked by wrong passwords, then unlocked by the tool.
      for (let i = 0; i < 5; i++) await client.post('/api/v1/counter/login', { username, password: 'no', totp: '1' });
      assert.match(run(['list']).stdout, new RegExp(`${username}\\tteller\\t0002\\tlocked\\t柜员 王敏`));
      assert.equal(run(['unlock', '--username', username]).status, 0);
      assert.match(run(['list']).stdout, new RegExp(`${username}\\tteller\\t0002\\tactive`));

      // A new TOTP secret: the old one no longer works, the new one does; live sessions end.
      t.clock.advance(30_000);
      const reset = run(['reset-totp', '--username', username]);
      assert.equal(reset.status, 0, reset.stderr);
      const newSecret = /TOTP secret \(shown once\): ([A-Z2-7]+)/.exec(reset.stdout)?.[1] ?? '';
      assert.notEqual(newSecret, secret);
      assert.equal(json(await client.get('/api/v1/counter/session')).authenticated, false);
      assert.equal(json(await signIn(client, username, 'Clerk2026!x', secret)).code, 'counter.invalid_credentials');
      t.clock.advance(30_000);
      assert.equal((await signIn(client, username, 'Clerk2026!x', newSecret)).statusCode, 200);

      // Disabled: the session ends and sign-in answers as for an unknown username.
      assert.equal(run(['disable', '--username', username]).status, 0);
      assert.equal(json(await client.get('/api/v1/counter/session')).authenticated, false);
      t.clock.advance(30_000);
      assert.equal(json(await signIn(client, username, 'Clerk2026!x', newSecret)).code, 'counter.invalid_credentials');
      assert.match(run(['list']).stdout, new RegExp(`${username}\\tteller\\t0002\\tdisabled`));
      const kinds = await auditKinds();
      for (const kind of [
        'counter.staff_added',
        'counter.staff_unlocked',
        'counter.staff_totp_reset',
        'counter.staff_disabled',
      ])
        assert.ok(kinds.includes(kind), kind);
    });

    test('reads the password from a file; refuses a taken username, a weak password, a bad role or branch', () => {
      const file = join(dir, 'pw.txt');
      writeFileSync(file, 'Super2026!y\nignored\n');
      const base = ['add', '--name', '主管 周', '--role', 'supervisor', '--branch', '0001'];
      const added = run([...base, '--username', `boss${dialect}`, '--password-file', file]);
      assert.equal(added.status, 0, added.stderr);
      const taken = run([...base, '--username', `boss${dialect}`, '--password-file', file]);
      assert.equal(taken.status, 1);
      assert.match(taken.stderr, /taken/);
      assert.equal(run([...base, '--username', 'weakling'], '123\n').status, 1);
      assert.equal(
        run(['add', '--username', 'x1y2z3', '--name', 'n', '--role', 'boss', '--branch', '0001'], 'Strong2026!z\n')
          .status,
        1,
      );
      assert.equal(
        run(['add', '--username', 'x1y2z3', '--name', 'n', '--role', 'teller', '--branch', '1'], 'Strong2026!z\n')
          .status,
        1,
      );
      assert.equal(run(['unlock', '--username', 'nobody']).status, 1);
      assert.equal(run(['unlock']).status, 2);
      assert.equal(run(['remove']).status, 2);
    });
  });
}
