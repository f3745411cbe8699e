import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../database.ts';
import { openTestDatabase, type TestDatabase } from '../../testing/database.ts';
import { type DatabaseHandle, openDatabase } from './database.ts';

describe('SQLite plugin', () => {
  let db: TestDatabase;
  /** A second handle on the same file that records the SQL each query was sent as. */
  let logged: DatabaseHandle<Database>;
  const sent: Array<{ sql: string; parameters: readonly unknown[] }> = [];
  before(async () => {
    db = await openTestDatabase('sqlite');
    for (let i = 0; i < 5; i++) {
      await db.handle.kysely
        .insertInto('platform_setting')
        .values({ key: `limit.${i}`, value: String(i), updated_at_ms: i })
        .execute();
    }
    logged = openDatabase<Database>(db.url, { onQuery: (sql, parameters) => sent.push({ sql, parameters }) });
  });
  after(async () => {
    await logged.close();
    await db.drop();
  });

  test('a select’s LIMIT is written into the SQL as a number, and still limits', async () => {
    const rows = await logged.kysely
      .selectFrom('platform_setting')
      .select('key')
      .where('key', 'like', 'limit.%')
      .orderBy('key')
      .limit(2)
      .execute();
    assert.deepEqual(
      rows.map((row) => row.key),
      ['limit.0', 'limit.1'],
    );
    const last = sent.at(-1);
    assert.match(last?.sql ?? '', / limit 2$/);
    assert.deepEqual(last?.parameters, ['limit.%']);
  });

  test('row-locking clauses are dropped, and the locked read still answers', async () => {
    const rows = await logged.kysely
      .selectFrom('platform_setting')
      .select('key')
      .where('key', '=', 'limit.3')
      .forUpdate()
      .execute();
    assert.deepEqual(
      rows.map((row) => row.key),
      ['limit.3'],
    );
    assert.doesNotMatch(sent.at(-1)?.sql ?? '', /for update/i);
  });
});
