import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { recentEventsAbout } from '../audit/index.ts';
import { merchantByAppId } from '../merchants/index.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';

const ROOT = join(import.meta.dirname, '../../..');

for (const dialect of DIALECTS) {
  describe(`npm run merchant [${dialect}]`, () => {
    let t: TestApp;
    let dir: string;
    before(async () => {
      t = await createTestApp(dialect);
      dir = mkdtempSync(join(tmpdir(), 'jinku-merchant-'));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t.close();
    });
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/cli/merchant.ts'), ...args],
        {
          env: { ...process.env, DATABASE_URL: t.db.url, JINKU_ENV: 'test', JINKU_SECRET: '22'.repeat(32) },
          encoding: 'utf8',
        },
      );

    test('adds a merchant, prints its app_id, lists it; refuses a bad key or account', async () => {
      const owner = await createTestCustomer(t.db.handle.kysely, { config: t.ctx.config, clock: t.clock });
      const account = owner.accounts[0]?.account_number ?? '';
      const keyFile = join(dir, 'shop.pem');
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
      const added = run('add', '--name', '示例商城', '--settlement-account', account, '--public-key', keyFile);
      assert.equal(added.status, 0, added.stderr);
      const appId = added.stdout.trim();
      assert.match(appId, /^\d{16}$/);
      const merchant = await merchantByAppId(t.db.handle.kysely, appId);
      assert.equal(merchant?.name, '示例商城');
      assert.equal(merchant?.settlement_account_id, owner.accounts[0]?.id);
      const events = await recentEventsAbout(t.db.handle.kysely, appId, 5);
      assert.ok(events.some((e) => e.kind === 'merchant.registered'));
      const listed = run('list');
      assert.equal(listed.status, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`${appId}\\tactive\\tRSA2\\t${account}\\t示例商城`));

      const badKey = join(dir, 'bad.pem');
      writeFileSync(badKey, 'not a key');
      const refused = run('add', '--name', 'x', '--settlement-account', account, '--public-key', badKey);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /public key/);
      assert.equal(run('add', '--name', 'x', '--settlement-account', '0', '--public-key', keyFile).status, 1);
      assert.equal(run('add', '--name', 'x').status, 2);
      assert.equal(run('remove').status, 2);
    });

    test('rotate-bank-key makes a new current bank key and audits it', async () => {
      const rotated = run('rotate-bank-key');
      assert.equal(rotated.status, 0, rotated.stderr);
      const version = /bank key version (\d+) is now current/.exec(rotated.stdout)?.[1];
      assert.ok(version, rotated.stdout);
      const again = run('rotate-bank-key');
      assert.match(again.stdout, new RegExp(`bank key version ${Number(version) + 1} is now current`));
      const events = await recentEventsAbout(t.db.handle.kysely, String(Number(version) + 1), 5);
      assert.ok(events.some((e) => e.kind === 'gateway.bank_key_rotated'));
    });
  });
}
