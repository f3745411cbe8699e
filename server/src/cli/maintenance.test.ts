import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { DIALECTS } from '../testing/database.ts';

const ROOT = join(import.meta.dirname, '../../..');

for (const dialect of DIALECTS) {
  describe(`npm run maintenance [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/cli/maintenance.ts'), ...args],
        {
          env: { ...process.env, DATABASE_URL: t.db.url, JINKU_ENV: 'test', JINKU_SECRET: '22'.repeat(32) },
          encoding: 'utf8',
        },
      );

    test('turns maintenance on for every instance on the database, and off again', async () => {
      const until = new Date(Date.now() + 3600_000).toISOString();
      const on = run(
        'on',
        '--until',
        until,
        '--message-zh',
        '系统升级，预计一小时',
        '--message-en',
        'Upgrade, about an hour',
      );
      assert.equal(on.status, 0, on.stderr);
      t.clock.advance(3000);
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { identifier: 'x', password: 'y' },
      });
      assert.equal(refused.statusCode, 503);
      assert.match(json(refused).detail, /系统升级/);
      assert.match(run('status').stdout, /maintenance ON/);
      assert.equal(run('off').status, 0);
      t.clock.advance(3000);
      const open = await t.app.inject({ method: 'GET', url: '/api/v1/auth/captcha' });
      assert.equal(open.statusCode, 200);
      assert.equal(run('on').status, 2, 'messages are required');
    });
  });
}
