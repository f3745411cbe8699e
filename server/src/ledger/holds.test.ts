import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { placeHold, postHold, voidHold } from './holds.ts';
import { checkLedgerInvariants } from './invariants.ts';
import { balancesOf } from './queries.ts';
import { bankAccountId } from './service.ts';
import { openFunded, postedOf, setupBank, T0 } from './test-fixtures.ts';

const isCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

for (const dialect of DIALECTS) {
  describe(`ledger holds [${dialect}]`, () => {
    let t: TestDatabase;
    let vault: string;
    before(async () => {
      t = await openTestDatabase(dialect);
      vault = await setupBank(t.handle.kysely);
    });
    after(() => t.drop());
    const db = () => t.handle.kysely;

    test('a hold reduces the available balance; posting it moves the money exactly once', async () => {
      const [a] = await openFunded(db(), vault, 1, 10_000);
      const clearing = await withTransaction(db(), (trx) => bankAccountId(trx, 'clearing'));
      const holdId = await withTransaction(db(), (trx) =>
        placeHold(trx, { accountId: a!, amountFen: 6_000, reference: 'ibt-1', nowMs: T0 }),
      );
      assert.deepEqual((await balancesOf(db(), [a!])).get(a!), { postedFen: 10_000, availableFen: 4_000 });
      // The held money cannot be spent elsewhere, nor held twice.
      await assert.rejects(
        withTransaction(db(), (trx) => placeHold(trx, { accountId: a!, amountFen: 4_001, reference: 'x', nowMs: T0 })),
        isCode('payment.insufficient_funds'),
      );
      const settle = {
        kind: 'clearing_settle',
        reference: 'ibt-1',
        memo: '跨行转账',
        postedAtMs: T0 + 5,
        postings: [
          { accountId: a!, amountFen: -6_000 },
          { accountId: clearing, amountFen: 6_000 },
        ],
      };
      const posted = await withTransaction(db(), (trx) => postHold(trx, holdId, settle));
      assert.deepEqual(posted.balances[a!], { postedFen: 4_000, availableFen: 4_000 });
      await assert.rejects(
        withTransaction(db(), (trx) => postHold(trx, holdId, settle)),
        isCode('ledger.hold_closed'),
      );
      await assert.rejects(
        withTransaction(db(), (trx) => voidHold(trx, holdId, T0)),
        isCode('ledger.hold_closed'),
      );
      assert.deepEqual((await balancesOf(db(), [a!])).get(a!), { postedFen: 4_000, availableFen: 4_000 });
      const hold = await db().selectFrom('hold').selectAll().where('id', '=', holdId).executeTakeFirstOrThrow();
      assert.equal(hold.status, 'posted');
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });

    test('a voided hold releases the money exactly once', async () => {
      const [a] = await openFunded(db(), vault, 1, 3_000);
      const holdId = await withTransaction(db(), (trx) =>
        placeHold(trx, { accountId: a!, amountFen: 3_000, reference: 'ibt-2', nowMs: T0 }),
      );
      assert.deepEqual((await balancesOf(db(), [a!])).get(a!), { postedFen: 3_000, availableFen: 0 });
      await withTransaction(db(), (trx) => voidHold(trx, holdId, T0 + 1));
      await assert.rejects(
        withTransaction(db(), (trx) => voidHold(trx, holdId, T0 + 2)),
        isCode('ledger.hold_closed'),
      );
      assert.deepEqual((await balancesOf(db(), [a!])).get(a!), { postedFen: 3_000, availableFen: 3_000 });
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });

    test('concurrent attempts to post and void one hold: exactly one wins', async () => {
      const [a] = await openFunded(db(), vault, 1, 5_000);
      const clearing = await withTransaction(db(), (trx) => bankAccountId(trx, 'clearing'));
      const holdId = await withTransaction(db(), (trx) =>
        placeHold(trx, { accountId: a!, amountFen: 5_000, reference: 'ibt-3', nowMs: T0 }),
      );
      const entry = {
        kind: 'clearing_settle',
        reference: 'ibt-3',
        memo: '',
        postedAtMs: T0,
        postings: [
          { accountId: a!, amountFen: -5_000 },
          { accountId: clearing, amountFen: 5_000 },
        ],
      };
      const results = await Promise.allSettled([
        ...Array.from({ length: 4 }, () => withTransaction(db(), (trx) => postHold(trx, holdId, entry))),
        ...Array.from({ length: 4 }, () => withTransaction(db(), (trx) => voidHold(trx, holdId, T0))),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results)
        if (r.status === 'rejected') assert.ok(isCode('ledger.hold_closed')(r.reason), String(r.reason));
      const [posted] = await postedOf(db(), [a!]);
      assert.ok(posted === 0 || posted === 5_000);
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });
  });
}
