import { IdempotencyHeaders } from '../payments/schema.ts';
import { amountFen, idempotencyOf, registerAuthorizationRoutes, requestLang, sendOutcome } from '../payments/index.ts';
import type { AppContext } from '../platform/context.ts';
import { requireAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import {
  BillersOut,
  BillPaymentBody,
  BillPaymentOut,
  BillQueryBody,
  BillQueryOut,
  IdParams,
  SavedBillAccountIn,
  SavedBillAccountOut,
  SavedBillAccountsOut,
} from './schema.ts';
import {
  billerList,
  billPaymentOf,
  billReceipt,
  confirmBillPayment,
  queryBill,
  removeSavedBillAccount,
  resendBillChallenge,
  saveBillAccount,
  savedAccountList,
  startBillPayment,
} from './service.ts';

const lang = requestLang;

/** The biller catalogue, bill queries, bill payments and saved bill accounts (API.md, "Bill payment"). */
export function registerBillRoutes(app: App, ctx: AppContext) {
  const guard = { preHandler: [requireCustomer(), requireAccountAccess()] };
  const tags = ['bills'];

  app.get(
    '/api/v1/billers',
    { ...guard, schema: { tags, summary: 'The biller catalogue', response: { 200: BillersOut } } },
    async function billersHandler(request) {
      return billerList(ctx, lang(request));
    },
  );

  app.post(
    '/api/v1/bills/query',
    {
      ...guard,
      schema: { tags, summary: 'What is due on a bill account', body: BillQueryBody, response: { 200: BillQueryOut } },
    },
    async function queryBillHandler(request) {
      return queryBill(ctx, { ...request.body, lang: lang(request) });
    },
  );

  app.post(
    '/api/v1/bills/payments',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Start a bill payment',
        body: BillPaymentBody,
        headers: IdempotencyHeaders,
        response: { 201: BillPaymentOut },
      },
    },
    async function startBillPaymentHandler(request, reply) {
      const body = request.body;
      const outcome = await startBillPayment(ctx, {
        customerId: request.customerId,
        billerId: body.billerId,
        billAccount: body.billAccount,
        fromAccountId: body.fromAccountId,
        amountFen: amountFen(body.amount.amount),
        ip: request.ip ?? null,
        lang: lang(request),
        idempotency: idempotencyOf(request),
      });
      return sendOutcome(reply, outcome);
    },
  );

  registerAuthorizationRoutes(app, {
    path: '/api/v1/bills/payments/:id',
    params: IdParams,
    idParam: 'id',
    response: BillPaymentOut,
    tags,
    summaries: {
      authorize: 'Confirm a bill payment with the security medium',
      challenge: 'A fresh challenge for a bill payment: a resend, or another medium among the alternatives',
    },
    authorize: ({ id, ...answer }) => confirmBillPayment(ctx, { ...answer, paymentId: id }),
    challenge: ({ id, ...asked }) => resendBillChallenge(ctx, { ...asked, paymentId: id }),
  });

  app.get(
    '/api/v1/bills/payments/:id',
    { ...guard, schema: { tags, summary: 'A bill payment', params: IdParams, response: { 200: BillPaymentOut } } },
    async function billPaymentHandler(request) {
      return billPaymentOf(ctx, request.customerId, request.params.id, lang(request));
    },
  );

  app.get(
    '/api/v1/bills/payments/:id/receipt',
    {
      ...guard,
      schema: {
        tags,
        summary: 'The electronic receipt (PDF) of a completed bill payment',
        params: IdParams,
        produces: ['application/pdf'],
      },
    },
    async function billReceiptHandler(request, reply) {
      const receipt = await billReceipt(ctx, request.customerId, request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${receipt.fileName}"`)
        .header('cache-control', 'no-store')
        .send(receipt.pdf);
    },
  );

  app.get(
    '/api/v1/bills/accounts',
    {
      ...guard,
      schema: { tags, summary: 'Saved bill accounts ("my bills")', response: { 200: SavedBillAccountsOut } },
    },
    async function savedAccountsHandler(request) {
      return savedAccountList(ctx, request.customerId, lang(request));
    },
  );

  app.post(
    '/api/v1/bills/accounts',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Save a bill account',
        body: SavedBillAccountIn,
        response: { 200: SavedBillAccountOut, 201: SavedBillAccountOut },
      },
    },
    async function saveBillAccountHandler(request, reply) {
      const { created, saved } = await saveBillAccount(ctx, {
        customerId: request.customerId,
        ...request.body,
        lang: lang(request),
      });
      return reply.code(created ? 201 : 200).send(saved);
    },
  );

  app.delete(
    '/api/v1/bills/accounts/:id',
    { ...guard, schema: { tags, summary: 'Delete a saved bill account', params: IdParams, response: { 204: {} } } },
    async function deleteSavedBillAccountHandler(request, reply) {
      await removeSavedBillAccount(ctx, request.customerId, request.params.id);
      return reply.code(204).send();
    },
  );
}
