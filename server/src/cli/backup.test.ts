import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Database } from '../database.ts';
import { balancesOf } from '../ledger/index.ts';
import { systemClock } from '../platform/clock.ts';
import { openDatabase } from '../platform/db/database.ts';
import { testConfig } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { createTestDatabaseUrl, DIALECTS, openTestDatabase } from '../testing/database.ts';

const cli = join(import.meta.dirname, 'backup.ts');

function run(args: string[], databaseUrl: string) {
  return spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', cli, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
}

for (const dialect of DIALECTS) {
  test(`a backup restores into a new database that passes ledger:check and audit:verify, and a tampered one fails [${dialect}]`, async () => {
    const source = await openTestDatabase(dialect);
    const dir = mkdtempSync(join(tmpdir(), 'jinku-backup-'));
    const targets: Array<{ url: string; drop(): Promise<void> }> = [];
    const target = async () => {
      const made = await createTestDatabaseUrl(dialect);
      targets.push(made);
      return dialect === 'sqlite' ? `sqlite:${join(dir, `restored-${targets.length}.db`)}` : made.url;
    };
    try {
      const customer = await createTestCustomer(
        source.handle.kysely,
        { config: testConfig(), clock: systemClock() },
        { balancesFen: [123_456, 7_890] },
      );
      const file = join(dir, 'jinku.backup');
      const made = run([file], source.url);
      assert.equal(made.status, 0, made.stderr);

      const restoredUrl = await target();
      const restored = run(['restore', file, '--to', restoredUrl], source.url);
      assert.equal(restored.status, 0, restored.stdout + restored.stderr);
      assert.match(restored.stdout, /ledger consistent, audit log intact/);
      const copy = openDatabase<Database>(restoredUrl, { poolSize: 1 });
      try {
        const balances = await balancesOf(
          copy.kysely,
          customer.accounts.map((a) => a.id),
        );
        assert.deepEqual(
          customer.accounts.map((a) => Number(balances.get(a.id)?.postedFen)),
          [123_456, 7_890],
        );
      } finally {
        await copy.close();
      }

      // A balance changed behind the journal's back: the restore says so and fails.
      await source.handle.kysely
        .updateTable('ledger_account')
        .set({ posted_fen: 999_999 })
        .where('id', '=', customer.accounts[0]!.id)
        .execute();
      const tamperedFile = join(dir, 'tampered.backup');
      assert.equal(run([tamperedFile], source.url).status, 0);
      const refused = run(['restore', tamperedFile, '--to', await target()], source.url);
      assert.equal(refused.status, 1, refused.stdout);
      assert.match(refused.stdout, /restore FAILED its checks/);
    } finally {
      await source.drop();
      for (const t of targets) await t.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
