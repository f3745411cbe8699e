import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { assert } from '../platform/assert.ts';
import { newId } from '../platform/ids.ts';
import { MAX_FEN } from '../platform/money.ts';
import { ledgerErrors } from './errors.ts';
import { AppError } from '../platform/errors.ts';
import {
  adjustAccounts,
  bankAccountByCode,
  entryById,
  isTrue,
  type LedgerAccountKind,
  lockAccounts,
  postingsOfEntry,
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
  await trx
    .insertInto('ledger_account')
    .values({
      id,
      kind: input.kind,
      code: input.code ?? null,
      name: input.name,
      currency: 'CNY',
      allow_negative: input.allowNegative,
      posted_fen: 0,
      held_fen: 0,
      version: 0,
      updated_at_ms: input.nowMs,
    })
    .execute();
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
    await trx
      .insertInto('ledger_account')
      .values({
        id: newId<'LedgerAccount'>(),
        kind: 'bank',
        code,
        name,
        currency: 'CNY',
        allow_negative: true,
        posted_fen: 0,
        held_fen: 0,
        version: 0,
        updated_at_ms: nowMs,
      })
      // Two instances starting at once both try: the unique code decides, neither fails.
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
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
  kind: string;
  reference: string;
  memo: string;
  postedAtMs: number;
  postings: readonly PostingInput[];
  reverses?: string;
};
export type Balance = { postedFen: number; availableFen: number };
export type PostedEntry = { entryId: string; balances: Record<string, Balance> };

/** Posts a balanced journal entry in the caller's transaction. Refuses to overdraw a customer account. */
export function postEntry(trx: Kysely<Database>, entry: EntryInput): Promise<PostedEntry> {
  return applyEntry(trx, entry, new Map());
}

/**
 * The one place money moves. `releases` are hold amounts per account to release in the same step
 * (postHold), so the available-balance check sees the account as it will be after both.
 * Everything is checked before the first write, so a refusal leaves nothing behind.
 */
export async function applyEntry(
  trx: Kysely<Database>,
  entry: EntryInput,
  releases: ReadonlyMap<string, number>,
): Promise<PostedEntry> {
  const deltas = checkedDeltas(entry.postings);
  const ids = [...new Set([...deltas.keys(), ...releases.keys()])].sort();
  const locked = await lockAccounts(trx, ids);
  assert(locked.length === ids.length, `posting to a ledger account that does not exist: ${ids.join(', ')}`);
  for (const account of locked) {
    const posted = account.posted_fen + (deltas.get(account.id) ?? 0);
    const held = account.held_fen - (releases.get(account.id) ?? 0);
    assert(held >= 0, `releasing more than is held on ${account.id}`);
    if (!isTrue(account.allow_negative) && posted - held < 0) {
      throw new AppError(ledgerErrors['payment.insufficient_funds'], {}, { accountId: account.id });
    }
  }
  const entryId = newId<'JournalEntry'>();
  await trx
    .insertInto('journal_entry')
    .values({
      id: entryId,
      kind: entry.kind,
      reference: entry.reference,
      memo: entry.memo,
      reverses_entry_id: entry.reverses ?? null,
      posted_at_ms: entry.postedAtMs,
    })
    .execute();
  const balances: Record<string, Balance> = {};
  const changes = locked.map((account) => ({
    id: account.id,
    postedDeltaFen: deltas.get(account.id) ?? 0,
    heldDeltaFen: -(releases.get(account.id) ?? 0),
  }));
  const stored = await adjustAccounts(trx, changes, entry.postedAtMs);
  for (const [i, account] of locked.entries()) {
    const after = stored.get(account.id);
    assert(after, `ledger account ${account.id} was not updated`);
    // We hold the row lock, so the stored result must be exactly what we computed from the locked read.
    assert(
      after.posted_fen === account.posted_fen + (changes[i]?.postedDeltaFen ?? 0),
      `lost update on ledger account ${account.id}`,
    );
    balances[account.id] = { postedFen: after.posted_fen, availableFen: after.posted_fen - after.held_fen };
  }
  await insertPostings(trx, entryId, entry, locked);
  return { entryId, balances };
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

/** Writes the postings, each with the account's balance right after it (a running balance within the entry). */
async function insertPostings(
  trx: Kysely<Database>,
  entryId: string,
  entry: EntryInput,
  locked: ReadonlyArray<{ id: string; posted_fen: number }>,
) {
  const running = new Map(locked.map((a) => [a.id, a.posted_fen]));
  const rows = entry.postings.map((p) => {
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
  await trx.insertInto('posting').values(rows).execute();
}

/**
 * Corrects a posted entry by posting its opposite; the original is never changed. Reversing twice is
 * refused (and the unique reverses_entry_id column would refuse it too). Reversing may itself be refused
 * for insufficient funds when the credited customer has spent the money meanwhile.
 */
export async function reverseEntry(
  trx: Kysely<Database>,
  entryId: string,
  input: { memo: string; postedAtMs: number; kind?: string },
): Promise<PostedEntry> {
  // Locking the original serialises two reversals of it: the second then sees the first and is refused.
  const original = await entryById(trx, entryId, { lock: true });
  assert(original, `journal entry ${entryId} does not exist`);
  const existing = await trx
    .selectFrom('journal_entry')
    .select('id')
    .where('reverses_entry_id', '=', entryId)
    .executeTakeFirst();
  if (existing) throw new AppError(ledgerErrors['ledger.already_reversed'], {}, { reversalEntryId: existing.id });
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
