import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { requireCustomer } from '../auth/index.ts';
import { balancesOf, dailyBalances, MAX_PAGE_SIZE, postingsOf } from '../ledger/index.ts';
import { renderStatementCsv, renderStatementPdf, type StatementLine } from './statement-render.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, requestErrors } from '../platform/errors.ts';
import { ID_PATTERN } from '../platform/ids.ts';
import type { App } from '../platform/http/types.ts';
import { money } from '../platform/money.ts';
import { customerErrors as errors } from './errors.ts';
import { maskNumber } from './numbers.ts';
import { type AccountRow, accountById, accountsOf, customerById } from './store.ts';

const AccountParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** Statements cover at most a year and 5,000 lines (a limit on everything, TigerStyle). */
const STATEMENT_MAX_DAYS = 366;
const STATEMENT_MAX_LINES = 5000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** A China-time calendar date (`2026-11-24`) to the instant its day starts. */
function dayStartMs(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new AppError(requestErrors['request.invalid'], { reason: `date ${date}` });
  return ms - CHINA_OFFSET_MS;
}

/** The customer's accounts, balances, history and statements (API.md, "Accounts and payments"). */
export function registerAccountRoutes(app: App, ctx: AppContext) {
  const guard = { preHandler: requireCustomer(ctx) };
  const db = ctx.db.kysely;

  async function ownAccount(customerId: string, accountId: string): Promise<AccountRow> {
    const account = await accountById(db, accountId);
    // Someone else's account answers exactly like one that does not exist.
    if (!account || account.customer_id !== customerId) throw new AppError(errors['account.not_found']);
    return account;
  }

  app.get(
    '/api/v1/accounts',
    { ...guard, schema: { tags: ['accounts'], summary: 'Your accounts and balances' } },
    async (request) => {
      const accounts = await accountsOf(db, request.customerId);
      const balances = await balancesOf(
        db,
        accounts.map((a) => a.id),
      );
      return {
        items: accounts.map((account) => {
          const balance = balances.get(account.id) ?? { postedFen: 0, availableFen: 0 };
          return {
            id: account.id,
            number: maskNumber(account.card_number ?? account.account_number),
            type: account.kind,
            status: account.status,
            currency: account.currency,
            balance: money(balance.postedFen),
            available: money(balance.availableFen),
          };
        }),
      };
    },
  );

  app.get(
    '/api/v1/accounts/:id',
    {
      ...guard,
      schema: { tags: ['accounts'], summary: 'One account in full (its owner only)', params: AccountParams },
    },
    async (request, reply) => {
      const account = await ownAccount(request.customerId, request.params.id);
      const balance = (await balancesOf(db, [account.id])).get(account.id) ?? { postedFen: 0, availableFen: 0 };
      reply.header('cache-control', 'no-store');
      return {
        id: account.id,
        number: maskNumber(account.card_number ?? account.account_number),
        cardNumber: account.card_number,
        accountNumber: account.account_number,
        type: account.kind,
        status: account.status,
        currency: account.currency,
        branchCode: account.branch_code,
        openedAt: isoTime(account.opened_at_ms),
        balance: money(balance.postedFen),
        available: money(balance.availableFen),
      };
    },
  );

  app.get(
    '/api/v1/accounts/:id/transactions',
    {
      ...guard,
      schema: {
        tags: ['accounts'],
        summary: 'Transaction history, newest first',
        params: AccountParams,
        querystring: Type.Object(
          {
            from: Type.Optional(DateText),
            to: Type.Optional(DateText),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const account = await ownAccount(request.customerId, request.params.id);
      const page = await postingsOf(db, account.id, {
        ...(request.query.from ? { fromMs: dayStartMs(request.query.from) } : {}),
        ...(request.query.to ? { toMs: dayStartMs(request.query.to) + 86_400_000 } : {}),
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        limit: Math.min(request.query.limit ?? 20, MAX_PAGE_SIZE),
      });
      return {
        items: page.items.map((posting) => ({
          id: posting.id,
          amount: money(posting.amount_fen),
          balanceAfter: money(posting.balance_after_fen),
          counterparty: posting.counterparty,
          memo: posting.memo,
          postedAt: isoTime(posting.posted_at_ms),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/accounts/:id/balance-history',
    {
      ...guard,
      schema: {
        tags: ['accounts'],
        summary: 'End-of-day balances (China time) for the chart',
        params: AccountParams,
        querystring: Type.Object(
          { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 90 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const account = await ownAccount(request.customerId, request.params.id);
      const days = await dailyBalances(db, account.id, request.query.days ?? 90, ctx.clock.nowMs());
      return { items: days.map((day) => ({ date: day.date, balance: money(day.balanceFen) })) };
    },
  );

  app.get(
    '/api/v1/accounts/:id/statement',
    {
      ...guard,
      schema: {
        tags: ['accounts'],
        summary: 'A statement as CSV or PDF',
        params: AccountParams,
        querystring: Type.Object(
          {
            from: Type.Optional(DateText),
            to: Type.Optional(DateText),
            format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('pdf')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const account = await ownAccount(request.customerId, request.params.id);
      const customer = await customerById(db, request.customerId);
      const nowMs = ctx.clock.nowMs();
      const toDate = request.query.to ?? new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
      const toMs = dayStartMs(toDate) + 86_400_000;
      const fromMs = request.query.from ? dayStartMs(request.query.from) : toMs - 30 * 86_400_000;
      if (fromMs >= toMs || toMs - fromMs > STATEMENT_MAX_DAYS * 86_400_000) {
        throw new AppError(requestErrors['request.invalid'], { reason: `period (1 to ${STATEMENT_MAX_DAYS} days)` });
      }
      const lines = await statementLines(account.id, fromMs, toMs);
      const data = {
        holderName: customer?.name ?? '',
        accountMasked: maskNumber(account.card_number ?? account.account_number),
        fromDate: new Date(fromMs + CHINA_OFFSET_MS).toISOString().slice(0, 10),
        toDate,
        lines,
      };
      const name = `statement-${account.account_number.slice(-4)}-${toDate}`;
      if (request.query.format === 'pdf') {
        return sendFile(reply, 'application/pdf', `${name}.pdf`, await renderStatementPdf(data));
      }
      return sendFile(reply, 'text/csv; charset=utf-8', `${name}.csv`, renderStatementCsv(data));
    },
  );

  /** Oldest first, as a statement reads; bounded. */
  async function statementLines(accountId: string, fromMs: number, toMs: number): Promise<StatementLine[]> {
    const lines: StatementLine[] = [];
    let cursor: string | undefined;
    do {
      const page = await postingsOf(db, accountId, {
        fromMs,
        toMs,
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
    return lines.reverse();
  }
}

function sendFile(reply: FastifyReply, type: string, filename: string, body: Buffer | string) {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(body);
}
