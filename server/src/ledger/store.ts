import { type ColumnType, type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { CHINA_OFFSET_MS, DAY_MS } from '../platform/business-day.ts';

/**
 * Every query on the ledger's accounts, journal entries, postings and holds (the idempotency keys have
 * idempotency-store.ts). Functions that must run inside a transaction (they lock rows, or are one step of
 * several that must commit together) take a `Tx`.
 */

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
    /** The entry this one reverses part of (refunds); many may, together never more than it moved. */
    reverses_part_of_entry_id: string | null;
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
export type NewPosting = Insertable<LedgerTables['posting']>;
export type NewHold = Insertable<LedgerTables['hold']>;

/** Reads a boolean column: PostgreSQL returns a boolean, SQLite 0 or 1. */
export function isTrue(value: boolean | number): boolean {
  return value === true || value === 1;
}

// Accounts

/** Writes a new ledger account in CNY with zero balances. */
export async function insertLedgerAccount(
  db: Kysely<Database>,
  account: {
    id: string;
    kind: LedgerAccountKind;
    code: string | null;
    name: string;
    allowNegative: boolean;
    nowMs: number;
  },
): Promise<void> {
  await db
    .insertInto('ledger_account')
    .values({
      id: account.id,
      kind: account.kind,
      code: account.code,
      name: account.name,
      currency: 'CNY',
      allow_negative: account.allowNegative,
      posted_fen: 0,
      held_fen: 0,
      version: 0,
      updated_at_ms: account.nowMs,
    })
    .execute();
}

/** Writes a bank account (may go negative, zero balances) unless one with its code already exists. */
export async function insertBankAccountIfAbsent(
  db: Kysely<Database>,
  account: { id: string; code: string; name: string; nowMs: number },
): Promise<void> {
  await db
    .insertInto('ledger_account')
    .values({
      id: account.id,
      kind: 'bank',
      code: account.code,
      name: account.name,
      currency: 'CNY',
      allow_negative: true,
      posted_fen: 0,
      held_fen: 0,
      version: 0,
      updated_at_ms: account.nowMs,
    })
    // Two instances starting at once both try: the unique code decides, neither fails.
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** The id of the account with this code (the bank's own accounts have one), if it exists. */
export function bankAccountByCode(db: Kysely<Database>, code: string) {
  return db.selectFrom('ledger_account').select('id').where('code', '=', code).executeTakeFirst();
}

/** The posted and held amounts of the given accounts, in one statement (one snapshot); missing ids are left out. */
export function accountBalances(db: Kysely<Database>, accountIds: readonly string[]) {
  return db
    .selectFrom('ledger_account')
    .select(['id', 'posted_fen', 'held_fen'])
    .where('id', 'in', accountIds)
    .execute();
}

/**
 * Locks the given ledger accounts, always in id order: two transactions touching the same accounts then
 * queue on the first shared row instead of each holding one the other wants (a deadlock).
 * PostgreSQL locks after the sort (LockRows sits above Sort in the plan), so the ORDER BY is the lock order.
 */
export function lockAccounts(trx: Tx, sortedIds: readonly string[]) {
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
  trx: Tx,
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
export async function adjustAccounts(trx: Tx, changes: readonly BalanceChange[], nowMs: number) {
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

// Journal entries and postings

/** Writes the journal entries of a batch in one statement. */
export async function insertJournalEntries(trx: Tx, entries: readonly JournalEntryRow[]): Promise<void> {
  await trx.insertInto('journal_entry').values(entries).execute();
}

/** A journal entry by id; with `lock`, its row stays locked until the transaction ends. */
export function entryById(db: Kysely<Database>, entryId: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('journal_entry').selectAll().where('id', '=', entryId);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

/** The entry that reverses the given one, if it has been reversed. */
export function reversalOf(db: Kysely<Database>, entryId: string) {
  return db.selectFrom('journal_entry').select('id').where('reverses_entry_id', '=', entryId).executeTakeFirst();
}

/** The net change per account of all partial reversals of an entry so far. */
export async function partialReversalDeltas(db: Kysely<Database>, entryId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('posting')
    .innerJoin('journal_entry', 'journal_entry.id', 'posting.entry_id')
    .select([
      'posting.ledger_account_id as accountId',
      (eb) => eb.fn.sum<string | number>('posting.amount_fen').as('total'),
    ])
    .where('journal_entry.reverses_part_of_entry_id', '=', entryId)
    .groupBy('posting.ledger_account_id')
    .execute();
  return new Map(rows.map((r) => [r.accountId, Number(r.total)]));
}

/** Whether part of an entry has been reversed. */
export async function hasPartialReversal(db: Kysely<Database>, entryId: string): Promise<boolean> {
  const row = await db
    .selectFrom('journal_entry')
    .select('id')
    .where('reverses_part_of_entry_id', '=', entryId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Writes the postings of a batch in one statement. */
export async function insertPostings(trx: Tx, postings: readonly NewPosting[]): Promise<void> {
  await trx.insertInto('posting').values(postings).execute();
}

/** The postings of one journal entry, in id order. */
export function postingsOfEntry(db: Kysely<Database>, entryId: string) {
  return db.selectFrom('posting').selectAll().where('entry_id', '=', entryId).orderBy('id').execute();
}

/** Which of these references have a journal entry of this kind (e.g. a transfer that was returned). */
export async function referencesWithEntryKind(
  db: Kysely<Database>,
  kind: string,
  references: readonly string[],
): Promise<string[]> {
  if (references.length === 0) return [];
  const rows = await db
    .selectFrom('journal_entry')
    .select('reference')
    .where('kind', '=', kind)
    .where('reference', 'in', references)
    .execute();
  return rows.map((row) => row.reference);
}

/** Which postings of an account a history asks for: money in (credits), money out (debits), or both. */
export type PostingDirection = 'in' | 'out';

/**
 * Up to `limit` of an account's postings, newest first (ties by id, highest first), posted in
 * [fromMs, toMs) and strictly before the `before` row when given; `direction` keeps credits or debits,
 * `text` keeps postings whose counterparty or memo contains it (any case). Each row carries its journal
 * entry's kind and reference (a transfer's entry names the transfer), for the entry's serial and receipt.
 */
export function postingsNewestFirst(
  db: Kysely<Database>,
  accountId: string,
  options: {
    fromMs?: number;
    toMs?: number;
    before?: { postedAtMs: number; id: string };
    direction?: PostingDirection;
    text?: string;
    limit: number;
  },
) {
  let query = db
    .selectFrom('posting')
    .innerJoin('journal_entry', 'journal_entry.id', 'posting.entry_id')
    .selectAll('posting')
    .select(['journal_entry.kind as entry_kind', 'journal_entry.reference as entry_reference'])
    .where('posting.ledger_account_id', '=', accountId);
  if (options.fromMs !== undefined) query = query.where('posting.posted_at_ms', '>=', options.fromMs);
  if (options.toMs !== undefined) query = query.where('posting.posted_at_ms', '<', options.toMs);
  if (options.direction === 'in') query = query.where('posting.amount_fen', '>', 0);
  if (options.direction === 'out') query = query.where('posting.amount_fen', '<', 0);
  if (options.text !== undefined) {
    // A LIKE pattern with the customer's %, _ and \ escaped, compared in lower case: SQLite's LIKE
    // ignores ASCII case and PostgreSQL's does not, so both sides are lowered for the same answer.
    const pattern = `%${options.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(coalesce(${eb.ref('posting.counterparty')}, '')) like ${pattern} escape '\\'`,
        sql<boolean>`lower(${eb.ref('posting.memo')}) like ${pattern} escape '\\'`,
      ]),
    );
  }
  const after = options.before;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('posting.posted_at_ms', '<', after.postedAtMs),
        eb.and([eb('posting.posted_at_ms', '=', after.postedAtMs), eb('posting.id', '<', after.id)]),
      ]),
    );
  }
  return query.orderBy('posting.posted_at_ms', 'desc').orderBy('posting.id', 'desc').limit(options.limit).execute();
}

/**
 * The sum of an account's postings per China-time day number from `windowStartMs` on, and of all before
 * it as day -1, in one statement (one snapshot).
 */
export function postingSumsByChinaDay(db: Kysely<Database>, accountId: string, windowStartMs: number) {
  // The SQL buckets postings by chinaDay's own arithmetic (business-day.ts), done in the database so one
  // statement sums each day. Constants are literals: node:sqlite binds JS numbers as REAL, which would
  // make the division fractional.
  const bucket = sql<number>`case when posted_at_ms < ${windowStartMs} then -1
    else (posted_at_ms + ${sql.lit(CHINA_OFFSET_MS)}) / ${sql.lit(DAY_MS)} end`;
  return db
    .selectFrom('posting')
    .select([bucket.as('day'), sql<number>`cast(sum(amount_fen) as bigint)`.as('total')])
    .where('ledger_account_id', '=', accountId)
    .groupBy(sql`1`)
    .execute();
}

// Holds

/** Writes a new hold. */
export async function insertHold(trx: Tx, hold: NewHold): Promise<void> {
  await trx.insertInto('hold').values(hold).execute();
}

/** A hold by id, its row locked until the transaction ends. */
export function lockHold(trx: Tx, holdId: string) {
  return trx.selectFrom('hold').selectAll().where('id', '=', holdId).forUpdate().executeTakeFirst();
}

/** Closes an open hold as posted or voided; false when it was not open. */
export async function closeOpenHold(
  trx: Tx,
  holdId: string,
  status: 'posted' | 'voided',
  nowMs: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('hold')
    .set({ status, closed_at_ms: nowMs })
    .where('id', '=', holdId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The holds of an account, open ones first (for the account overview and the counter). */
export function holdsOf(db: Kysely<Database>, accountId: string, status?: HoldRow['status']) {
  let query = db.selectFrom('hold').selectAll().where('ledger_account_id', '=', accountId);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('created_at_ms', 'desc').orderBy('id').execute();
}

// Invariant checks (checkLedgerInvariants runs them in one snapshot)

/** Journal entries whose postings do not sum to zero or that have fewer than two, with the sum and count. */
export function unbalancedEntries(db: Kysely<Database>) {
  return db
    .selectFrom('journal_entry as e')
    .leftJoin('posting as p', 'p.entry_id', 'e.id')
    .select(['e.id', sql<number>`cast(coalesce(sum(p.amount_fen), 0) as bigint)`.as('total')])
    .select(sql<number>`count(p.id)`.as('count'))
    .groupBy('e.id')
    .having((eb) => eb.or([eb(sql`coalesce(sum(p.amount_fen), 0)`, '<>', 0), eb(sql`count(p.id)`, '<', 2)]))
    .execute();
}

/** Accounts whose posted balance differs from the sum of their postings, with that sum. */
export function accountsNotSumOfPostings(db: Kysely<Database>) {
  const sums = db
    .selectFrom('posting')
    .select(['ledger_account_id', sql<number>`cast(sum(amount_fen) as bigint)`.as('total')])
    .groupBy('ledger_account_id')
    .as('s');
  return db
    .selectFrom('ledger_account as a')
    .leftJoin(sums, 's.ledger_account_id', 'a.id')
    .select(['a.id', 'a.posted_fen', sql<number>`coalesce(s.total, 0)`.as('total')])
    .where(sql<boolean>`a.posted_fen <> coalesce(s.total, 0)`)
    .execute();
}

/** Accounts whose held amount differs from the sum of their open holds, with that sum. */
export function accountsHeldNotSumOfOpenHolds(db: Kysely<Database>) {
  const sums = db
    .selectFrom('hold')
    .select(['ledger_account_id', sql<number>`cast(sum(amount_fen) as bigint)`.as('total')])
    .where('status', '=', 'open')
    .groupBy('ledger_account_id')
    .as('h');
  return db
    .selectFrom('ledger_account as a')
    .leftJoin(sums, 'h.ledger_account_id', 'a.id')
    .select(['a.id', 'a.held_fen', sql<number>`coalesce(h.total, 0)`.as('total')])
    .where(sql<boolean>`a.held_fen <> coalesce(h.total, 0)`)
    .execute();
}

/** Accounts that may not go negative whose posted or available balance is below zero. */
export function negativeAccounts(db: Kysely<Database>) {
  return db
    .selectFrom('ledger_account')
    .select(['id', 'posted_fen', 'held_fen'])
    .where(sql<boolean>`not allow_negative and (posted_fen < 0 or posted_fen - held_fen < 0)`)
    .execute();
}

/** The sum of every account's posted balance (zero when the books balance). */
export async function totalPostedFen(db: Kysely<Database>) {
  const row = await db
    .selectFrom('ledger_account')
    .select(sql<number>`cast(coalesce(sum(posted_fen), 0) as bigint)`.as('total'))
    .executeTakeFirstOrThrow();
  return row.total;
}
