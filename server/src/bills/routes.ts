import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthorizeBody, IdempotencyHeaders } from '../payments/schema.ts';
import type { Outcome } from '../payments/index.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, pickLanguage, requestErrors } from '../platform/errors.ts';
import { requireAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { parseMoney } from '../platform/money.ts';
import {
  BillChallengeBody,
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

const lang = (request: FastifyRequest) => pickLanguage(request.headers['accept-language']);

/** A money field as fen; a zero or malformed amount is the client's error. */
function amountFen(text: string): number {
  const parsed = parseMoney(text);
  if (!parsed.ok || parsed.fen <= 0) {
    throw new AppError(requestErrors['request.invalid'], { reason: `amount (${parsed.ok ? 'zero' : parsed.reason})` });
  }
  return parsed.fen;
}

function sendOutcome(reply: FastifyReply, outcome: Outcome) {
  reply.code(outcome.status);
  if (outcome.replayed) reply.header('idempotency-replayed', 'true');
  if ('json' in outcome) return reply.type('application/json; charset=utf-8').send(outcome.json);
  return reply.send(outcome.body);
}

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
      const key = request.headers['idempotency-key'];
      const body = request.body;
      const outcome = await startBillPayment(ctx, {
        customerId: request.customerId,
        billerId: body.billerId,
        billAccount: body.billAccount,
        fromAccountId: body.fromAccountId,
        amountFen: amountFen(body.amount.amount),
        ip: request.ip ?? null,
        lang: lang(request),
        idempotency:
          typeof key === 'string'
            ? { key, method: request.method, url: request.routeOptions.url ?? request.url, body }
            : null,
      });
      return sendOutcome(reply, outcome);
    },
  );

  app.post(
    '/api/v1/bills/payments/:id/authorize',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Confirm a bill payment with the security medium',
        params: IdParams,
        body: AuthorizeBody,
        response: { 200: BillPaymentOut },
      },
    },
    async function authorizeBillPaymentHandler(request) {
      return confirmBillPayment(ctx, {
        customerId: request.customerId,
        paymentId: request.params.id,
        method: request.body.method,
        response: request.body.response as string | Record<string, unknown>,
        ip: request.ip ?? null,
        lang: lang(request),
      });
    },
  );

  app.post(
    '/api/v1/bills/payments/:id/challenge',
    {
      ...guard,
      schema: {
        tags,
        summary: 'A fresh challenge for a bill payment: a resend, or another medium among the alternatives',
        params: IdParams,
        body: BillChallengeBody,
        response: { 200: BillPaymentOut },
      },
    },
    async function resendBillChallengeHandler(request) {
      return resendBillChallenge(ctx, {
        customerId: request.customerId,
        paymentId: request.params.id,
        method: request.body?.method,
        lang: lang(request),
      });
    },
  );

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
