import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { checkLedgerInvariants } from './invariants.ts';
import { balancesOf } from './queries.ts';
import { openFunded, postedOf, setupBank, T0, transfer } from './test-fixtures.ts';

const insufficient = (error: unknown) => error instanceof AppError && error.code === 'payment.insufficient_funds';

/**
 * After Jepsen's bank workload: writers move money at random between a fixed set of accounts while
 * readers take whole-bank snapshots; every snapshot must show the same total and no overdraft.
 */
for (const dialect of DIALECTS) {
  describe(`ledger under concurrency [${dialect}]`, () => {
    let t: TestDatabase;
    let vault: string;
    before(async () => {
      t = await openTestDatabase(dialect);
      vault = await setupBank(t.handle.kysely);
    });
    after(() => t.drop());
    const db = () => t.handle.kysely;

    test('bank invariant: 16 writers and 2 readers for 3 s; every read sums to the fixed total', async () => {
      const ACCOUNTS = 10;
      const FUND = 100_000;
      const TOTAL = ACCOUNTS * FUND;
      const ids = await openFunded(db(), vault, ACCOUNTS, FUND);
      const deadline = performance.now() + 3_000;
      let completed = 0;
      let refused = 0;
      let reads = 0;
      const writer = async () => {
        while (performance.now() < deadline) {
          const from = ids[Math.floor(Math.random() * ACCOUNTS)]!;
          const to = ids[Math.floor(Math.random() * ACCOUNTS)]!;
          if (from === to) continue;
          const fen = 1 + Math.floor(Math.random() * 40_000);
          try {
            await withTransaction(db(), (trx) => transfer(trx, from, to, fen, T0));
            completed++;
          } catch (error) {
            if (!insufficient(error)) throw error;
            refused++;
          }
        }
      };
      const checkSnapshot = (balances: number[]) => {
        assert.equal(balances.length, ACCOUNTS);
        assert.equal(
          balances.reduce((s, x) => s + x, 0),
          TOTAL,
          `a read saw a total other than ${TOTAL}`,
        );
        assert.ok(
          balances.every((x) => x >= 0),
          'a read saw an account below zero',
        );
        reads++;
      };
      // One reader reads all balances in one statement; the other account by account inside one
      // REPEATABLE READ transaction (one snapshot on PostgreSQL; SQLite serialises transactions anyway).
      const statementReader = async () => {
        while (performance.now() < deadline) {
          const balances = await withTransaction(db(), (trx) => balancesOf(trx, ids));
          checkSnapshot([...balances.values()].map((b) => b.postedFen));
        }
      };
      const snapshotReader = async () => {
        while (performance.now() < deadline) {
          const balances = await db()
            .transaction()
            .setIsolationLevel('repeatable read')
            .execute(async (trx) => {
              const each: number[] = [];
              for (const id of ids) each.push((await balancesOf(trx, [id])).get(id)!.postedFen);
              return each;
            });
          checkSnapshot(balances);
        }
      };
      await Promise.all([...Array.from({ length: 16 }, writer), statementReader(), snapshotReader()]);
      assert.ok(completed > 50, `only ${completed} transfers completed`);
      assert.ok(reads > 10, `only ${reads} reads`);
      assert.equal(
        (await postedOf(db(), ids)).reduce((s, x) => s + x, 0),
        TOTAL,
      );
      // Every completed transfer is in the journal exactly once.
      const entries = await db()
        .selectFrom('journal_entry')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'transfer')
        .executeTakeFirstOrThrow();
      assert.equal(Number(entries.n), completed);
      assert.deepEqual(await checkLedgerInvariants(db()), []);
      console.log(`[${dialect}] bank: ${completed} transfers, ${refused} refused, ${reads} consistent reads in 3 s`);
    });

    test('overdraft race: 100 concurrent debits of A from a balance of 10A; exactly 10 succeed', async () => {
      const A = 1_234;
      const [source] = await openFunded(db(), vault, 1, 10 * A);
      // Distinct payees, some sorting before the source and some after, so lock ordering is exercised.
      const payees = await openFunded(db(), vault, 100, 0);
      const results = await Promise.allSettled(
        payees.map((payee) => withTransaction(db(), (trx) => transfer(trx, source!, payee, A, T0))),
      );
      const succeeded = results.filter((r) => r.status === 'fulfilled').length;
      for (const r of results) if (r.status === 'rejected') assert.ok(insufficient(r.reason), String(r.reason));
      assert.equal(succeeded, 10);
      assert.deepEqual(await postedOf(db(), [source!]), [0]);
      const credited = (await postedOf(db(), payees)).filter((x) => x === A).length;
      assert.equal(credited, 10);
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });
  });
}
