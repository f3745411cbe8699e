import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { perform, requireStaff } from '../counter/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { csrfTokenFor } from '../platform/http/csrf.ts';
import type { App } from '../platform/http/types.ts';
import { registerEnterprise } from './enterprises.ts';
import { corporateErrors as errors } from './errors.ts';
import { approvePayment, rejectPayment } from './approvals.ts';
import { listPayments, viewOf } from './instruction-view.ts';
import { createPayment, editPayment, submitPayment } from './instructions.ts';
import { changeOperator, createOperator, listOperators } from './operators.ts';
import { batchResultCsv, batchView, createBatch } from './payroll.ts';
import { listPolicies, putPolicies } from './policies.ts';
import { enterpriseAccounts } from './accounts.ts';
import {
  AttemptParams,
  AuthorizationRequired,
  BatchBody,
  BatchView,
  CorpAccountList,
  CorpLoginAnswer,
  CorpLoginBody,
  CorpSessionAnswer,
  IdParams,
  InstructionList,
  InstructionListQuery,
  InstructionView,
  MediumBody,
  NewEnterpriseAnswer,
  NewEnterpriseBody,
  NewOperatorAnswer,
  NewOperatorBody,
  NewPasswordBody,
  NoContent,
  OperatorChangeBody,
  OperatorChanged,
  OperatorList,
  PaymentBody,
  PoliciesBody,
  PolicyList,
  RejectBody,
  ResultFile,
  SignBody,
  VerifyBody,
} from './schema.ts';
import {
  CORP_SESSION_COOKIE,
  type CorpSession,
  changeInitialPassword,
  corpSessionOf,
  corporateLogout,
  corporateSignIn,
  type LoginOutcome,
  operatorView,
  registerLoginKey,
  verifyLoginKey,
} from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in operator, set by requireOperator on corporate routes. */
    corpSession: CorpSession;
  }
}

/** Corporate e-banking's HTTP face (API.md, "Corporate e-banking"); the operator cookie is set only here. */
export async function registerCorporateRoutes(app: App, ctx: AppContext) {
  const tags = ['corporate'];
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.config.env === 'production',
  };
  const client = (request: FastifyRequest) => ({ ip: request.ip, previousToken: request.cookies[CORP_SESSION_COOKIE] });
  const answer = (reply: FastifyReply, outcome: LoginOutcome) => {
    if (outcome.token) reply.setCookie(CORP_SESSION_COOKIE, outcome.token, cookieOptions);
    return outcome.answer;
  };
  const requireOperator = async (request: FastifyRequest) => {
    const session = await corpSessionOf(ctx, request.cookies[CORP_SESSION_COOKIE]);
    if (!session) throw new AppError(errors['corporate.session_required']);
    request.corpSession = session;
  };
  const operatorOnly = { preHandler: requireOperator };
  /**
   * The answer of a change signed by the authorization pattern (operators, policies, approvals): 202 with
   * the challenge for the signer's key, or the change's own status and body once signed.
   */
  const signedAnswer = async (reply: FastifyReply, pending: Promise<{ status: number; body: unknown }>) => {
    const outcome = await pending;
    return reply.code(outcome.status).send(outcome.body);
  };

  app.post(
    '/api/v1/counter/enterprises',
    {
      preHandler: requireStaff(ctx),
      schema: {
        tags: ['counter'],
        summary: 'Register an enterprise for corporate e-banking, with its accounts and administrator',
        body: NewEnterpriseBody,
        response: { 201: NewEnterpriseAnswer },
      },
    },
    async function postEnterprise(request, reply) {
      const staff = request.staffSession.staff;
      const done = await withTransaction(ctx.db.kysely, async (trx) => {
        const registered = await registerEnterprise(trx, ctx, request.body, {
          staffId: staff.id,
          branchCode: staff.branch_code,
          ip: request.ip,
        });
        const performed = await perform(
          trx,
          ctx,
          staff,
          {
            kind: 'enterprise.register',
            params: {
              name: registered.name,
              uscc: registered.unifiedSocialCreditCode,
              enterpriseCode: registered.enterpriseCode,
              accounts: request.body.accounts.length,
            },
          },
          { ip: request.ip, needsApproval: false, execute: async () => ({ result: { enterpriseId: registered.id } }) },
        );
        return { registered, operationId: performed.status === 'completed' ? performed.operationId : '' };
      });
      return reply.code(201).send({ ...done.registered, operationId: done.operationId });
    },
  );

  app.post(
    '/api/v1/corporate/login',
    {
      schema: {
        tags,
        summary: 'Operator sign-in: enterprise code, operator code, password',
        body: CorpLoginBody,
        response: { 200: CorpLoginAnswer },
      },
    },
    async (request, reply) => answer(reply, await corporateSignIn(ctx, request.body, client(request))),
  );
  app.post(
    '/api/v1/corporate/login/:attemptId/password',
    {
      schema: {
        tags,
        summary: 'Change the initial password',
        params: AttemptParams,
        body: NewPasswordBody,
        response: { 200: CorpLoginAnswer },
      },
    },
    async (request, reply) =>
      answer(
        reply,
        await changeInitialPassword(ctx, request.params.attemptId, request.body.newPassword, client(request)),
      ),
  );
  app.post(
    '/api/v1/corporate/login/:attemptId/medium',
    {
      schema: {
        tags,
        summary: "Register the operator's own U-shield or passkey",
        params: AttemptParams,
        body: MediumBody,
        response: { 200: CorpLoginAnswer },
      },
    },
    async (request, reply) =>
      answer(
        reply,
        await registerLoginKey(
          ctx,
          request.params.attemptId,
          request.body.credential as unknown as RegistrationResponseJSON,
          client(request),
        ),
      ),
  );
  app.post(
    '/api/v1/corporate/login/:attemptId/verify',
    {
      schema: {
        tags,
        summary: "Answer the operator's key",
        params: AttemptParams,
        body: VerifyBody,
        response: { 200: CorpLoginAnswer },
      },
    },
    async (request, reply) =>
      answer(reply, await verifyLoginKey(ctx, request.params.attemptId, request.body.response, client(request))),
  );
  app.get(
    '/api/v1/corporate/session',
    {
      schema: {
        tags,
        summary: 'Who is signed in, and the CSRF token of the operator session',
        response: { 200: CorpSessionAnswer },
      },
    },
    async (request, reply) => {
      const csrfToken = csrfTokenFor(request, reply, ctx.config.secret, ctx.config.env === 'production');
      const session = await corpSessionOf(ctx, request.cookies[CORP_SESSION_COOKIE]);
      if (!session) return { authenticated: false, csrfToken };
      return { authenticated: true, csrfToken, operator: operatorView(session.operator, session.enterprise) };
    },
  );
  app.post(
    '/api/v1/corporate/logout',
    { schema: { tags, summary: 'Operator sign-out', response: { 204: NoContent } } },
    async (request, reply) => {
      await corporateLogout(ctx, request.cookies[CORP_SESSION_COOKIE], request.ip);
      reply.clearCookie(CORP_SESSION_COOKIE, cookieOptions);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/corporate/accounts',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: "The enterprise's accounts this operator may use, with balances",
        response: { 200: CorpAccountList },
      },
    },
    (request) => enterpriseAccounts(ctx, request.corpSession),
  );
  app.get(
    '/api/v1/corporate/operators',
    { ...operatorOnly, schema: { tags, summary: "The enterprise's operators", response: { 200: OperatorList } } },
    (request) => listOperators(ctx, request.corpSession),
  );
  app.post(
    '/api/v1/corporate/operators',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: "Create an operator (the administrator's key signs the change)",
        body: NewOperatorBody,
        response: { 201: NewOperatorAnswer, 202: AuthorizationRequired },
      },
    },
    (request, reply) => signedAnswer(reply, createOperator(ctx, request.corpSession, request.body, request.ip)),
  );
  app.put(
    '/api/v1/corporate/operators/:id',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: "Change an operator's role, accounts, limits or status (the administrator's key signs the change)",
        params: IdParams,
        body: OperatorChangeBody,
        response: { 200: OperatorChanged, 202: AuthorizationRequired },
      },
    },
    (request, reply) =>
      signedAnswer(reply, changeOperator(ctx, request.corpSession, request.params.id, request.body, request.ip)),
  );
  app.get(
    '/api/v1/corporate/policies',
    { ...operatorOnly, schema: { tags, summary: 'Approval policies', response: { 200: PolicyList } } },
    (request) => listPolicies(ctx, request.corpSession),
  );
  app.put(
    '/api/v1/corporate/policies',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: "Replace the approval policies (the administrator's key signs the change)",
        body: PoliciesBody,
        response: { 200: PolicyList, 202: AuthorizationRequired },
      },
    },
    (request, reply) => signedAnswer(reply, putPolicies(ctx, request.corpSession, request.body, request.ip)),
  );

  app.get(
    '/api/v1/corporate/payments',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: 'Payment instructions (waitingForMe=true: those I may sign now)',
        querystring: InstructionListQuery,
        response: { 200: InstructionList },
      },
    },
    (request) => listPayments(ctx, request.corpSession, request.query.waitingForMe === true),
  );
  app.post(
    '/api/v1/corporate/payments',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: 'Enter a payment instruction (maker)',
        body: PaymentBody,
        response: { 201: InstructionView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPayment(ctx, request.corpSession, request.body, request.ip)),
  );
  app.get(
    '/api/v1/corporate/payments/:id',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: 'One instruction with its chain so far',
        params: IdParams,
        response: { 200: InstructionView },
      },
    },
    (request) => viewOf(ctx, request.corpSession, request.params.id),
  );
  app.put(
    '/api/v1/corporate/payments/:id',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: 'Edit an instruction (its approvals are void)',
        params: IdParams,
        body: PaymentBody,
        response: { 200: InstructionView },
      },
    },
    (request) => editPayment(ctx, request.corpSession, request.params.id, request.body, request.ip),
  );
  app.post(
    '/api/v1/corporate/payments/:id/submit',
    {
      ...operatorOnly,
      schema: { tags, summary: 'Submit a draft', params: IdParams, response: { 200: InstructionView } },
    },
    (request) => submitPayment(ctx, request.corpSession, request.params.id, request.ip),
  );
  app.post(
    '/api/v1/corporate/payments/:id/approve',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: "Approve or release with the operator's key",
        params: IdParams,
        body: SignBody,
        response: { 200: InstructionView, 202: AuthorizationRequired },
      },
    },
    (request, reply) =>
      signedAnswer(
        reply,
        approvePayment(ctx, request.corpSession, request.params.id, request.body.authorization, request.ip),
      ),
  );
  app.post(
    '/api/v1/corporate/payments/:id/reject',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: "Reject with a reason, signed with the operator's key",
        params: IdParams,
        body: RejectBody,
        response: { 200: InstructionView, 202: AuthorizationRequired },
      },
    },
    (request, reply) =>
      signedAnswer(reply, rejectPayment(ctx, request.corpSession, request.params.id, request.body, request.ip)),
  );

  app.post(
    '/api/v1/corporate/batches',
    {
      ...operatorOnly,
      // A payroll file of a few thousand lines is larger than the API's default body limit.
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Upload a payroll file (CSV, UTF-8 or GBK, base64): the validation report',
        body: BatchBody,
        response: { 201: BatchView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createBatch(ctx, request.corpSession, request.body, request.ip)),
  );
  app.get(
    '/api/v1/corporate/batches/:id',
    {
      ...operatorOnly,
      schema: {
        tags,
        summary: 'A payroll batch: report and per-line results',
        params: IdParams,
        response: { 200: BatchView },
      },
    },
    (request) => batchView(ctx, request.corpSession, request.params.id),
  );
  app.get(
    '/api/v1/corporate/batches/:id/result.csv',
    {
      ...operatorOnly,
      schema: { tags, summary: 'The result file of a payroll batch', params: IdParams, response: { 200: ResultFile } },
    },
    async (request, reply) => {
      const csv = await batchResultCsv(ctx, request.corpSession, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="payroll-${request.params.id}.csv"`)
        .send(csv);
    },
  );
}
