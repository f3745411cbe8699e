import type { Db } from '../database.ts';
import { MAX_PAGE_SIZE, postingsOf } from '../ledger/index.ts';
import { chinaDate, DAY_MS } from '../platform/business-day.ts';
import { AppError, requestErrors } from '../platform/errors.ts';
import { maskNumber } from './numbers.ts';
import { localDateStartMs, ownAccount } from './overview.ts';
import type { StatementQuery } from './schema.ts';
import { renderStatementCsv, renderStatementPdf, type StatementLine } from './statement-render.ts';
import { customerById, type CustomerId } from './store.ts';

/**
 * Account statements: the ledger's postings on one account over whole local days, as a CSV or PDF
 * file. A limit on everything (TigerStyle): at most a year, at most 5,000 lines.
 */
export const STATEMENT_MAX_DAYS = 366;
export const STATEMENT_MAX_LINES = 5000;
/** Without `from`, a statement covers the 30 local days that end with `to`. */
export const STATEMENT_DEFAULT_DAYS = 30;

/** Whole local days, `fromDate` to `toDate` inclusive, and the instants they span (`toMs` exclusive). */
export type StatementPeriod = { fromDate: string; toDate: string; fromMs: number; toMs: number };

/** The period a statement request asks for: `to` defaults to today (local), `from` to 30 days before. */
export function statementPeriod(query: Pick<StatementQuery, 'from' | 'to'>, nowMs: number): StatementPeriod {
  const toDate = query.to ?? chinaDate(nowMs);
  const toMs = localDateStartMs(toDate) + DAY_MS;
  const fromMs = query.from ? localDateStartMs(query.from) : toMs - STATEMENT_DEFAULT_DAYS * DAY_MS;
  if (fromMs >= toMs || toMs - fromMs > STATEMENT_MAX_DAYS * DAY_MS) {
    throw new AppError(requestErrors['request.invalid'], { reason: `period (1 to ${STATEMENT_MAX_DAYS} days)` });
  }
  return { fromDate: chinaDate(fromMs), toDate, fromMs, toMs };
}

export type StatementFile = { filename: string; contentType: string; body: Buffer | string };

/** The customer's statement of one of their accounts, rendered in the asked format (CSV by default). */
export async function accountStatement(
  db: Db,
  customerId: CustomerId,
  accountId: string,
  query: StatementQuery,
  nowMs: number,
): Promise<StatementFile> {
  const account = await ownAccount(db, customerId, accountId);
  const period = statementPeriod(query, nowMs);
  const customer = await customerById(db, customerId);
  const data = {
    holderName: customer?.name ?? '',
    accountMasked: maskNumber(account.card_number ?? account.account_number),
    fromDate: period.fromDate,
    toDate: period.toDate,
    lines: await statementLines(db, account.id, period),
    openingFen: 0,
  };
  data.openingFen = await openingBalance(db, account.id, period, data.lines);
  const name = `statement-${account.account_number.slice(-4)}-${period.toDate}`;
  if (query.format === 'pdf') {
    return { filename: `${name}.pdf`, contentType: 'application/pdf', body: await renderStatementPdf(data) };
  }
  return { filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8', body: renderStatementCsv(data) };
}

/**
 * The balance at the start of the statement: before its first line, or, for a period without any,
 * after the last posting before it (zero for an account that had none).
 */
async function openingBalance(
  db: Db,
  accountId: string,
  period: StatementPeriod,
  lines: readonly StatementLine[],
): Promise<number> {
  const first = lines[0];
  if (first) return first.balanceAfterFen - first.amountFen;
  const before = await postingsOf(db, accountId, { toMs: period.fromMs, limit: 1 });
  return before.items[0]?.balance_after_fen ?? 0;
}

/** The period's postings, oldest first as a statement reads; at most STATEMENT_MAX_LINES (the newest). */
export async function statementLines(db: Db, accountId: string, period: StatementPeriod): Promise<StatementLine[]> {
  const lines: StatementLine[] = [];
  let cursor: string | undefined;
  do {
    const page = await postingsOf(db, accountId, {
      fromMs: period.fromMs,
      toMs: period.toMs,
      limit: MAX_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    for (const p of page.items) {
      lines.push({
        postedAtMs: p.posted_at_ms,
        memo: p.memo,
        counterparty: p.counterparty,
        amountFen: p.amount_fen,
        balanceAfterFen: p.balance_after_fen,
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && lines.length < STATEMENT_MAX_LINES);
  return lines.slice(0, STATEMENT_MAX_LINES).reverse();
}
