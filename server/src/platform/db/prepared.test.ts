import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../testing/database.ts';
import { preparedQuery } from './prepared.ts';
import { withTransaction } from './transaction.ts';

const settingsLike = preparedQuery((db: Kysely<Database>, args: { pattern: string; after: number }) =>
  db
    .selectFrom('platform_setting')
    .select(['key', 'value'])
    .where('key', 'like', args.pattern)
    .where('updated_at_ms', '>', args.after)
    .orderBy('key')
    .limit(10),
);
const insertSetting = preparedQuery((db: Kysely<Database>, args: { key: string; value: string }) =>
  db.insertInto('platform_setting').values({ key: args.key, value: args.value, updated_at_ms: 5 }),
);
const renameSetting = preparedQuery((db: Kysely<Database>, args: { key: string; value: string }) =>
  db.updateTable('platform_setting').set({ value: args.value }).where('key', '=', args.key),
);

for (const dialect of DIALECTS) {
  describe(`preparedQuery [${dialect}]`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await openTestDatabase(dialect);
    });
    after(() => db.drop());

    test('runs with the values of each call, and keeps the constants written into the query', async () => {
      await insertSetting.run(db.handle.kysely, { key: 'prep.a', value: 'one' });
      await insertSetting.run(db.handle.kysely, { key: 'prep.b', value: 'two' });
      await insertSetting.run(db.handle.kysely, { key: 'other.c', value: 'three' });
      // SQLite's rows have no prototype; compare their fields.
      const plain = <T extends object>(row: T | undefined) => (row ? { ...row } : row);
      assert.deepEqual((await settingsLike.all(db.handle.kysely, { pattern: 'prep.%', after: 0 })).map(plain), [
        { key: 'prep.a', value: 'one' },
        { key: 'prep.b', value: 'two' },
      ]);
      // The same compiled query with other values: a different answer, not the first call's.
      assert.deepEqual(plain(await settingsLike.first(db.handle.kysely, { pattern: 'other.%', after: 0 })), {
        key: 'other.c',
        value: 'three',
      });
      // The constant updated_at_ms (5) was kept: nothing was updated after 5.
      assert.equal(await settingsLike.first(db.handle.kysely, { pattern: 'prep.%', after: 5 }), undefined);
    });

    test('runs inside the caller’s transaction, and is undone with it', async () => {
      await insertSetting.run(db.handle.kysely, { key: 'prep.tx', value: 'before' });
      await assert.rejects(
        withTransaction(db.handle.kysely, async (trx) => {
          await renameSetting.run(trx, { key: 'prep.tx', value: 'inside' });
          // The transaction sees its own write through the prepared query.
          assert.equal((await settingsLike.first(trx, { pattern: 'prep.tx', after: 0 }))?.value, 'inside');
          throw new Error('undo');
        }),
        /undo/,
      );
      assert.equal((await settingsLike.first(db.handle.kysely, { pattern: 'prep.tx', after: 0 }))?.value, 'before');
    });

    test('compiles for the dialect it runs on', () => {
      const text = settingsLike.sqlFor(db.handle.kysely);
      if (dialect === 'postgres') assert.match(text, /"key" like \$1 and "updated_at_ms" > \$2/);
      else assert.match(text, /"key" like \? and "updated_at_ms" > \? order by "key" limit 10$/);
    });

    test('one() answers the row, and throws when there is none', async () => {
      await insertSetting.run(db.handle.kysely, { key: 'prep.one', value: 'only' });
      assert.equal((await settingsLike.one(db.handle.kysely, { pattern: 'prep.one', after: 0 })).value, 'only');
      await assert.rejects(settingsLike.one(db.handle.kysely, { pattern: 'prep.none', after: 0 }), /no row from/);
    });

    test('refuses a call without one of its values', async () => {
      await assert.rejects(
        settingsLike.all(db.handle.kysely, { pattern: 'prep.%' } as { pattern: string; after: number }),
        /no value for args\.after/,
      );
    });
  });
}

describe('preparedQuery: building', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase('sqlite');
  });
  after(() => db.drop());

  test('refuses a query whose shape depends on a value, which a compiled query could never follow', () => {
    const shaped = preparedQuery((inner: Kysely<Database>, args: { column: string }) =>
      inner.selectFrom('platform_setting').select(args.column === 'key' ? 'key' : 'value'),
    );
    assert.throws(() => shaped.sqlFor(db.handle.kysely), /args\.column is not bound as a parameter/);
  });
});
