import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { dailyBalances, encodeCursor, postingsOf } from './queries.ts';
import { openFunded, setupBank, T0, transfer } from './test-fixtures.ts';

const DAY = 86_400_000;
// 2026-06-01 00:00 China time (UTC+8) is 2026-05-31 16:00 UTC.
const JUNE_1_CN = Date.UTC(2026, 4, 31, 16, 0, 0);

for (const dialect of DIALECTS) {
  describe(`ledger history [${dialect}]`, () => {
    let t: TestDatabase;
    let a: string;
    let b: string;
    // Ten transfers of 1..10 fen from a to b, at 10:00 China time on June 1..10 (one a day).
    const at = (i: number) => T0 + i * DAY;
    before(async () => {
      t = await openTestDatabase(dialect);
      const vault = await setupBank(t.handle.kysely);
      [a, b] = (await openFunded(t.handle.kysely, vault, 2, 1_000, T0 - 1)) as [string, string];
      for (let i = 0; i < 10; i++) {
        await withTransaction(t.handle.kysely, (trx) => transfer(trx, a, b, i + 1, at(i)));
      }
    });
    after(() => t.drop());
    const db = () => t.handle.kysely;

    test('pages newest first with an opaque cursor until the history is exhausted', async () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await postingsOf(db(), a, { limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...result.items.map((p) => p.amount_fen));
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      // 10 transfers out, newest first, then the opening deposit.
      assert.deepEqual(seen, [-10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 1_000]);
      const first = await postingsOf(db(), a, { limit: 3 });
      assert.deepEqual(
        first.items.map((p) => p.balance_after_fen),
        [1_000 - 55, 1_000 - 45, 1_000 - 36],
      );
      assert.equal(first.items[0]!.counterparty, '李*');
    });

    test('filters by date: from inclusive, to exclusive, combined with paging', async () => {
      const filtered = await postingsOf(db(), a, { fromMs: at(2), toMs: at(6), limit: 2 });
      assert.deepEqual(
        filtered.items.map((p) => p.amount_fen),
        [-6, -5],
      );
      assert.ok(filtered.nextCursor);
      const rest = await postingsOf(db(), a, { fromMs: at(2), toMs: at(6), limit: 2, cursor: filtered.nextCursor });
      assert.deepEqual(
        rest.items.map((p) => p.amount_fen),
        [-4, -3],
      );
      assert.equal(rest.nextCursor, null);
    });

    test('postings made at the same millisecond are neither skipped nor repeated across pages', async () => {
      const [c, d] = (await openFunded(
        db(),
        (
          await db()
            .selectFrom('ledger_account')
            .select('id')
            .where('code', '=', 'vault:0001')
            .executeTakeFirstOrThrow()
        ).id,
        2,
        100,
        T0,
      )) as [string, string];
      for (let i = 0; i < 7; i++) await withTransaction(db(), (trx) => transfer(trx, c, d, 1, T0 + 5));
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await postingsOf(db(), c, { limit: 3, fromMs: T0 + 5, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.equal(ids.length, 7);
      assert.equal(new Set(ids).size, 7);
    });

    test('a cursor the server did not make is a 400, not a crash', async () => {
      for (const cursor of [
        'garbage',
        encodeCursor(1, 'not-an-id').slice(2),
        Buffer.from("1:' or 1=1").toString('base64url'),
      ]) {
        await assert.rejects(
          postingsOf(db(), a, { limit: 5, cursor }),
          (e) => e instanceof AppError && e.status === 400,
        );
      }
    });

    test('daily balances give the end-of-day balance per China-time day', async () => {
      // "Now" is June 12, 08:00 China time; 14 days: May 30 .. June 12.
      const now = JUNE_1_CN + 11 * DAY + 8 * 3_600_000;
      const days = await dailyBalances(db(), a, 14, now);
      assert.equal(days.length, 14);
      assert.deepEqual(days[0], { date: '2026-05-30', balanceFen: 0 });
      assert.deepEqual(days[1], { date: '2026-05-31', balanceFen: 0 });
      // The deposit (T0 - 1) and the first transfer (1 fen) both fall on June 1.
      assert.deepEqual(days[2], { date: '2026-06-01', balanceFen: 999 });
      assert.deepEqual(days[11], { date: '2026-06-10', balanceFen: 945 });
      assert.deepEqual(days[13], { date: '2026-06-12', balanceFen: 945 });
      // A window that starts after the first postings opens with the balance carried in.
      const short = await dailyBalances(db(), a, 3, JUNE_1_CN + 4 * DAY + 1);
      assert.deepEqual(short, [
        { date: '2026-06-03', balanceFen: 994 },
        { date: '2026-06-04', balanceFen: 990 },
        { date: '2026-06-05', balanceFen: 985 },
      ]);
    });

    test('a posting at 23:59 China time counts for that day, at 00:00 for the next', async () => {
      const vault = (
        await db().selectFrom('ledger_account').select('id').where('code', '=', 'vault:0001').executeTakeFirstOrThrow()
      ).id;
      const [c, d] = (await openFunded(db(), vault, 2, 100, JUNE_1_CN)) as [string, string];
      await withTransaction(db(), (trx) => transfer(trx, c, d, 10, JUNE_1_CN + DAY - 1));
      await withTransaction(db(), (trx) => transfer(trx, c, d, 20, JUNE_1_CN + DAY));
      const days = await dailyBalances(db(), c, 2, JUNE_1_CN + DAY + 1);
      assert.deepEqual(days, [
        { date: '2026-06-01', balanceFen: 90 },
        { date: '2026-06-02', balanceFen: 70 },
      ]);
    });
  });
}
