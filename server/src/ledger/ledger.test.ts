import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { AssertionFailed } from '../platform/assert.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { checkLedgerInvariants } from './invariants.ts';
import { BANK_ACCOUNTS, bankAccountId, ensureBankAccounts, postEntry, reverseEntry } from './service.ts';
import { openFunded, postedOf, setupBank, T0, transfer } from './test-fixtures.ts';

const isCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

for (const dialect of DIALECTS) {
  describe(`ledger [${dialect}]`, () => {
    let t: TestDatabase;
    let vault: string;
    before(async () => {
      t = await openTestDatabase(dialect);
      vault = await setupBank(t.handle.kysely);
    });
    after(() => t.drop());
    const db = () => t.handle.kysely;

    test('bank accounts are created once, however often they are ensured', async () => {
      await withTransaction(db(), (trx) => ensureBankAccounts(trx, T0, ['0001', '0002']));
      await withTransaction(db(), (trx) => ensureBankAccounts(trx, T0, ['0001', '0002']));
      const codes = await db().selectFrom('ledger_account').select('code').where('kind', '=', 'bank').execute();
      const expected = [...Object.values(BANK_ACCOUNTS).map((a) => a.code), 'vault:0001', 'vault:0002'];
      // Other domains open bank accounts of their own (bills: one per biller); these are the ensured ones.
      const ensured = codes.map((c) => c.code ?? '').filter((code) => expected.includes(code));
      assert.deepEqual(ensured.sort(), expected.sort());
      assert.equal(await withTransaction(db(), (trx) => bankAccountId(trx, 'vault:0001')), vault);
      await assert.rejects(
        withTransaction(db(), (trx) => bankAccountId(trx, 'vault:9999')),
        AssertionFailed,
      );
    });

    test('a transfer moves money, writes balanced postings with balance after, and returns the new balances', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 10_000);
      const posted = await withTransaction(db(), (trx) => transfer(trx, a!, b!, 2_550, T0 + 1000));
      assert.deepEqual(posted.balances[a!], { postedFen: 7_450, availableFen: 7_450 });
      assert.deepEqual(posted.balances[b!], { postedFen: 12_550, availableFen: 12_550 });
      const postings = await db().selectFrom('posting').selectAll().where('entry_id', '=', posted.entryId).execute();
      assert.deepEqual(
        postings.map((p) => [p.ledger_account_id, p.amount_fen, p.balance_after_fen]).sort(),
        [
          [a, -2_550, 7_450],
          [b, 2_550, 12_550],
        ].sort(),
      );
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });

    test('unbalanced or zero postings are a bug and are refused before anything is written', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 1_000);
      const entries = await db().selectFrom('journal_entry').select('id').execute();
      const bad = [
        [
          { accountId: a!, amountFen: -100 },
          { accountId: b!, amountFen: 99 },
        ],
        [
          { accountId: a!, amountFen: 0 },
          { accountId: b!, amountFen: 0 },
        ],
        [
          { accountId: a!, amountFen: -1.5 },
          { accountId: b!, amountFen: 1.5 },
        ],
      ];
      for (const postings of bad) {
        await assert.rejects(
          withTransaction(db(), (trx) =>
            postEntry(trx, { kind: 'transfer', reference: 'x', memo: '', postedAtMs: T0, postings }),
          ),
          AssertionFailed,
        );
      }
      assert.equal((await db().selectFrom('journal_entry').select('id').execute()).length, entries.length);
      assert.deepEqual(await postedOf(db(), [a!, b!]), [1_000, 1_000]);
    });

    test('a debit beyond the available balance is refused with payment.insufficient_funds and writes nothing', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 1_000);
      const before = await db().selectFrom('posting').select('id').execute();
      await assert.rejects(
        withTransaction(db(), (trx) => transfer(trx, a!, b!, 1_001, T0)),
        (e) => isCode('payment.insufficient_funds')(e) && (e as AppError).status === 422,
      );
      assert.equal((await db().selectFrom('posting').select('id').execute()).length, before.length);
      assert.deepEqual(await postedOf(db(), [a!, b!]), [1_000, 1_000]);
      // The whole balance can be spent, to the fen.
      await withTransaction(db(), (trx) => transfer(trx, a!, b!, 1_000, T0));
      assert.deepEqual(await postedOf(db(), [a!, b!]), [0, 2_000]);
    });

    test('the database itself refuses a customer balance below zero', async () => {
      const [a] = await openFunded(db(), vault, 1, 500);
      await assert.rejects(
        db().updateTable('ledger_account').set({ posted_fen: -1 }).where('id', '=', a!).execute(),
        /check|constraint/i,
      );
    });

    test('a reversal posts the opposite entry once and leaves the original untouched', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 1_000);
      const original = await withTransaction(db(), (trx) => transfer(trx, a!, b!, 300, T0));
      const reversal = await withTransaction(db(), (trx) =>
        reverseEntry(trx, original.entryId, { memo: '冲正', postedAtMs: T0 + 1 }),
      );
      assert.deepEqual(await postedOf(db(), [a!, b!]), [1_000, 1_000]);
      const row = await db()
        .selectFrom('journal_entry')
        .selectAll()
        .where('id', '=', reversal.entryId)
        .executeTakeFirstOrThrow();
      assert.equal(row.reverses_entry_id, original.entryId);
      assert.equal(row.kind, 'reversal');
      const originalPostings = await db()
        .selectFrom('posting')
        .select('amount_fen')
        .where('entry_id', '=', original.entryId)
        .execute();
      assert.deepEqual(originalPostings.map((p) => p.amount_fen).sort(), [-300, 300]);
      await assert.rejects(
        withTransaction(db(), (trx) => reverseEntry(trx, original.entryId, { memo: '冲正', postedAtMs: T0 + 2 })),
        isCode('ledger.already_reversed'),
      );
      assert.deepEqual(await postedOf(db(), [a!, b!]), [1_000, 1_000]);
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });

    test('partial reversals link to their original and together never move back more than it moved', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 1_000);
      const original = await withTransaction(db(), (trx) => transfer(trx, a!, b!, 300, T0));
      const back = (amountFen: number, at: number) =>
        withTransaction(db(), (trx) =>
          postEntry(trx, {
            kind: 'refund',
            reference: `r-${at}`,
            memo: '退款',
            postedAtMs: at,
            reversesPartOf: original.entryId,
            postings: [
              { accountId: b!, amountFen: -amountFen },
              { accountId: a!, amountFen },
            ],
          }),
        );
      const first = await back(100, T0 + 1);
      await back(150, T0 + 2);
      await assert.rejects(back(51, T0 + 3), isCode('ledger.reversal_exceeds_original'));
      assert.deepEqual(await postedOf(db(), [a!, b!]), [950, 1_050]);
      const row = await db()
        .selectFrom('journal_entry')
        .selectAll()
        .where('id', '=', first.entryId)
        .executeTakeFirstOrThrow();
      assert.equal(row.reverses_part_of_entry_id, original.entryId);
      assert.equal(row.reverses_entry_id, null);
      // Part went back already: reversing the whole would move back more than it moved.
      await assert.rejects(
        withTransaction(db(), (trx) => reverseEntry(trx, original.entryId, { memo: '冲正', postedAtMs: T0 + 4 })),
        isCode('ledger.already_reversed'),
      );
      // Money moved other than back along the original is a bug, not a refusal.
      await assert.rejects(
        withTransaction(db(), (trx) =>
          postEntry(trx, {
            kind: 'refund',
            reference: 'r-wrong-way',
            memo: '退款',
            postedAtMs: T0 + 5,
            reversesPartOf: original.entryId,
            postings: [
              { accountId: a!, amountFen: -10 },
              { accountId: b!, amountFen: 10 },
            ],
          }),
        ),
        AssertionFailed,
      );
      await back(50, T0 + 6);
      assert.deepEqual(await postedOf(db(), [a!, b!]), [1_000, 1_000]);
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });

    test('the invariant check reports a tampered balance and an entry without postings', async () => {
      const [a] = await openFunded(db(), vault, 1, 1_000);
      await db().updateTable('ledger_account').set({ posted_fen: 999 }).where('id', '=', a!).execute();
      const rules = (await checkLedgerInvariants(db())).map((v) => v.rule).sort();
      assert.deepEqual(rules, ['balance_is_sum_of_postings', 'total_is_zero']);
      await db().updateTable('ledger_account').set({ posted_fen: 1_000 }).where('id', '=', a!).execute();
      assert.deepEqual(await checkLedgerInvariants(db()), []);
      const empty = {
        id: 'e-empty',
        kind: 'transfer',
        reference: 'x',
        memo: '',
        reverses_entry_id: null,
        posted_at_ms: T0,
      };
      await db().insertInto('journal_entry').values(empty).execute();
      assert.deepEqual(
        (await checkLedgerInvariants(db())).map((v) => [v.rule, v.id]),
        [['entry_balances', 'e-empty']],
      );
      await db().deleteFrom('journal_entry').where('id', '=', 'e-empty').execute();
    });

    test('property: random transfers keep every invariant and the total, and refuse exactly the overdrafts', async () => {
      const amount = fc.integer({ min: 1, max: 1_500 });
      const op = fc.record({ from: fc.nat(3), to: fc.nat(3), fen: amount });
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
          const ids = await openFunded(db(), vault, 4, 1_000);
          const model = [1_000, 1_000, 1_000, 1_000];
          for (const { from, to, fen } of ops) {
            if (from === to) continue;
            const ok = model[from]! >= fen;
            try {
              await withTransaction(db(), (trx) => transfer(trx, ids[from]!, ids[to]!, fen, T0));
              assert.ok(ok, 'an overdraft was allowed');
              model[from]! -= fen;
              model[to]! += fen;
            } catch (error) {
              assert.ok(!ok && isCode('payment.insufficient_funds')(error), String(error));
            }
          }
          assert.deepEqual(await postedOf(db(), ids), model);
          assert.equal(
            model.reduce((s, x) => s + x, 0),
            4_000,
          );
          assert.deepEqual(await checkLedgerInvariants(db()), []);
        }),
        { numRuns: 15 },
      );
    });
  });
}
