import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../testing/database.ts';
import { isRetryable, MAX_TRANSACTION_TRIES, withTransaction } from './transaction.ts';

for (const dialect of DIALECTS) {
  describe(`withTransaction [${dialect}]`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await openTestDatabase(dialect);
    });
    after(() => db.drop());

    const count = async (key: string) =>
      (
        await db.handle.kysely
          .selectFrom('platform_setting')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('key', 'like', `${key}%`)
          .executeTakeFirstOrThrow()
      ).n;

    test('re-runs the whole function after a serialization failure, and its first try leaves nothing behind', async () => {
      let tries = 0;
      await withTransaction(db.handle.kysely, async (trx) => {
        tries++;
        await trx
          .insertInto('platform_setting')
          .values({ key: `retry.${tries}`, value: 'x', updated_at_ms: 1 })
          .execute();
        if (tries < 3) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      });
      assert.equal(tries, 3);
      assert.equal(await count('retry.'), 1);
    });

    test('gives up after a bounded number of tries', async () => {
      let tries = 0;
      await assert.rejects(
        withTransaction(db.handle.kysely, async () => {
          tries++;
          throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        }),
        /deadlock/,
      );
      assert.equal(tries, MAX_TRANSACTION_TRIES);
    });

    test('does not retry ordinary errors', async () => {
      let tries = 0;
      await assert.rejects(
        withTransaction(db.handle.kysely, async () => {
          tries++;
          throw new Error('business rule');
        }),
      );
      assert.equal(tries, 1);
    });

    if (dialect === 'postgres') {
      test('two transactions that lock rows in opposite orders both complete after the deadlock is retried', async () => {
        await db.handle.kysely
          .insertInto('platform_setting')
          .values([
            { key: 'dl.a', value: '0', updated_at_ms: 0 },
            { key: 'dl.b', value: '0', updated_at_ms: 0 },
          ])
          .execute();
        const bump = (first: string, second: string) =>
          withTransaction(db.handle.kysely, async (trx) => {
            await sql`update platform_setting set value = (cast(value as integer) + 1)::text where key = ${first}`.execute(
              trx,
            );
            await sql`select pg_sleep(0.2)`.execute(trx);
            await sql`update platform_setting set value = (cast(value as integer) + 1)::text where key = ${second}`.execute(
              trx,
            );
          });
        await Promise.all([bump('dl.a', 'dl.b'), bump('dl.b', 'dl.a')]);
        const rows = await db.handle.kysely
          .selectFrom('platform_setting')
          .select(['key', 'value'])
          .where('key', 'like', 'dl.%')
          .orderBy('key')
          .execute();
        assert.deepEqual(rows, [
          { key: 'dl.a', value: '2' },
          { key: 'dl.b', value: '2' },
        ]);
      });
    }
  });
}

test('classifies retryable errors of both databases', () => {
  assert.equal(isRetryable({ code: '40001' }), true);
  assert.equal(isRetryable({ code: '40P01' }), true);
  assert.equal(isRetryable({ code: 'ERR_SQLITE_ERROR', errcode: 5 }), true);
  assert.equal(isRetryable({ code: 'ERR_SQLITE_ERROR', errcode: 517 }), true);
  assert.equal(isRetryable({ code: 'ERR_SQLITE_ERROR', errcode: 19 }), false);
  assert.equal(isRetryable({ code: '23505' }), false);
  assert.equal(isRetryable(null), false);
});
