import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemClock } from '../platform/clock.ts';
import { testConfig } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { DIALECTS, openTestDatabase } from '../testing/database.ts';

const cli = join(import.meta.dirname, 'ledger-check.ts');

for (const dialect of DIALECTS) {
  test(`npm run ledger:check exits 1 when a balance no longer matches its postings [${dialect}]`, async () => {
    const db = await openTestDatabase(dialect);
    try {
      const customer = await createTestCustomer(
        db.handle.kysely,
        { config: testConfig(), clock: systemClock() },
        { balancesFen: [50_000] },
      );
      const run = () =>
        spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', cli], {
          env: { ...process.env, DATABASE_URL: db.url, JINKU_SECRET: '22'.repeat(32) },
          encoding: 'utf8',
        });
      const clean = run();
      assert.equal(clean.status, 0, clean.stderr);
      assert.match(clean.stdout, /ledger consistent/);
      // Someone "fixes" a balance directly in the database, bypassing the journal.
      await db.handle.kysely
        .updateTable('ledger_account')
        .set({ posted_fen: 60_000 })
        .where('id', '=', customer.accounts[0]!.id)
        .execute();
      const broken = run();
      assert.equal(broken.status, 1);
      assert.match(broken.stdout, new RegExp(customer.accounts[0]!.id));
    } finally {
      await db.drop();
    }
  });
}
