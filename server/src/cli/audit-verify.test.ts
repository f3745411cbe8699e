import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendAudit } from '../audit/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { DIALECTS, openTestDatabase } from '../testing/database.ts';

const cli = join(import.meta.dirname, 'audit-verify.ts');

for (const dialect of DIALECTS) {
  test(`npm run audit:verify exits 1 and names the row edited in the database [${dialect}]`, async () => {
    const db = await openTestDatabase(dialect);
    try {
      for (let i = 0; i < 5; i++) {
        await withTransaction(db.handle.kysely, (trx) =>
          appendAudit(trx, { kind: 'auth.login', atMs: 1000 + i, actor: { type: 'customer', id: `c${i}` } }),
        );
      }
      const run = () =>
        spawnSync(process.execPath, [cli], {
          env: { ...process.env, DATABASE_URL: db.url, JINKU_SECRET: '22'.repeat(32) },
          encoding: 'utf8',
        });
      const clean = run();
      assert.equal(clean.status, 0, clean.stderr);
      assert.match(clean.stdout, /intact: 5 rows/);
      const victim = await db.handle.kysely
        .selectFrom('audit_log')
        .select('id')
        .where('actor_id', '=', 'c2')
        .executeTakeFirstOrThrow();
      await db.handle.kysely
        .updateTable('audit_log')
        .set({ actor_id: 'mallory' })
        .where('id', '=', victim.id)
        .execute();
      const tampered = run();
      assert.equal(tampered.status, 1);
      assert.match(tampered.stdout, new RegExp(`BROKEN .*${victim.id}`));
    } finally {
      await db.drop();
    }
  });
}
