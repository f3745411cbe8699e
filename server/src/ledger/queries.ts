import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { assert } from '../platform/assert.ts';
import { chinaDate, chinaDay, chinaDayNumberStartMs } from '../platform/business-day.ts';
import { AppError, requestErrors } from '../platform/errors.ts';
import type { Balance } from './service.ts';
import {
  accountBalances,
  type PostingDirection,
  type PostingRow,
  postingSumsByChinaDay,
  postingsNewestFirst,
  referencesWithEntryKind,
} from './store.ts';

/** Posted and available balances of the given accounts, read in one statement (one consistent snapshot). */
export async function balancesOf(db: Kysely<Database>, accountIds: readonly string[]): Promise<Map<string, Balance>> {
  const balances = new Map<string, Balance>();
  if (accountIds.length === 0) return balances;
  const rows = await accountBalances(db, accountIds);
  for (const row of rows)
    balances.set(row.id, { postedFen: row.posted_fen, availableFen: row.posted_fen - row.held_fen });
  return balances;
}

export const MAX_PAGE_SIZE = 200;

/**
 * The transfers among these references that another bank sent back (a `clearing_return` entry names
 * them): the money is back on the payer's account and there is no receipt of a completed payment.
 */
export async function returnedReferences(db: Kysely<Database>, references: readonly string[]): Promise<Set<string>> {
  return new Set(await referencesWithEntryKind(db, 'clearing_return', references));
}
/** A posting with its journal entry's kind and reference (a transfer's entry names the transfer). */
export type HistoryPosting = PostingRow & { entry_kind: string; entry_reference: string };
export type PostingsPage = { items: HistoryPosting[]; nextCursor: string | null };

/**
 * An account's postings, newest first, keyset-paged: the cursor names the last row shown, so paging
 * stays correct while new postings arrive. `fromMs` is inclusive, `toMs` exclusive.
 */
export async function postingsOf(
  db: Kysely<Database>,
  accountId: string,
  options: {
    fromMs?: number;
    toMs?: number;
    cursor?: string;
    direction?: PostingDirection;
    text?: string;
    limit: number;
  },
): Promise<PostingsPage> {
  assert(Number.isInteger(options.limit) && options.limit > 0 && options.limit <= MAX_PAGE_SIZE, 'page size');
  // One row more than the page shows tells whether there is a next page.
  const rows = await postingsNewestFirst(db, accountId, {
    fromMs: options.fromMs,
    toMs: options.toMs,
    direction: options.direction,
    text: options.text,
    before: options.cursor === undefined ? undefined : decodeCursor(options.cursor),
    limit: options.limit + 1,
  });
  const items = rows.slice(0, options.limit);
  const last = items.at(-1);
  const nextCursor = rows.length > options.limit && last ? encodeCursor(last.posted_at_ms, last.id) : null;
  return { items, nextCursor };
}

export function encodeCursor(postedAtMs: number, id: string): string {
  return Buffer.from(`${postedAtMs}:${id}`).toString('base64url');
}

/** Decodes a cursor from the client; anything we did not make is a 400, never a 500. */
export function decodeCursor(cursor: string): { postedAtMs: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16}):([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new AppError(requestErrors['request.invalid'], { reason: 'cursor' });
  return { postedAtMs: Number(match[1]), id: match[2]! };
}

export type DailyBalance = { date: string; balanceFen: number };

/**
 * End-of-day posted balance for each of the last `days` China-time days, today last (the 90-day chart).
 * One statement sums the postings before the window and per day inside it, so the figures are one snapshot.
 */
export async function dailyBalances(
  db: Kysely<Database>,
  accountId: string,
  days: number,
  nowMs: number,
): Promise<DailyBalance[]> {
  assert(Number.isInteger(days) && days > 0 && days <= 3660, 'days');
  const today = chinaDay(nowMs);
  const firstDay = today - days + 1;
  const windowStartMs = chinaDayNumberStartMs(firstDay);
  // Day -1 stands for "everything before the window": the opening balance.
  const rows = await postingSumsByChinaDay(db, accountId, windowStartMs);
  const byDay = new Map(rows.map((r) => [Number(r.day), Number(r.total)]));
  let balance = byDay.get(-1) ?? 0;
  const result: DailyBalance[] = [];
  for (let day = firstDay; day <= today; day++) {
    balance += byDay.get(day) ?? 0;
    result.push({ date: chinaDate(chinaDayNumberStartMs(day)), balanceFen: balance });
  }
  return result;
}
