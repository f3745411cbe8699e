import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { AppError, pickLanguage, requestErrors } from '../platform/errors.ts';
import { requireAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { parseMoney } from '../platform/money.ts';
import type { Outcome } from './idempotent.ts';
import {
  AuthorizeBody,
  BanksOut,
  ChallengeBody,
  CreateTransferBody,
  IdempotencyHeaders,
  IdParams,
  LimitsBody,
  LimitsOut,
  PayeeIn,
  PayeeOut,
  PayeesOut,
  TransferOut,
} from './schema.ts';
import {
  addPayee,
  bankList,
  confirmTransfer,
  limitsView,
  payeeList,
  removePayee,
  resendTransferChallenge,
  setOwnLimits,
  startTransfer,
  transferOf,
  transferReceipt,
} from './service.ts';

const lang = (request: FastifyRequest) => pickLanguage(request.headers['accept-language']);

/** A money field as fen; a zero or malformed amount is the client's error (API.md: positive). */
function amountFen(text: string): number {
  const parsed = parseMoney(text);
  if (!parsed.ok || parsed.fen <= 0) {
    throw new AppError(requestErrors['request.invalid'], { reason: `amount (${parsed.ok ? 'zero' : parsed.reason})` });
  }
  return parsed.fen;
}

/** Sends an outcome of a money-moving request; a replayed answer says so (`Idempotency-Replayed`). */
function sendOutcome(reply: FastifyReply, outcome: Outcome) {
  reply.code(outcome.status);
  if (outcome.replayed) reply.header('idempotency-replayed', 'true');
  if ('json' in outcome) return reply.type('application/json; charset=utf-8').send(outcome.json);
  return reply.send(outcome.body);
}

/** Transfers, payees and limits (API.md, "Accounts and payments"). */
export function registerPaymentRoutes(app: App, ctx: AppContext) {
  // No money moves for a customer who registered on the phone until a card is bound (registration).
  const guard = { preHandler: [requireCustomer(), requireAccountAccess()] };
  const tags = ['payments'];

  app.post(
    '/api/v1/transfers',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Start a transfer',
        body: CreateTransferBody,
        headers: IdempotencyHeaders,
        response: { 201: TransferOut },
      },
    },
    async function createTransferHandler(request, reply) {
      const key = request.headers['idempotency-key'];
      const body = request.body;
      const outcome = await startTransfer(ctx, {
        customerId: request.customerId,
        fromAccountId: body.fromAccountId,
        payee: body.payee,
        payeeId: body.payeeId,
        amountFen: amountFen(body.amount.amount),
        memo: body.memo,
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
    '/api/v1/transfers/:id/authorize',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Confirm a transfer with the security medium',
        params: IdParams,
        body: AuthorizeBody,
        response: { 200: TransferOut },
      },
    },
    async function authorizeTransferHandler(request) {
      return confirmTransfer(ctx, {
        customerId: request.customerId,
        transferId: request.params.id,
        method: request.body.method,
        response: request.body.response as string | Record<string, unknown>,
        ip: request.ip ?? null,
        lang: lang(request),
      });
    },
  );

  app.post(
    '/api/v1/transfers/:id/challenge',
    {
      ...guard,
      schema: {
        tags,
        summary: 'A fresh challenge for a transfer: a resend, or another medium among the alternatives',
        params: IdParams,
        body: ChallengeBody,
        response: { 200: TransferOut },
      },
    },
    async function resendChallengeHandler(request) {
      return resendTransferChallenge(ctx, {
        customerId: request.customerId,
        transferId: request.params.id,
        method: request.body?.method,
        lang: lang(request),
      });
    },
  );

  app.get(
    '/api/v1/transfers/:id',
    { ...guard, schema: { tags, summary: 'A transfer', params: IdParams, response: { 200: TransferOut } } },
    async function transferHandler(request) {
      return transferOf(ctx, request.customerId, request.params.id, lang(request));
    },
  );

  app.get(
    '/api/v1/transfers/:id/receipt',
    {
      ...guard,
      schema: {
        tags,
        summary: 'The electronic receipt (PDF) of a completed transfer',
        params: IdParams,
        produces: ['application/pdf'],
      },
    },
    async function receiptHandler(request, reply) {
      const receipt = await transferReceipt(ctx, request.customerId, request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${receipt.fileName}"`)
        .header('cache-control', 'no-store')
        .send(receipt.pdf);
    },
  );

  app.get(
    '/api/v1/payees',
    { ...guard, schema: { tags, summary: 'Saved payees', response: { 200: PayeesOut } } },
    async function payeesHandler(request) {
      return payeeList(ctx, request.customerId, lang(request));
    },
  );

  app.post(
    '/api/v1/payees',
    { ...guard, schema: { tags, summary: 'Save a payee', body: PayeeIn, response: { 201: PayeeOut } } },
    async function savePayeeHandler(request, reply) {
      const payee = await addPayee(ctx, { customerId: request.customerId, ...request.body, lang: lang(request) });
      return reply.code(201).send(payee);
    },
  );

  app.delete(
    '/api/v1/payees/:id',
    { ...guard, schema: { tags, summary: 'Delete a saved payee', params: IdParams, response: { 204: {} } } },
    async function deletePayeeHandler(request, reply) {
      await removePayee(ctx, request.customerId, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/banks',
    { schema: { tags, summary: 'Banks a customer can pay to', response: { 200: BanksOut } } },
    async function banksHandler(request) {
      return bankList(lang(request));
    },
  );

  app.get(
    '/api/v1/limits',
    { ...guard, schema: { tags, summary: 'Payment limits and what is used', response: { 200: LimitsOut } } },
    async function limitsHandler(request) {
      return limitsView(ctx, request.customerId);
    },
  );

  app.put(
    '/api/v1/limits',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Set your own (lower) limits',
        body: LimitsBody,
        response: { 200: LimitsOut },
      },
    },
    async function setLimitsHandler(request) {
      const { perPayment, daily } = request.body;
      return setOwnLimits(ctx, {
        customerId: request.customerId,
        perPaymentFen: perPayment ? amountFen(perPayment.amount) : null,
        dailyFen: daily ? amountFen(daily.amount) : null,
      });
    },
  );
}
