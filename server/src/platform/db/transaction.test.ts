import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../testing/database.ts';
import { isRetryable, MAX_TRANSACTION_TRIES, withTransaction } from './transaction.ts';
import { CommitInDoubt, isConnectionLost, isDatabaseUnavailable } from './unavailable.ts';

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

      /** Ends a backend from another connection, as a database restart or a network cut would. */
      const terminate = (pid: number) => sql`select pg_terminate_backend(${pid})`.execute(db.handle.kysely);
      const backendPid = async (trx: Kysely<Database>) =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;

      test('a connection cut before COMMIT is retried like a serialization failure, and its work lands once', async () => {
        let tries = 0;
        await withTransaction(db.handle.kysely, async (trx) => {
          tries++;
          await trx
            .insertInto('platform_setting')
            .values({ key: `cut.${tries}`, value: 'x', updated_at_ms: 1 })
            .execute();
          if (tries === 1) await terminate(await backendPid(trx));
          await trx.selectFrom('platform_setting').select('key').limit(1).execute();
        });
        assert.equal(tries, 2);
        assert.equal(await count('cut.'), 1);
        // The pool replaced the dead connection: the database still answers.
        assert.equal(await count('cut.2'), 1);
      });

      test('a connection cut during COMMIT is reported in doubt and not run again', async () => {
        // A deferred trigger that sleeps holds the COMMIT open long enough to cut the connection inside it.
        await sql`create table commit_probe (id text primary key)`.execute(db.handle.kysely);
        await sql`create function commit_probe_sleep() returns trigger language plpgsql as
          $$ begin perform pg_sleep(2); return null; end $$`.execute(db.handle.kysely);
        await sql`create constraint trigger commit_probe_slow after insert on commit_probe
          deferrable initially deferred for each row execute function commit_probe_sleep()`.execute(db.handle.kysely);
        let tries = 0;
        await assert.rejects(
          withTransaction(db.handle.kysely, async (trx) => {
            tries++;
            await sql`insert into commit_probe (id) values ('one')`.execute(trx);
            const pid = await backendPid(trx);
            setTimeout(() => void terminate(pid), 200);
          }),
          (error) => error instanceof CommitInDoubt && isDatabaseUnavailable(error),
        );
        assert.equal(tries, 1);
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

test('tells a lost or refused database connection from other errors', () => {
  for (const lost of [
    { code: 'ECONNREFUSED' },
    { code: 'ECONNRESET' },
    { code: '57P01' },
    { code: '57P03' },
    new Error('Connection terminated unexpectedly'),
    new Error('Client has encountered a connection error and is not queryable'),
    new Error('timeout exceeded when trying to connect'),
  ]) {
    assert.equal(isConnectionLost(lost), true, JSON.stringify(lost) || String(lost));
  }
  for (const other of [{ code: '23505' }, { code: '40001' }, new Error('business rule'), null, 'ECONNRESET']) {
    assert.equal(isConnectionLost(other), false, String(other));
  }
  assert.equal(isDatabaseUnavailable(new CommitInDoubt(new Error('x'))), true);
  assert.equal(isDatabaseUnavailable({ code: 'ERR_SQLITE_ERROR', errcode: 5 }), true);
  assert.equal(isDatabaseUnavailable({ code: 'ERR_SQLITE_ERROR', errcode: 19 }), false);
});
