import { type Kysely, sql } from 'kysely';
import type { Database } from '../database.ts';

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
      ...(await unbalancedEntries(trx)),
      ...(await balancesNotSumOfPostings(trx)),
      ...(await heldNotSumOfHolds(trx)),
      ...(await negativeAccounts(trx)),
      ...(await totalNotZero(trx)),
    ]);
}

async function unbalancedEntries(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const rows = await db
    .selectFrom('journal_entry as e')
    .leftJoin('posting as p', 'p.entry_id', 'e.id')
    .select(['e.id', sql<number>`cast(coalesce(sum(p.amount_fen), 0) as bigint)`.as('total')])
    .select(sql<number>`count(p.id)`.as('count'))
    .groupBy('e.id')
    .having((eb) => eb.or([eb(sql`coalesce(sum(p.amount_fen), 0)`, '<>', 0), eb(sql`count(p.id)`, '<', 2)]))
    .execute();
  return rows.map((r) => ({
    rule: 'entry_balances',
    id: r.id,
    detail: `${Number(r.count)} postings summing to ${r.total}`,
  }));
}

async function balancesNotSumOfPostings(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const sums = db
    .selectFrom('posting')
    .select(['ledger_account_id', sql<number>`cast(sum(amount_fen) as bigint)`.as('total')])
    .groupBy('ledger_account_id')
    .as('s');
  const rows = await db
    .selectFrom('ledger_account as a')
    .leftJoin(sums, 's.ledger_account_id', 'a.id')
    .select(['a.id', 'a.posted_fen', sql<number>`coalesce(s.total, 0)`.as('total')])
    .where(sql<boolean>`a.posted_fen <> coalesce(s.total, 0)`)
    .execute();
  return rows.map((r) => ({
    rule: 'balance_is_sum_of_postings',
    id: r.id,
    detail: `posted ${r.posted_fen}, postings sum to ${r.total}`,
  }));
}

async function heldNotSumOfHolds(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const sums = db
    .selectFrom('hold')
    .select(['ledger_account_id', sql<number>`cast(sum(amount_fen) as bigint)`.as('total')])
    .where('status', '=', 'open')
    .groupBy('ledger_account_id')
    .as('h');
  const rows = await db
    .selectFrom('ledger_account as a')
    .leftJoin(sums, 'h.ledger_account_id', 'a.id')
    .select(['a.id', 'a.held_fen', sql<number>`coalesce(h.total, 0)`.as('total')])
    .where(sql<boolean>`a.held_fen <> coalesce(h.total, 0)`)
    .execute();
  return rows.map((r) => ({
    rule: 'held_is_sum_of_open_holds',
    id: r.id,
    detail: `held ${r.held_fen}, open holds ${r.total}`,
  }));
}

async function negativeAccounts(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const rows = await db
    .selectFrom('ledger_account')
    .select(['id', 'posted_fen', 'held_fen'])
    .where(sql<boolean>`not allow_negative and (posted_fen < 0 or posted_fen - held_fen < 0)`)
    .execute();
  return rows.map((r) => ({ rule: 'not_negative', id: r.id, detail: `posted ${r.posted_fen}, held ${r.held_fen}` }));
}

async function totalNotZero(db: Kysely<Database>): Promise<LedgerViolation[]> {
  const row = await db
    .selectFrom('ledger_account')
    .select(sql<number>`cast(coalesce(sum(posted_fen), 0) as bigint)`.as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total) === 0
    ? []
    : [{ rule: 'total_is_zero', id: '*', detail: `all balances sum to ${row.total}` }];
}
