import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { assert } from '../platform/assert.ts';
import { newId } from '../platform/ids.ts';
import { MAX_FEN } from '../platform/money.ts';
import { ledgerErrors } from './errors.ts';
import { AppError } from '../platform/errors.ts';
import {
  adjustAccounts,
  bankAccountByCode,
  entryById,
  hasPartialReversal,
  insertBankAccountIfAbsent,
  insertJournalEntries,
  insertLedgerAccount,
  insertPostings,
  isTrue,
  type JournalEntryRow,
  type LedgerAccountKind,
  lockAccounts,
  type NewPosting,
  partialReversalDeltas,
  postingsOfEntry,
  reversalOf,
} from './store.ts';

export type NewLedgerAccount = {
  id?: string;
  kind: LedgerAccountKind;
  code?: string;
  name: string;
  allowNegative: boolean;
  nowMs: number;
};

/** Creates a ledger account with zero balances and returns its id. */
export async function openLedgerAccount(trx: Kysely<Database>, input: NewLedgerAccount): Promise<string> {
  assert(input.kind === 'bank' || !input.allowNegative, 'customer ledger accounts may never go negative');
  const id = input.id ?? newId<'LedgerAccount'>();
  await insertLedgerAccount(trx, {
    id,
    kind: input.kind,
    code: input.code ?? null,
    name: input.name,
    allowNegative: input.allowNegative,
    nowMs: input.nowMs,
  });
  return id;
}

/** The codes of the bank's own accounts. Vaults are per branch: `vault:<branch code>`. */
export const BANK_ACCOUNTS = {
  clearing: { code: 'clearing', name: '待清算款项' },
  feeIncome: { code: 'fee_income', name: '手续费收入' },
  suspense: { code: 'suspense', name: '暂挂款项' },
  /** The bank's reserve at the central bank, where settled inter-bank payments go. */
  reserve: { code: 'central_bank_reserve', name: '存放中央银行款项' },
} as const;
export const vaultCode = (branchCode: string) => `vault:${branchCode}`;

/** Creates whichever of the bank's own accounts are missing; safe to run at every start. */
export async function ensureBankAccounts(trx: Kysely<Database>, nowMs: number, branchCodes: readonly string[]) {
  const wanted = [
    ...branchCodes.map((branch) => ({ code: vaultCode(branch), name: `库存现金 ${branch}` })),
    ...Object.values(BANK_ACCOUNTS),
  ];
  for (const { code, name } of wanted) {
    await insertBankAccountIfAbsent(trx, { id: newId<'LedgerAccount'>(), code, name, nowMs });
  }
}

/** The id of the bank account with this code; a missing one is a deployment bug (ensureBankAccounts). */
export async function bankAccountId(trx: Kysely<Database>, code: string): Promise<string> {
  const row = await bankAccountByCode(trx, code);
  assert(row, `bank ledger account ${code} does not exist`);
  return row.id;
}

export type PostingInput = { accountId: string; amountFen: number; counterparty?: string | null; memo?: string };
export type EntryInput = {
  /** The entry's id when the caller must know it first (a row written beside it refers to it). */
  id?: string | undefined;
  kind: string;
  reference: string;
  memo: string;
  postedAtMs: number;
  postings: readonly PostingInput[];
  reverses?: string;
  /**
   * The entry this one reverses part of: its postings must move money back along the original's (the
   * opposite sign on the same accounts), and with earlier partial reversals never more than it moved.
   */
  reversesPartOf?: string;
  /** Open hold amounts per account to release in the same step (postHold), so the check sees both. */
  releases?: ReadonlyMap<string, number>;
};
export type Balance = { postedFen: number; availableFen: number };
export type PostedEntry = { entryId: string; balances: Record<string, Balance> };
/** One entry's outcome in a batch: posted, or refused (the others of the batch post all the same). */
export type EntryOutcome = ({ ok: true } & PostedEntry) | { ok: false; error: AppError };

/** Posts a balanced journal entry in the caller's transaction. Refuses to overdraw a customer account. */
export async function postEntry(trx: Tx, entry: EntryInput): Promise<PostedEntry> {
  const [outcome] = await postEntries(trx, [entry]);
  assert(outcome, 'one outcome per entry');
  if (!outcome.ok) throw outcome.error;
  return { entryId: outcome.entryId, balances: outcome.balances };
}

/** Most entries one call may post: a batch holds all its accounts' locks until its transaction ends. */
export const MAX_ENTRIES_PER_BATCH = 64;

/**
 * The one place money moves: posts a batch of journal entries in the caller's transaction, with a
 * fixed number of statements whatever the batch's size. Every account of the batch is locked at
 * once, in id order (lockAccounts), so batches and single entries never wait on each other in a
 * circle. Each entry is checked against the balances the entries before it leave; one that would
 * overdraw a customer account is refused as a value and writes nothing, and the rest post. Everything
 * is checked before the first write.
 */
export async function postEntries(trx: Tx, entries: readonly EntryInput[]): Promise<EntryOutcome[]> {
  assert(entries.length > 0 && entries.length <= MAX_ENTRIES_PER_BATCH, `batch of ${entries.length} entries`);
  const deltas = entries.map((entry) => checkedDeltas(entry.postings));
  // Partial reversals lock their originals first (entry before accounts, as reverseEntry does).
  const reversalRefusals = await partialReversalRefusals(trx, entries, deltas);
  const ids = [...new Set(entries.flatMap((entry, i) => [...deltas[i]!.keys(), ...(entry.releases?.keys() ?? [])]))];
  const locked = await lockAccounts(trx, ids.sort());
  assert(locked.length === ids.length, `posting to a ledger account that does not exist: ${ids.join(', ')}`);
  const state = new Map(locked.map((a) => [a.id, { ...a, postedFen: a.posted_fen, heldFen: a.held_fen }]));
  const outcomes: EntryOutcome[] = [];
  const accepted: Array<{ entryId: string; entry: EntryInput; before: Map<string, number> }> = [];
  for (const [i, entry] of entries.entries()) {
    const refusal = reversalRefusals[i] ?? overdraft(state, deltas[i]!, entry.releases);
    if (refusal) {
      outcomes.push({ ok: false, error: refusal });
      continue;
    }
    const before = new Map<string, number>();
    const balances: Record<string, Balance> = {};
    for (const id of new Set([...deltas[i]!.keys(), ...(entry.releases?.keys() ?? [])])) {
      const account = state.get(id)!;
      before.set(id, account.postedFen);
      account.postedFen += deltas[i]!.get(id) ?? 0;
      account.heldFen -= entry.releases?.get(id) ?? 0;
      balances[id] = { postedFen: account.postedFen, availableFen: account.postedFen - account.heldFen };
    }
    const entryId = entry.id ?? newId<'JournalEntry'>();
    accepted.push({ entryId, entry, before });
    outcomes.push({ ok: true, entryId, balances });
  }
  if (accepted.length === 0) return outcomes;
  await insertJournalEntries(trx, entryRows(accepted));
  const changes = locked
    .map((a) => {
      const after = state.get(a.id)!;
      return { id: a.id, postedDeltaFen: after.postedFen - a.posted_fen, heldDeltaFen: after.heldFen - a.held_fen };
    })
    .filter((c) => c.postedDeltaFen !== 0 || c.heldDeltaFen !== 0);
  const stored = await adjustAccounts(trx, changes, Math.max(...accepted.map((a) => a.entry.postedAtMs)));
  for (const change of changes) {
    // We hold the row locks, so the stored result must be exactly what we computed from the locked read.
    const after = stored.get(change.id);
    assert(after && after.posted_fen === state.get(change.id)!.postedFen, `lost update on ledger account ${change.id}`);
  }
  await insertPostings(trx, postingRows(accepted));
  return outcomes;
}

type LockedState = Map<string, { id: string; allow_negative: boolean | number; postedFen: number; heldFen: number }>;

/** The refusal if applying these deltas and releases would take a customer account below zero. Pure. */
function overdraft(
  state: LockedState,
  deltas: ReadonlyMap<string, number>,
  releases: ReadonlyMap<string, number> | undefined,
): AppError | null {
  for (const id of new Set([...deltas.keys(), ...(releases?.keys() ?? [])])) {
    const account = state.get(id)!;
    const posted = account.postedFen + (deltas.get(id) ?? 0);
    const held = account.heldFen - (releases?.get(id) ?? 0);
    assert(held >= 0, `releasing more than is held on ${id}`);
    if (!isTrue(account.allow_negative) && posted - held < 0) {
      return new AppError(ledgerErrors['payment.insufficient_funds'], {}, { accountId: id });
    }
  }
  return null;
}

/** Asserts the postings are whole, non-zero and balanced; returns the net change per account. */
function checkedDeltas(postings: readonly PostingInput[]): Map<string, number> {
  assert(postings.length >= 2, 'a journal entry needs at least two postings');
  const deltas = new Map<string, number>();
  let sum = 0;
  for (const p of postings) {
    assert(Number.isSafeInteger(p.amountFen) && p.amountFen !== 0, `posting amount must be a non-zero integer`);
    assert(Math.abs(p.amountFen) <= MAX_FEN, `posting amount ${p.amountFen} is beyond any real amount`);
    sum += p.amountFen;
    deltas.set(p.accountId, (deltas.get(p.accountId) ?? 0) + p.amountFen);
  }
  assert(sum === 0, `journal entry postings sum to ${sum}, not 0`);
  return deltas;
}

/** The journal entry rows of the accepted entries. Pure. */
function entryRows(accepted: ReadonlyArray<{ entryId: string; entry: EntryInput }>): JournalEntryRow[] {
  return accepted.map(({ entryId, entry }) => ({
    id: entryId,
    kind: entry.kind,
    reference: entry.reference,
    memo: entry.memo,
    reverses_entry_id: entry.reverses ?? null,
    reverses_part_of_entry_id: entry.reversesPartOf ?? null,
    posted_at_ms: entry.postedAtMs,
  }));
}

/**
 * The postings of the accepted entries, each with its account's balance right after it: a running
 * balance from the account's balance before its entry.
 */
function postingRows(
  accepted: ReadonlyArray<{ entryId: string; entry: EntryInput; before: ReadonlyMap<string, number> }>,
): NewPosting[] {
  return accepted.flatMap(({ entryId, entry, before }) => {
    const running = new Map(before);
    return entry.postings.map((p) => {
      const balance = (running.get(p.accountId) ?? 0) + p.amountFen;
      running.set(p.accountId, balance);
      return {
        id: newId<'Posting'>(),
        entry_id: entryId,
        ledger_account_id: p.accountId,
        amount_fen: p.amountFen,
        balance_after_fen: balance,
        counterparty: p.counterparty ?? null,
        memo: p.memo ?? entry.memo,
        posted_at_ms: entry.postedAtMs,
      };
    });
  });
}

/**
 * Corrects a posted entry by posting its opposite; the original is never changed. Reversing twice is
 * refused (and the unique reverses_entry_id column would refuse it too). Reversing may itself be refused
 * for insufficient funds when the credited customer has spent the money meanwhile.
 */
export async function reverseEntry(
  trx: Tx,
  entryId: string,
  input: { memo: string; postedAtMs: number; kind?: string },
): Promise<PostedEntry> {
  // Locking the original serialises two reversals of it: the second then sees the first and is refused.
  const original = await entryById(trx, entryId, { lock: true });
  assert(original, `journal entry ${entryId} does not exist`);
  const existing = await reversalOf(trx, entryId);
  if (existing) throw new AppError(ledgerErrors['ledger.already_reversed'], {}, { reversalEntryId: existing.id });
  // Part of it already went back (a refund): reversing the whole would move back more than it moved.
  if (await hasPartialReversal(trx, entryId)) throw new AppError(ledgerErrors['ledger.already_reversed']);
  const postings = await postingsOfEntry(trx, entryId);
  return postEntry(trx, {
    kind: input.kind ?? 'reversal',
    reference: original.reference,
    memo: input.memo,
    postedAtMs: input.postedAtMs,
    reverses: entryId,
    postings: postings.map((p) => ({
      accountId: p.ledger_account_id,
      amountFen: -p.amount_fen,
      counterparty: p.counterparty,
      memo: input.memo,
    })),
  });
}

/**
 * For each entry of a batch, the refusal of its partial reversal (null when it is none, or allowed).
 * The original is locked, so two partial reversals of one entry run one after the other and each sees
 * the other's sum. A reversal that moves money other than back along the original is a bug (asserted);
 * one that would together with the earlier ones move back more than the original moved is refused.
 */
async function partialReversalRefusals(
  trx: Tx,
  entries: readonly EntryInput[],
  deltas: ReadonlyArray<ReadonlyMap<string, number>>,
): Promise<Array<AppError | null>> {
  const reversedSoFar = new Map<string, Map<string, number>>();
  const refusals: Array<AppError | null> = [];
  for (const [i, entry] of entries.entries()) {
    const originalId = entry.reversesPartOf;
    if (originalId === undefined) {
      refusals.push(null);
      continue;
    }
    assert(entry.reverses === undefined, 'an entry reverses another in full or in part, not both');
    const original = await entryById(trx, originalId, { lock: true });
    assert(original, `journal entry ${originalId} does not exist`);
    if (await reversalOf(trx, originalId)) {
      refusals.push(new AppError(ledgerErrors['ledger.already_reversed']));
      continue;
    }
    const moved = new Map<string, number>();
    for (const p of await postingsOfEntry(trx, originalId)) {
      moved.set(p.ledger_account_id, (moved.get(p.ledger_account_id) ?? 0) + Number(p.amount_fen));
    }
    let sums = reversedSoFar.get(originalId);
    if (!sums) {
      sums = await partialReversalDeltas(trx, originalId);
      reversedSoFar.set(originalId, sums);
    }
    let exceeds = false;
    for (const [accountId, delta] of deltas[i]!) {
      const original = moved.get(accountId) ?? 0;
      assert(
        original !== 0 && Math.sign(delta) === -Math.sign(original),
        `reversal moves ${accountId} off its original`,
      );
      if (Math.abs((sums.get(accountId) ?? 0) + delta) > Math.abs(original)) exceeds = true;
    }
    if (exceeds) {
      refusals.push(new AppError(ledgerErrors['ledger.reversal_exceeds_original']));
      continue;
    }
    for (const [accountId, delta] of deltas[i]!) sums.set(accountId, (sums.get(accountId) ?? 0) + delta);
    refusals.push(null);
  }
  return refusals;
}
