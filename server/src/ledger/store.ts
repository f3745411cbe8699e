import { type ColumnType, type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../database.ts';

export type LedgerAccountKind = 'customer' | 'bank';
export type HoldStatus = 'open' | 'posted' | 'voided';

export type LedgerTables = {
  ledger_account: {
    id: string;
    kind: LedgerAccountKind;
    code: string | null;
    name: string;
    currency: 'CNY';
    // SQLite returns booleans as 0/1: read it through isTrue().
    allow_negative: ColumnType<boolean | number, boolean, boolean>;
    /** Sign convention: positive is what the bank owes the holder. All accounts together sum to zero. */
    posted_fen: number;
    /** Sum of this account's open holds. */
    held_fen: number;
    version: number;
    updated_at_ms: number;
  };
  journal_entry: {
    id: string;
    kind: string;
    reference: string;
    memo: string;
    reverses_entry_id: string | null;
    posted_at_ms: number;
  };
  posting: {
    id: string;
    entry_id: string;
    ledger_account_id: string;
    amount_fen: number;
    balance_after_fen: number;
    counterparty: string | null;
    memo: string;
    posted_at_ms: number;
  };
  hold: {
    id: string;
    ledger_account_id: string;
    amount_fen: number;
    status: HoldStatus;
    reference: string;
    created_at_ms: number;
    closed_at_ms: number | null;
  };
  idempotency_key: {
    scope: string;
    key: string;
    request_hash: string;
    state: 'in_flight' | 'done';
    lease_token: string;
    lease_until_ms: number;
    response_status: number | null;
    response_body: string | null;
    created_at_ms: number;
    expires_at_ms: number;
  };
};

export type LedgerAccountRow = Selectable<LedgerTables['ledger_account']>;
export type PostingRow = Selectable<LedgerTables['posting']>;
export type HoldRow = Selectable<LedgerTables['hold']>;
export type JournalEntryRow = Selectable<LedgerTables['journal_entry']>;

export function isTrue(value: boolean | number): boolean {
  return value === true || value === 1;
}

/**
 * Locks the given ledger accounts, always in id order: two transactions touching the same accounts then
 * queue on the first shared row instead of each holding one the other wants (a deadlock).
 * PostgreSQL locks after the sort (LockRows sits above Sort in the plan), so the ORDER BY is the lock order.
 */
export function lockAccounts(trx: Kysely<Database>, sortedIds: readonly string[]) {
  return trx
    .selectFrom('ledger_account')
    .select(['id', 'kind', 'allow_negative', 'posted_fen', 'held_fen'])
    .where('id', 'in', sortedIds)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Applies a change to an account's balances relative to the stored values; returns the stored result. */
export function adjustAccount(
  trx: Kysely<Database>,
  change: { id: string; postedDeltaFen: number; heldDeltaFen: number; nowMs: number },
) {
  return trx
    .updateTable('ledger_account')
    .set((eb) => ({
      posted_fen: eb('posted_fen', '+', change.postedDeltaFen),
      held_fen: eb('held_fen', '+', change.heldDeltaFen),
      version: eb('version', '+', 1),
      updated_at_ms: change.nowMs,
    }))
    .where('id', '=', change.id)
    .returning(['posted_fen', 'held_fen'])
    .executeTakeFirstOrThrow();
}

export type BalanceChange = { id: string; postedDeltaFen: number; heldDeltaFen: number };

/**
 * Applies several accounts' changes in one statement (one round trip while the locks are held); returns
 * each account's stored result. Callers hold the rows' locks (lockAccounts).
 */
export async function adjustAccounts(trx: Kysely<Database>, changes: readonly BalanceChange[], nowMs: number) {
  const deltaOf = (pick: (c: BalanceChange) => number) =>
    sql<number>`case ${sql.join(
      changes.map((c) => sql`when id = ${c.id} then ${pick(c)}`),
      sql` `,
    )} else 0 end`;
  const rows = await trx
    .updateTable('ledger_account')
    .set((eb) => ({
      posted_fen: eb(
        'posted_fen',
        '+',
        deltaOf((c) => c.postedDeltaFen),
      ),
      held_fen: eb(
        'held_fen',
        '+',
        deltaOf((c) => c.heldDeltaFen),
      ),
      version: eb('version', '+', 1),
      updated_at_ms: nowMs,
    }))
    .where(
      'id',
      'in',
      changes.map((c) => c.id),
    )
    .returning(['id', 'posted_fen', 'held_fen'])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export function lockHold(trx: Kysely<Database>, holdId: string) {
  return trx.selectFrom('hold').selectAll().where('id', '=', holdId).forUpdate().executeTakeFirst();
}

export function entryById(db: Kysely<Database>, entryId: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('journal_entry').selectAll().where('id', '=', entryId);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export function postingsOfEntry(db: Kysely<Database>, entryId: string) {
  return db.selectFrom('posting').selectAll().where('entry_id', '=', entryId).orderBy('id').execute();
}

export function bankAccountByCode(db: Kysely<Database>, code: string) {
  return db.selectFrom('ledger_account').select('id').where('code', '=', code).executeTakeFirst();
}
