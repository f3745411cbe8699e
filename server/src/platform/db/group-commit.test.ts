import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../database.ts';
import { migrations } from '../../migrations.ts';
import { createTestDatabaseUrl } from '../../testing/database.ts';
import { type DatabaseHandle, openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { withTransaction } from './transaction.ts';

describe('SQLite group commit', () => {
  let handle: DatabaseHandle<Database>;
  let drop: () => Promise<void>;
  const statements: string[] = [];
  before(async () => {
    const target = await createTestDatabaseUrl('sqlite');
    drop = target.drop;
    handle = openDatabase<Database>(target.url, { onQuery: (sql) => statements.push(sql) });
    await migrateToLatest(handle.kysely, migrations);
  });
  after(async () => {
    await handle.close();
    await drop();
  });

  const put = (key: string) =>
    withTransaction(handle.kysely, (trx) =>
      trx.insertInto('platform_setting').values({ key, value: 'x', updated_at_ms: 1 }).execute(),
    );
  const keys = async (prefix: string) =>
    (
      await handle.kysely
        .selectFrom('platform_setting')
        .select('key')
        .where('key', 'like', `${prefix}%`)
        .orderBy('key')
        .execute()
    ).map((r) => r.key);

  test('transactions that queue up together share one durable commit, and all of them stand', async () => {
    statements.length = 0;
    await Promise.all([put('gc.a'), put('gc.b'), put('gc.c'), put('gc.d'), put('gc.e')]);
    assert.equal(statements.filter((s) => s === 'commit').length, 1);
    assert.deepEqual(await keys('gc.'), ['gc.a', 'gc.b', 'gc.c', 'gc.d', 'gc.e']);
  });

  test('a transaction that fails is undone alone; the others of its batch commit', async () => {
    const failing = withTransaction(handle.kysely, async (trx) => {
      await trx.insertInto('platform_setting').values({ key: 'fail.b', value: 'x', updated_at_ms: 1 }).execute();
      throw new Error('business rule');
    });
    const results = await Promise.allSettled([put('fail.a'), failing, put('fail.c')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal((results[1] as PromiseRejectedResult).reason.message, 'business rule');
    assert.deepEqual(await keys('fail.'), ['fail.a', 'fail.c']);
  });

  test('after a failure its batch runs again, each transaction in a savepoint, then batches are plain again', async () => {
    let runsOfA = 0;
    const a = withTransaction(handle.kysely, async (trx) => {
      runsOfA++;
      await trx.insertInto('platform_setting').values({ key: 'again.a', value: 'x', updated_at_ms: 1 }).execute();
    });
    const b = withTransaction(handle.kysely, async (trx) => {
      await trx.insertInto('platform_setting').values({ key: 'again.b', value: 'x', updated_at_ms: 1 }).execute();
      throw new Error('refused');
    });
    statements.length = 0;
    const results = await Promise.allSettled([a, b, put('again.c')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(runsOfA, 2);
    assert.ok(statements.some((sql) => sql.startsWith('savepoint')));
    assert.deepEqual(await keys('again.'), ['again.a', 'again.c']);
    statements.length = 0;
    await put('again.d');
    assert.equal(statements.filter((sql) => sql.startsWith('savepoint')).length, 0);
  });

  test('a read outside any transaction sees only what is committed', async () => {
    let seenInside: string[] = [];
    await withTransaction(handle.kysely, async (trx) => {
      await trx.insertInto('platform_setting').values({ key: 'dirty.a', value: 'x', updated_at_ms: 1 }).execute();
      seenInside = await keys('dirty.');
    });
    assert.deepEqual(seenInside, []);
    assert.deepEqual(await keys('dirty.'), ['dirty.a']);
  });

  test('a write outside any transaction waits until the open one has committed', async () => {
    const order: string[] = [];
    const transaction = withTransaction(handle.kysely, async (trx) => {
      await trx.insertInto('platform_setting').values({ key: 'order.tx', value: 'x', updated_at_ms: 1 }).execute();
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('transaction');
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const plain = handle.kysely
      .insertInto('platform_setting')
      .values({ key: 'order.plain', value: 'x', updated_at_ms: 1 })
      .execute()
      .then(() => order.push('plain write'));
    await Promise.all([transaction, plain]);
    assert.deepEqual(order, ['transaction', 'plain write']);
  });
});
