import type { FastifyReply } from 'fastify';
import { requestHash } from '../ledger/index.ts';
import { idempotently } from '../payments/index.ts';
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/types.ts';
import { approvalsOf, decide, operationOfBranch } from './approvals.ts';
import { takeCash } from './cash.ts';
import { openCardAccount, registerCustomer } from './customer-ops.ts';
import { requireStaff } from './guard.ts';
import type { Performed } from './operations.ts';
import { customerDetail, searchCustomers } from './queries.ts';
import { renderCounterReceipt } from './receipt.ts';
import {
  ApprovalDecision,
  ApprovalList,
  ApprovalRequired,
  ApprovalsQuery,
  CashAnswer,
  CashBody,
  CustomerDetail,
  CustomerSearchAnswer,
  CustomerSearchQuery,
  IdempotencyHeaders,
  IdParams,
  NewCustomerAnswer,
  NewCustomerBody,
  OpenAccountBody,
  OpenedAccount,
  ReceiptFile,
  ReceiptParams,
  RejectBody,
} from './schema.ts';

/** Sends an operation's outcome: 202 with the approval id when it waits for a supervisor. */
export function sendPerformed(
  reply: FastifyReply,
  performed: Performed,
  body: (reply: Record<string, unknown>) => unknown,
) {
  if (performed.status === 'approval_required')
    return reply.code(202).send({ status: 'approval_required', approvalId: performed.approvalId });
  return reply.code(200).send(body({ ...performed.reply, operationId: performed.operationId }));
}

/** Teller operations, approvals and receipts (API.md, "Counter"); every route needs a staff session. */
export async function registerOperationRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;
  const tags = ['counter'];
  const staffOnly = { preHandler: requireStaff(ctx) };
  const tx = <T>(work: (trx: Tx) => Promise<T>): Promise<T> =>
    withTransaction(db, work).finally(() => ctx.kickOutbox());

  app.get(
    '/api/v1/counter/approvals',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: "The branch's approval requests (pending ones with state=pending)",
        querystring: ApprovalsQuery,
        response: { 200: ApprovalList },
      },
    },
    function listApprovals(request) {
      return approvalsOf(ctx, request.staffSession.staff, request.query.state);
    },
  );

  app.post(
    '/api/v1/counter/approvals/:id/approve',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Approve a pending request: it takes effect now',
        params: IdParams,
        response: { 200: ApprovalDecision },
      },
    },
    function approve(request) {
      return decide(ctx, request.staffSession.staff, request.params.id, { kind: 'approve' }, request.ip);
    },
  );

  app.post(
    '/api/v1/counter/approvals/:id/reject',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Reject a pending request, with a reason: it never takes effect',
        params: IdParams,
        body: RejectBody,
        response: { 200: ApprovalDecision },
      },
    },
    function reject(request) {
      return decide(
        ctx,
        request.staffSession.staff,
        request.params.id,
        { kind: 'reject', reason: request.body.reason },
        request.ip,
      );
    },
  );

  app.get(
    '/api/v1/counter/receipts/:file',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'The counter receipt of an operation, `{operationId}.pdf`, for the customer to sign',
        params: ReceiptParams,
        produces: ['application/pdf'],
        response: { 200: ReceiptFile },
      },
    },
    async function downloadReceipt(request, reply) {
      const operationId = request.params.file.slice(0, -'.pdf'.length);
      const op = await operationOfBranch(ctx, request.staffSession.staff, operationId);
      const pdf = await renderCounterReceipt(ctx, op);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="counter-receipt-${op.id}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/api/v1/counter/customers',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Find a customer by ID number, card, account or mobile',
        querystring: CustomerSearchQuery,
        response: { 200: CustomerSearchAnswer },
      },
    },
    function findCustomers(request) {
      return searchCustomers(ctx, request.query.q);
    },
  );

  app.get(
    '/api/v1/counter/customers/:id',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'A customer: identity, accounts in full, e-banking, media, recent events',
        params: IdParams,
        response: { 200: CustomerDetail },
      },
    },
    function showCustomer(request) {
      return customerDetail(ctx, request.params.id);
    },
  );

  app.post(
    '/api/v1/counter/customers',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Register a customer (resident ID with its check digit, mobile)',
        body: NewCustomerBody,
        response: { 201: NewCustomerAnswer },
      },
    },
    async function postCustomer(request, reply) {
      const staff = request.staffSession.staff;
      const created = await tx((trx) => registerCustomer(trx, ctx, staff, request.body, request.ip));
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/v1/counter/customers/:id/accounts',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Open a debit-card account; the customer keys the card PIN',
        params: IdParams,
        body: OpenAccountBody,
        response: { 201: OpenedAccount },
      },
    },
    async function postAccount(request, reply) {
      const staff = request.staffSession.staff;
      const opened = await tx((trx) =>
        openCardAccount(trx, ctx, staff, request.params.id, request.body.cardPin, request.ip),
      );
      return reply.code(201).send(opened);
    },
  );

  app.post(
    '/api/v1/counter/cash',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Cash deposit or withdrawal (Idempotency-Key); above ¥50,000.00 a supervisor approves',
        body: CashBody,
        headers: IdempotencyHeaders,
        response: { 201: CashAnswer, 202: ApprovalRequired },
      },
    },
    async function postCash(request, reply) {
      const staff = request.staffSession.staff;
      const key = request.headers['idempotency-key'];
      const ref =
        typeof key === 'string'
          ? {
              scope: `counter:${staff.id}`,
              key,
              requestHash: requestHash(request.method, request.routeOptions.url ?? request.url, request.body),
            }
          : null;
      const outcome = await idempotently(ctx, ref, async (trx) => {
        const { amount, ...rest } = request.body;
        const done = await takeCash(trx, ctx, staff, { ...rest, amount: amount.amount }, request.ip);
        if (done.status === 'approval_required')
          return { status: 202, body: { status: 'approval_required', approvalId: done.approvalId } };
        return { status: 201, body: done };
      });
      ctx.kickOutbox();
      // The answer is sent as stored (a replay is the first answer's JSON), past the typed reply.
      const raw = reply as unknown as FastifyReply;
      raw.code(outcome.status);
      if (outcome.replayed) raw.header('idempotency-replayed', 'true');
      if ('json' in outcome) return raw.type('application/json; charset=utf-8').send(outcome.json);
      return raw.send(outcome.body);
    },
  );
}
