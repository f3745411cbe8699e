import type { AppContext } from '../platform/context.ts';
import { requireAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { amountFen, idempotencyOf, registerAuthorizationRoutes, requestLang, sendOutcome } from './payment-routes.ts';
import {
  BanksOut,
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

const lang = requestLang;

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
        idempotency: idempotencyOf(request),
      });
      return sendOutcome(reply, outcome);
    },
  );

  registerAuthorizationRoutes(app, {
    path: '/api/v1/transfers/:id',
    params: IdParams,
    idParam: 'id',
    response: TransferOut,
    tags,
    summaries: {
      authorize: 'Confirm a transfer with the security medium',
      challenge: 'A fresh challenge for a transfer: a resend, or another medium among the alternatives',
    },
    authorize: ({ id, ...answer }) => confirmTransfer(ctx, { ...answer, transferId: id }),
    challenge: ({ id, ...asked }) => resendTransferChallenge(ctx, { ...asked, transferId: id }),
  });

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
