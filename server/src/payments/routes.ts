import type { FastifyRequest } from 'fastify';
import { requireCustomer } from '../auth/index.ts';
import { accountById, customerById, maskNumber } from '../customers/index.ts';
import { issueSmsOtp, tierOf } from '../media/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError, pickLanguage, requestErrors } from '../platform/errors.ts';
import type { App } from '../platform/http/types.ts';
import { formatMoney, money, parseMoney } from '../platform/money.ts';
import { BANKS, bankName } from './banks.ts';
import { paymentErrors as errors } from './errors.ts';
import { fastOwnTransfer } from './fast-own-transfer.ts';
import { idempotently } from './idempotent.ts';
import { limitsOf, TIER_LIMITS, usageOf } from './limits.ts';
import { deletePayee, payeesOf, savePayee } from './payees.ts';
import { renderReceiptPdf } from './documents/receipt.ts';
import { AuthorizeBody, CreateTransferBody, IdempotencyHeaders, IdParams, LimitsBody, PayeeIn } from './schema.ts';
import { transferById } from './store.ts';
import { authorizeTransfer, createTransfer, transferBinding } from './transfers.ts';
import { payeeView, transferView } from './view.ts';

const lang = (request: FastifyRequest) => pickLanguage(request.headers['accept-language']);

function amountFen(text: string): number {
  const parsed = parseMoney(text);
  if (!parsed.ok) throw new AppError(requestErrors['request.invalid'], { reason: `amount (${parsed.reason})` });
  return parsed.fen;
}

/** Transfers, payees and limits (API.md, "Accounts and payments"). */
export function registerPaymentRoutes(app: App, ctx: AppContext) {
  const guard = { preHandler: requireCustomer(ctx) };
  const deps = { config: ctx.config, clock: ctx.clock };

  app.post(
    '/api/v1/transfers',
    {
      ...guard,
      schema: {
        tags: ['payments'],
        summary: 'Start a transfer',
        body: CreateTransferBody,
        headers: IdempotencyHeaders,
      },
    },
    async (request, reply) => {
      const fast = await fastOwnTransfer(ctx, request, lang(request));
      if (fast !== null) return reply.code(201).type('application/json').send(fast);
      return idempotently(ctx, request, reply, `transfer:${request.customerId}`, async (trx) => {
        const body = request.body;
        let payee = body.payee;
        if (body.payeeId) {
          const saved = (await payeesOf(trx, request.customerId)).find((p) => p.id === body.payeeId);
          if (!saved) throw new AppError(errors['payment.payee_not_found']);
          payee = { name: saved.name, accountNumber: saved.account_number, bankCode: saved.bank_code };
        }
        if (!payee) throw new AppError(requestErrors['request.invalid'], { reason: 'payee or payeeId' });
        const row = await createTransfer(trx, deps, {
          customerId: request.customerId,
          fromAccountId: body.fromAccountId,
          payee,
          amountFen: amountFen(body.amount.amount),
          memo: body.memo,
          ip: request.ip,
        });
        const authorization =
          row.status === 'authorization_required'
            ? await smsChallenge(trx, row.customer_id, row.authorize_by_ms)
            : undefined;
        return { status: 201, body: transferView(row, lang(request), authorization) };
      });
    },
  );

  app.post(
    '/api/v1/transfers/:id/authorize',
    {
      ...guard,
      schema: {
        tags: ['payments'],
        summary: 'Confirm a transfer with the security medium',
        params: IdParams,
        body: AuthorizeBody,
      },
    },
    async (request) => {
      const result = await withTransaction(ctx.db.kysely, (trx) =>
        authorizeTransfer(trx, deps, {
          customerId: request.customerId,
          transferId: request.params.id,
          method: request.body.method,
          response: request.body.response,
          ip: request.ip,
        }),
      );
      // A wrong answer is thrown only now, after the used-up try has been committed.
      if (!result.ok) throw result.error;
      ctx.kickOutbox();
      return transferView(result.transfer, lang(request));
    },
  );

  app.post(
    '/api/v1/transfers/:id/challenge',
    { ...guard, schema: { tags: ['payments'], summary: 'Send a new SMS code for a transfer', params: IdParams } },
    async (request) => {
      const view = await withTransaction(ctx.db.kysely, async (trx) => {
        const row = await transferById(trx, request.params.id, { lock: true });
        if (!row || row.customer_id !== request.customerId) throw new AppError(errors['payment.not_found']);
        if (row.status !== 'authorization_required') {
          throw new AppError(errors['payment.not_awaiting_authorization'], { status: row.status });
        }
        const customer = await customerById(trx, row.customer_id);
        if (!customer) throw new AppError(errors['payment.not_found']);
        const otp = await issueSmsOtp(trx, deps, {
          customerId: customer.id,
          mobile: customer.mobile,
          purpose: 'transfer.otp',
          binding: transferBinding(row),
          text: (code) =>
            `【金库】验证码 ${code}，用于向尾号 ${row.payee_account_number.slice(-4)} 的账户（${row.payee_name}）转账 ${formatMoney(row.amount_fen)} 元，5 分钟内有效。切勿告诉他人。`,
        });
        await trx.updateTable('transfer').set({ auth_ref: otp.otpId }).where('id', '=', row.id).execute();
        return transferView(row, lang(request), await smsChallenge(trx, row.customer_id, row.authorize_by_ms));
      });
      ctx.kickOutbox();
      return view;
    },
  );

  app.get(
    '/api/v1/transfers/:id',
    { ...guard, schema: { tags: ['payments'], summary: 'A transfer', params: IdParams } },
    async (request) => {
      const row = await transferById(ctx.db.kysely, request.params.id);
      if (!row || row.customer_id !== request.customerId) throw new AppError(errors['payment.not_found']);
      return transferView(row, lang(request));
    },
  );

  app.get(
    '/api/v1/transfers/:id/receipt',
    {
      ...guard,
      schema: { tags: ['payments'], summary: 'The electronic receipt (PDF) of a completed transfer', params: IdParams },
    },
    async (request, reply) => {
      const db = ctx.db.kysely;
      const row = await transferById(db, request.params.id);
      if (!row || row.customer_id !== request.customerId) throw new AppError(errors['payment.not_found']);
      if (row.status !== 'completed' && row.status !== 'pending')
        throw new AppError(errors['payment.receipt_unavailable']);
      const payer = await customerById(db, row.customer_id);
      const from = await accountById(db, row.from_account_id);
      if (!payer || !from) throw new AppError(errors['payment.not_found']);
      const pdf = await renderReceiptPdf({
        transferId: row.id,
        completedAtIso: new Date(row.completed_at_ms ?? row.created_at_ms).toISOString(),
        payerName: payer.name,
        payerAccountMasked: maskNumber(from.card_number ?? from.account_number),
        payeeName: row.payee_name,
        payeeAccountMasked: maskNumber(row.payee_account_number),
        payeeBankName: bankName(row.payee_bank_code),
        amountFen: row.amount_fen,
        memo: row.memo,
        statusText: row.status === 'completed' ? '交易成功 Completed' : '已提交，等待跨行清算 Sent to clearing',
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="receipt-${row.id}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.get('/api/v1/payees', { ...guard, schema: { tags: ['payments'], summary: 'Saved payees' } }, async (request) => ({
    items: (await payeesOf(ctx.db.kysely, request.customerId)).map((row) => payeeView(row, lang(request))),
  }));

  app.post(
    '/api/v1/payees',
    { ...guard, schema: { tags: ['payments'], summary: 'Save a payee', body: PayeeIn } },
    async (request, reply) => {
      const row = await withTransaction(ctx.db.kysely, (trx) =>
        savePayee(trx, {
          customerId: request.customerId,
          name: request.body.name.trim(),
          accountNumber: request.body.accountNumber.replace(/[\s-]/g, ''),
          bankCode: request.body.bankCode ?? BANKS[0]!.code,
          nowMs: ctx.clock.nowMs(),
        }),
      );
      return reply.code(201).send(payeeView(row, lang(request)));
    },
  );

  app.delete(
    '/api/v1/payees/:id',
    { ...guard, schema: { tags: ['payments'], summary: 'Delete a saved payee', params: IdParams } },
    async (request, reply) => {
      const deleted = await withTransaction(ctx.db.kysely, (trx) =>
        deletePayee(trx, request.customerId, request.params.id),
      );
      if (!deleted) throw new AppError(errors['payment.payee_not_found']);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/banks',
    { schema: { tags: ['payments'], summary: 'Banks a customer can pay to' } },
    async (request) => ({
      items: BANKS.map((bank) => ({ code: bank.code, name: lang(request) === 'en' ? bank.en : bank.zh })),
    }),
  );

  app.get(
    '/api/v1/limits',
    { ...guard, schema: { tags: ['payments'], summary: 'Payment limits and what is used' } },
    (request) => limitsView(ctx, request.customerId),
  );

  app.put(
    '/api/v1/limits',
    { ...guard, schema: { tags: ['payments'], summary: 'Set your own (lower) limits', body: LimitsBody } },
    async (request) => {
      const db = ctx.db.kysely;
      const tier = await tierOf(db, request.customerId);
      const base = TIER_LIMITS[tier];
      const perPayment = request.body.perPayment ? amountFen(request.body.perPayment.amount) : null;
      const daily = request.body.daily ? amountFen(request.body.daily.amount) : null;
      if (perPayment !== null && perPayment > base.perPaymentFen) {
        throw new AppError(errors['payment.limit_above_tier'], { limit: formatMoney(base.perPaymentFen) });
      }
      if (daily !== null && daily > base.dailyFen) {
        throw new AppError(errors['payment.limit_above_tier'], { limit: formatMoney(base.dailyFen) });
      }
      const nowMs = ctx.clock.nowMs();
      await withTransaction(db, async (trx) => {
        await trx.deleteFrom('customer_limit').where('customer_id', '=', request.customerId).execute();
        await trx
          .insertInto('customer_limit')
          .values({
            customer_id: request.customerId,
            per_payment_fen: perPayment,
            daily_fen: daily,
            updated_at_ms: nowMs,
          })
          .execute();
      });
      return limitsView(ctx, request.customerId);
    },
  );

  async function smsChallenge(trx: Parameters<typeof customerById>[0], customerId: string, authorizeByMs: number) {
    const customer = await customerById(trx, customerId);
    return {
      method: 'sms',
      challenge: {
        maskedMobile: customer ? `${customer.mobile.slice(0, 3)}****${customer.mobile.slice(-4)}` : '',
        resendAfterSeconds: 60,
        expiresAt: new Date(authorizeByMs).toISOString(),
      },
      alternatives: [] as string[],
    };
  }
}

async function limitsView(ctx: AppContext, customerId: string) {
  const db = ctx.db.kysely;
  const tier = await tierOf(db, customerId);
  const limits = await limitsOf(db, customerId, tier);
  const usage = await usageOf(db, customerId, ctx.clock.nowMs());
  return {
    tier,
    perPayment: money(limits.perPaymentFen),
    daily: money(limits.dailyFen),
    usedToday: money(usage.todayFen),
    ...(limits.lifetimeFen !== null ? { total: money(limits.lifetimeFen), usedTotal: money(usage.lifetimeFen) } : {}),
    tierLimits: { perPayment: money(TIER_LIMITS[tier].perPaymentFen), daily: money(TIER_LIMITS[tier].dailyFen) },
    own: {
      perPayment: limits.ownPerPaymentFen === null ? null : money(limits.ownPerPaymentFen),
      daily: limits.ownDailyFen === null ? null : money(limits.ownDailyFen),
    },
  };
}
