import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { appendAudit, verifyAuditLog } from './service.ts';

for (const dialect of DIALECTS) {
  describe(`audit log [${dialect}]`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await openTestDatabase(dialect);
    });
    after(() => db.drop());

    const append = (i: number) =>
      withTransaction(db.handle.kysely, (trx) =>
        appendAudit(trx, {
          kind: 'test.event',
          atMs: 1_800_000_000_000 + i,
          actor: { type: 'system' },
          subject: { type: 'customer', id: `c${i}` },
          details: { n: i },
        }),
      );

    test('an untouched log verifies, including rows appended concurrently', async () => {
      await Promise.all(Array.from({ length: 40 }, (_, i) => append(i)));
      const result = await verifyAuditLog(db.handle.kysely);
      assert.deepEqual(result.ok && result.rows, 40);
    });

    test('names the first row whose content was edited in the database', async () => {
      const victim = await db.handle.kysely
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('chain_id')
        .orderBy('seq')
        .offset(3)
        .limit(1)
        .executeTakeFirstOrThrow();
      await db.handle.kysely
        .updateTable('audit_log')
        .set({ details: '{"n":999}' })
        .where('id', '=', victim.id)
        .execute();
      const result = await verifyAuditLog(db.handle.kysely);
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.broken.id, victim.id);
      assert.match(result.broken.reason, /hash/);
    });

    test('detects a deleted last row', async () => {
      const fresh = await openTestDatabase(dialect);
      try {
        for (let i = 0; i < 3; i++) {
          await withTransaction(fresh.handle.kysely, (trx) =>
            appendAudit(trx, { kind: 'x', atMs: i, actor: { type: 'system' } }),
          );
        }
        const last = await fresh.handle.kysely
          .selectFrom('audit_log')
          .select(['id', 'chain_id'])
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        await fresh.handle.kysely.deleteFrom('audit_log').where('id', '=', last.id).execute();
        const result = await verifyAuditLog(fresh.handle.kysely);
        assert.equal(result.ok, false);
      } finally {
        await fresh.drop();
      }
    });

    test('refuses details that would store a secret', async () => {
      await assert.rejects(
        withTransaction(db.handle.kysely, (trx) =>
          appendAudit(trx, { kind: 'x', atMs: 1, actor: { type: 'system' }, details: { password: 'x' } }),
        ),
        /must not carry secrets/,
      );
    });
  });
}
