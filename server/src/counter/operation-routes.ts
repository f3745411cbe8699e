import type { FastifyReply } from 'fastify';
import { requestHash } from '../ledger/index.ts';
import { idempotently } from '../payments/index.ts';
import type { Tx } from '../database.ts';
import type { TSchema } from 'typebox';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/types.ts';
import { AppError } from '../platform/errors.ts';
import { counterErrors } from './errors.ts';
import { approvalsOf, decide, operationOfBranch } from './approvals.ts';
import { closeAccount, freezeAccount, unfreezeAccount } from './account-ops.ts';
import { takeCash } from './cash.ts';
import { openCardAccount, registerCustomer } from './customer-ops.ts';
import {
  registerEbanking,
  requestMobileChange,
  resetPassword,
  resumeEbanking,
  setInvestigation,
  suspendEbanking,
  switchEcommerce,
  unlockEbanking,
} from './ebanking-ops.ts';
import { merchantsForAdmin, registerMerchantAtCounter, switchMerchant } from '../merchants/index.ts';
import { requireStaff } from './guard.ts';
import { issueMedium, printPasswordCard, reissueMedium, revokeMedium, unlockMedium } from './media-ops.ts';
import type { Performed } from './operations.ts';
import { customerDetail, searchCustomers } from './queries.ts';
import { renderCounterReceipt } from './receipt.ts';
import type { StaffRow } from './store.ts';
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
  EbankingBody,
  EcommerceBody,
  EmptyBody,
  IdempotencyHeaders,
  IdParams,
  InvestigationBody,
  IssuedMedium,
  IssueMediumBody,
  MerchantAdminList,
  MerchantAdminView,
  MerchantParams,
  NewMerchantBody,
  MobileBody,
  NewCustomerAnswer,
  NewCustomerBody,
  OpenAccountBody,
  OpenedAccount,
  OperationDone,
  OptionalReasonBody,
  ReasonBody,
  ReceiptFile,
  ReceiptParams,
  RejectBody,
  ReissueMediumBody,
  RevokeMediumBody,
  TemporaryPasswordAnswer,
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
      // Cash crosses the desk once: a retried request without a key could post it twice.
      if (typeof key !== 'string') throw new AppError(counterErrors['counter.idempotency_key_required']);
      const ref = {
        scope: `counter:${staff.id}`,
        key,
        requestHash: requestHash(request.method, request.routeOptions.url ?? request.url, request.body),
      };
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

  const customerOp = <B>(
    url: string,
    summary: string,
    body: TSchema | null,
    run: (trx: Tx, staff: StaffRow, id: string, body: B, ip: string) => Promise<Performed>,
    done: TSchema = OperationDone,
    method: 'POST' | 'PUT' = 'POST',
  ) =>
    app.route({
      method,
      url,
      ...staffOnly,
      schema: {
        tags,
        summary,
        params: IdParams,
        ...(body ? { body } : {}),
        response: { 200: done, 202: ApprovalRequired },
      },
      async handler(request, reply) {
        const { id } = request.params as { id: string };
        const staff = request.staffSession.staff;
        const performed = await tx((trx) => run(trx, staff, id, request.body as B, request.ip));
        return sendPerformed(reply, performed, (answer) => ({ status: 'completed', ...answer }));
      },
    });

  customerOp(
    '/api/v1/counter/customers/:id/ebanking',
    'Register online banking with a 6–8 digit initial password (not activated until the first sign-in)',
    EbankingBody,
    (trx, staff, id, body: { initialPassword: string }, ip) =>
      registerEbanking(trx, ctx, staff, id, body.initialPassword, ip),
  );
  customerOp(
    '/api/v1/counter/customers/:id/password-reset',
    'Reset the login password: a temporary one, effective at once (approval under investigation)',
    EmptyBody,
    (trx, staff, id, _body, ip) => resetPassword(trx, ctx, staff, id, ip),
    TemporaryPasswordAnswer,
  );
  customerOp(
    '/api/v1/counter/customers/:id/unlock',
    'Lift the login lock (approval under investigation)',
    EmptyBody,
    (trx, staff, id, _body, ip) => unlockEbanking(trx, ctx, staff, id, ip),
  );
  customerOp(
    '/api/v1/counter/customers/:id/suspend',
    'Suspend online banking',
    EmptyBody,
    (trx, staff, id, _body, ip) => suspendEbanking(trx, ctx, staff, id, ip),
  );
  customerOp(
    '/api/v1/counter/customers/:id/resume',
    'Resume suspended online banking',
    EmptyBody,
    (trx, staff, id, _body, ip) => resumeEbanking(trx, ctx, staff, id, ip),
  );
  customerOp(
    '/api/v1/counter/customers/:id/investigation',
    'Mark or clear "under investigation"',
    InvestigationBody,
    (trx, staff, id, body: { on: boolean; reason: string }, ip) => setInvestigation(trx, ctx, staff, id, body, ip),
  );
  customerOp(
    '/api/v1/counter/customers/:id/ecommerce',
    'Turn the e-commerce (online payment to merchants) function on or off',
    EcommerceBody,
    (trx, staff, id, body: { on: boolean }, ip) => switchEcommerce(trx, ctx, staff, id, body.on, ip),
  );
  customerOp(
    '/api/v1/counter/customers/:id/mobile',
    'Change the registered mobile (always with approval)',
    MobileBody,
    (trx, staff, id, body: { mobile: string }, ip) => requestMobileChange(trx, ctx, staff, id, body.mobile, ip),
    OperationDone,
    'PUT',
  );
  customerOp(
    '/api/v1/counter/accounts/:id/freeze',
    'Freeze an account',
    ReasonBody,
    (trx, staff, id, body: { reason: string }, ip) => freezeAccount(trx, ctx, staff, id, body.reason, ip),
  );
  customerOp(
    '/api/v1/counter/accounts/:id/unfreeze',
    'Unfreeze an account (always with approval)',
    OptionalReasonBody,
    (trx, staff, id, body: { reason?: string } | null, ip) => unfreezeAccount(trx, ctx, staff, id, body?.reason, ip),
  );
  customerOp(
    '/api/v1/counter/accounts/:id/close',
    'Close an account (with approval when it holds money, paid out in cash)',
    EmptyBody,
    (trx, staff, id, _body, ip) => closeAccount(trx, ctx, staff, id, ip),
  );

  app.post(
    '/api/v1/counter/customers/:id/media',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Hand over a password card, an e-password device (by serial) or a U-shield',
        params: IdParams,
        body: IssueMediumBody,
        response: { 201: IssuedMedium },
      },
    },
    async function postMedium(request, reply) {
      const staff = request.staffSession.staff;
      const issued = await tx((trx) => issueMedium(trx, ctx, staff, request.params.id, request.body, request.ip));
      return reply.code(201).send(issued);
    },
  );

  app.post(
    '/api/v1/counter/media/:id/reissue',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Reissue a damaged or lost medium: the old one revoked, a new one of its kind handed over',
        params: IdParams,
        body: ReissueMediumBody,
        response: { 201: IssuedMedium },
      },
    },
    async function postReissue(request, reply) {
      const staff = request.staffSession.staff;
      const issued = await tx((trx) => reissueMedium(trx, ctx, staff, request.params.id, request.body, request.ip));
      return reply.code(201).send(issued);
    },
  );

  app.get(
    '/api/v1/counter/media/:id/card.pdf',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: "A password card's grid to print, once (a second fetch is refused)",
        params: IdParams,
        produces: ['application/pdf'],
        response: { 200: ReceiptFile },
      },
    },
    async function printCard(request, reply) {
      const staff = request.staffSession.staff;
      const pdf = await tx((trx) => printPasswordCard(trx, ctx, staff, request.params.id, request.ip));
      return reply
        .type('application/pdf')
        .header('content-disposition', 'inline; filename="password-card.pdf"')
        .send(pdf);
    },
  );

  customerOp(
    '/api/v1/counter/media/:id/revoke',
    'Revoke a security medium (lost, damaged or returned)',
    RevokeMediumBody,
    (trx, staff, id, body: { reason: string }, ip) => revokeMedium(trx, ctx, staff, id, body.reason, ip),
  );

  customerOp(
    '/api/v1/counter/media/:id/unlock',
    'Unlock a security medium that wrong answers locked (approval under investigation)',
    EmptyBody,
    (trx, staff, id, _body, ip) => unlockMedium(trx, ctx, staff, id, ip),
  );

  // ——— Merchants, in the admin area (issue 17): staff with the admin role only ———
  const adminOnly = { preHandler: requireStaff(ctx, ['admin']) };
  const adminActor = (request: { staffSession: { staff: StaffRow }; ip: string }) => ({
    staffId: request.staffSession.staff.id,
    branch: request.staffSession.staff.branch_code,
    ip: request.ip,
  });

  app.get(
    '/api/v1/counter/merchants',
    { ...adminOnly, schema: { tags, summary: 'Every merchant (admin)', response: { 200: MerchantAdminList } } },
    function listMerchantsForAdmin() {
      return merchantsForAdmin(db);
    },
  );

  app.post(
    '/api/v1/counter/merchants',
    {
      ...adminOnly,
      schema: {
        tags,
        summary: 'Register a merchant (admin): name, settlement account, RSA2 public key, notify URL prefix',
        body: NewMerchantBody,
        response: { 201: MerchantAdminView },
      },
    },
    async function registerMerchantForAdmin(request, reply) {
      const { notifyUrlPrefix, signType, ...rest } = request.body;
      const merchant = await tx((trx) =>
        registerMerchantAtCounter(
          trx,
          ctx,
          { ...rest, ...(signType ? { signType } : {}), ...(notifyUrlPrefix ? { notifyUrlPrefix } : {}) },
          adminActor(request),
        ),
      );
      return reply.code(201).send(merchant);
    },
  );

  for (const [action, active] of [
    ['suspend', false],
    ['resume', true],
  ] as const)
    app.post(
      `/api/v1/counter/merchants/:appId/${action}`,
      {
        ...adminOnly,
        schema: {
          tags,
          summary: active
            ? 'Resume a suspended merchant (admin)'
            : 'Suspend a merchant: the gateway refuses it (admin)',
          params: MerchantParams,
          response: { 200: MerchantAdminView },
        },
      },
      async function switchMerchantForAdmin(request) {
        const merchant = await tx((trx) => switchMerchant(trx, ctx, request.params.appId, active, adminActor(request)));
        if (!merchant) throw new AppError(counterErrors['counter.merchant_not_found']);
        return merchant;
      },
    );
}
