import type { Tx } from '../database.ts';
import { assert } from '../platform/assert.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { MAX_FEN } from '../platform/money.ts';
import { ledgerErrors } from './errors.ts';
import { type EntryInput, type PostedEntry, postEntry } from './service.ts';
import { adjustAccount, closeOpenHold, type HoldRow, insertHold, isTrue, lockAccounts, lockHold } from './store.ts';

/**
 * Holds reserve part of an account's balance (an inter-bank transfer waiting for clearing, a card
 * authorisation): the money stays posted but is no longer available. A hold ends exactly once, either
 * posted (its entry is written in the same step) or voided (the money becomes available again).
 */
export async function placeHold(
  trx: Tx,
  input: { accountId: string; amountFen: number; reference: string; nowMs: number },
): Promise<string> {
  assert(Number.isSafeInteger(input.amountFen) && input.amountFen > 0, 'a hold is a positive integer amount');
  assert(input.amountFen <= MAX_FEN, 'hold amount is beyond any real amount');
  const [account] = await lockAccounts(trx, [input.accountId]);
  assert(account, `ledger account ${input.accountId} does not exist`);
  if (!isTrue(account.allow_negative) && account.posted_fen - account.held_fen - input.amountFen < 0) {
    throw new AppError(ledgerErrors['payment.insufficient_funds'], {}, { accountId: account.id });
  }
  const id = newId<'Hold'>();
  await insertHold(trx, {
    id,
    ledger_account_id: input.accountId,
    amount_fen: input.amountFen,
    status: 'open',
    reference: input.reference,
    created_at_ms: input.nowMs,
    closed_at_ms: null,
  });
  await adjustAccount(trx, { id: account.id, postedDeltaFen: 0, heldDeltaFen: input.amountFen, nowMs: input.nowMs });
  return id;
}

/**
 * Releases the hold and posts `entry` atomically. The entry must touch the held account (normally debiting
 * it by the held amount); the available-balance check counts the released hold as available again.
 */
export async function postHold(trx: Tx, holdId: string, entry: EntryInput): Promise<PostedEntry> {
  const hold = await openHold(trx, holdId);
  assert(
    entry.postings.some((p) => p.accountId === hold.ledger_account_id),
    `the entry posting hold ${holdId} does not touch its account`,
  );
  const posted = await postEntry(trx, { ...entry, releases: new Map([[hold.ledger_account_id, hold.amount_fen]]) });
  await closeHold(trx, hold, 'posted', entry.postedAtMs);
  return posted;
}

/** Releases the hold without moving money. */
export async function voidHold(trx: Tx, holdId: string, nowMs: number): Promise<void> {
  const hold = await openHold(trx, holdId);
  await adjustAccount(trx, { id: hold.ledger_account_id, postedDeltaFen: 0, heldDeltaFen: -hold.amount_fen, nowMs });
  await closeHold(trx, hold, 'voided', nowMs);
}

/**
 * Locks the hold row first (before any account: the fixed order hold → accounts), so two attempts to
 * close the same hold run one after the other and the second sees it closed.
 */
async function openHold(trx: Tx, holdId: string): Promise<HoldRow> {
  const hold = await lockHold(trx, holdId);
  assert(hold, `hold ${holdId} does not exist`);
  if (hold.status !== 'open') {
    throw new AppError(ledgerErrors['ledger.hold_closed'], {}, { holdId, status: hold.status });
  }
  return hold;
}

async function closeHold(trx: Tx, hold: HoldRow, status: 'posted' | 'voided', nowMs: number) {
  const closed = await closeOpenHold(trx, hold.id, status, nowMs);
  assert(closed, `hold ${hold.id} was closed by someone else while locked`);
}
