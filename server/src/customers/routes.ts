import type { AppContext } from '../platform/context.ts';
import { hasAccountAccess, requireAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { accountDetail, accountList, balanceHistory, transactionPage } from './overview.ts';
import {
  AccountDetail,
  AccountList,
  AccountParams,
  BalanceHistory,
  BalanceHistoryQuery,
  StatementFile,
  StatementQuery,
  TransactionPage,
  TransactionsQuery,
} from './schema.ts';
import { accountStatement } from './statements.ts';

/** The customer's accounts, balances, history and statements (API.md, "Accounts and payments"). */
export function registerAccountRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;
  // A customer who registered on the phone uses their accounts only once a card is bound (registration).
  const guard = { preHandler: [requireCustomer(), requireAccountAccess()] };
  const tags = ['accounts'];

  app.get(
    '/api/v1/accounts',
    {
      preHandler: requireCustomer(),
      schema: { tags, summary: 'Your accounts and balances', response: { 200: AccountList } },
    },
    async function listAccounts(request) {
      // Before a card is bound the list is empty (not refused): the app shows "bind a card" instead.
      if (!(await hasAccountAccess(request))) return { items: [] };
      return accountList(db, request.customerId);
    },
  );

  app.get(
    '/api/v1/accounts/:id',
    {
      ...guard,
      schema: {
        tags,
        summary: 'One account in full (its owner only)',
        params: AccountParams,
        response: { 200: AccountDetail },
      },
    },
    // The full card and account numbers: platform/http/no-store.ts keeps every cache from storing them.
    function showAccount(request) {
      return accountDetail(db, request.customerId, request.params.id);
    },
  );

  app.get(
    '/api/v1/accounts/:id/transactions',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Transaction history, newest first, paged by cursor',
        params: AccountParams,
        querystring: TransactionsQuery,
        response: { 200: TransactionPage },
      },
    },
    function listTransactions(request) {
      return transactionPage(db, request.customerId, request.params.id, request.query);
    },
  );

  app.get(
    '/api/v1/accounts/:id/balance-history',
    {
      ...guard,
      schema: {
        tags,
        summary: 'End-of-day balances (Beijing time) for the chart',
        params: AccountParams,
        querystring: BalanceHistoryQuery,
        response: { 200: BalanceHistory },
      },
    },
    function showBalanceHistory(request) {
      return balanceHistory(db, request.customerId, request.params.id, request.query.days ?? 90, ctx.clock.nowMs());
    },
  );

  app.get(
    '/api/v1/accounts/:id/statement',
    {
      ...guard,
      schema: {
        tags,
        summary: 'A statement as CSV or PDF',
        params: AccountParams,
        querystring: StatementQuery,
        produces: ['text/csv', 'application/pdf'],
        response: { 200: StatementFile },
      },
    },
    async function downloadStatement(request, reply) {
      const file = await accountStatement(db, request.customerId, request.params.id, request.query, ctx.clock.nowMs());
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );
}
