import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import {
  accountsHeldNotSumOfOpenHolds,
  accountsNotSumOfPostings,
  negativeAccounts,
  totalPostedFen,
  unbalancedEntries,
} from './store.ts';

export type LedgerViolation = { rule: string; id: string; detail: string };

/**
 * Checks the ledger's invariants and returns every violation found (empty when all hold):
 * each entry balances, each account's balance is the sum of its postings, held amounts are the sum of
 * open holds, no account that may not go negative is below zero, and all balances together sum to zero.
 * On PostgreSQL it runs at REPEATABLE READ so all checks see one snapshot while transfers go on.
 */
export function checkLedgerInvariants(db: Kysely<Database>): Promise<LedgerViolation[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => [
      ...(await entriesNotBalanced(trx)),
      ...(await balancesNotSumOfPostings(trx)),
      ...(await heldNotSumOfHolds(trx)),
      ...(await belowZero(trx)),
      ...(await totalNotZero(trx)),
    ]);
}

async function entriesNotBalanced(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const rows = await unbalancedEntries(db);
  return rows.map((r) => ({
    rule: 'entry_balances',
    id: r.id,
    detail: `${Number(r.count)} postings summing to ${r.total}`,
  }));
}

async function balancesNotSumOfPostings(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const rows = await accountsNotSumOfPostings(db);
  return rows.map((r) => ({
    rule: 'balance_is_sum_of_postings',
    id: r.id,
    detail: `posted ${r.posted_fen}, postings sum to ${r.total}`,
  }));
}

async function heldNotSumOfHolds(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const rows = await accountsHeldNotSumOfOpenHolds(db);
  return rows.map((r) => ({
    rule: 'held_is_sum_of_open_holds',
    id: r.id,
    detail: `held ${r.held_fen}, open holds ${r.total}`,
  }));
}

async function belowZero(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const rows = await negativeAccounts(db);
  return rows.map((r) => ({ rule: 'not_negative', id: r.id, detail: `posted ${r.posted_fen}, held ${r.held_fen}` }));
}

async function totalNotZero(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const total = await totalPostedFen(db);
  return Number(total) === 0 ? [] : [{ rule: 'total_is_zero', id: '*', detail: `all balances sum to ${total}` }];
}
