import { accountBy, customerById, isAccountNumber, isCardNumber, normaliseCardNumber } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { chinaDayStartMs } from '../platform/business-day.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { parseMoney } from '../platform/money.ts';
import { accountsOfOperator } from './common.ts';
import { corporateErrors as errors } from './errors.ts';
import { tiersOf } from './policies.ts';
import { planFor } from './policy.ts';
import { audit, type CorpSession } from './sessions.ts';
import {
  accountsOfEnterprise,
  type EnterpriseRow,
  type InstructionRow,
  insertInstruction,
  lockEnterprise,
  lockOperator,
  madeSince,
  type OperatorRow,
  policyOf,
  updateInstruction,
} from './store.ts';
import { type Ctx, OWN_BANK_CODE, checkOperatorLimit, instructionStep, openInstruction } from './instruction-rules.ts';
import { viewOf } from './instruction-view.ts';

/**
 * Payment instructions (付款指令) as the maker enters them: created (submitted at once or kept as a
 * draft), edited (a new version: every approval of the old one void) and submitted under the policy of
 * the account and business type. Approvals are in approvals.ts, reading in instruction-view.ts.
 */

export type PaymentInput = {
  fromAccountId: string;
  payee: { name: string; accountNumber: string; bankCode?: string | undefined };
  amount: { amount: string };
  purpose: string;
  draft?: boolean | undefined;
};

/** A maker enters a payment: submitted at once (pending at level 1) unless kept as a draft. */
export async function createPayment(ctx: Ctx, session: CorpSession, input: PaymentInput, ip: string | null) {
  const id = await withTransaction(ctx.db.kysely, async (trx) => {
    const enterprise = await lockEnterprise(trx, session.enterprise.id);
    if (!enterprise) throw new AppError(errors['corporate.session_required']);
    const maker = await makerOf(trx, session);
    const fields = await checkedFields(trx, enterprise, maker, input);
    const nowMs = ctx.clock.nowMs();
    const row: InstructionRow = {
      id: newId<'Instruction'>(),
      enterprise_id: enterprise.id,
      kind: 'payment',
      ...fields,
      maker_id: maker.id,
      state: 'draft',
      version: 1,
      level: 0,
      plan: JSON.stringify({ levels: [], release: null }),
      reason: null,
      entry_id: null,
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
      expires_at_ms: nowMs + enterprise.approval_ttl_seconds * 1000,
      executed_at_ms: null,
      clearing: null,
      clearing_due_at_ms: null,
      clearing_entry_id: null,
      clearing_reason: null,
    };
    const submitted = input.draft ? row : await submitted_(trx, ctx, enterprise, maker, row);
    await insertInstruction(trx, submitted);
    await audit(trx, maker, 'corporate.payment_created', nowMs, ip, {
      instructionId: row.id,
      amountFen: row.amount_fen,
      state: submitted.state,
      payeeLast4: row.payee_account.slice(-4),
    });
    return row.id;
  });
  return viewOf(ctx, session, id);
}

/** The maker edits their instruction: a new version, every approval of the old one void, submitted again. */
export async function editPayment(ctx: Ctx, session: CorpSession, id: string, input: PaymentInput, ip: string | null) {
  await instructionStep(ctx, async (trx) => {
    const enterprise = await lockEnterprise(trx, session.enterprise.id);
    if (!enterprise) throw new AppError(errors['corporate.session_required']);
    const maker = await makerOf(trx, session);
    const row = await openInstruction(trx, ctx, enterprise, id, ['draft', 'pending', 'pending_release']);
    // A payroll batch is changed by uploading a new file, never field by field.
    if (row.maker_id !== maker.id || row.kind !== 'payment') throw new AppError(errors['corporate.role_forbidden']);
    const fields = await checkedFields(trx, enterprise, maker, input);
    const nowMs = ctx.clock.nowMs();
    const next: InstructionRow = {
      ...row,
      ...fields,
      version: row.version + 1,
      state: 'draft',
      level: 0,
      updated_at_ms: nowMs,
      expires_at_ms: nowMs + enterprise.approval_ttl_seconds * 1000,
    };
    const submitted = input.draft ? next : await submitted_(trx, ctx, enterprise, maker, next);
    const { id: _id, enterprise_id: _e, maker_id: _m, created_at_ms: _c, ...change } = submitted;
    await updateInstruction(trx, row.id, change);
    await audit(trx, maker, 'corporate.payment_edited', nowMs, ip, {
      instructionId: row.id,
      version: next.version,
      voidedVersion: row.version,
      amountFen: next.amount_fen,
    });
  });
  return viewOf(ctx, session, id);
}

/** A draft is submitted: its plan is drawn from the policy and it waits at level 1. */
export async function submitPayment(ctx: Ctx, session: CorpSession, id: string, ip: string | null) {
  await instructionStep(ctx, async (trx) => {
    const enterprise = await lockEnterprise(trx, session.enterprise.id);
    if (!enterprise) throw new AppError(errors['corporate.session_required']);
    const maker = await makerOf(trx, session);
    const row = await openInstruction(trx, ctx, enterprise, id, ['draft']);
    if (row.maker_id !== maker.id) throw new AppError(errors['corporate.role_forbidden']);
    const submitted = await submitted_(trx, ctx, enterprise, maker, row);
    await updateInstruction(trx, row.id, {
      state: submitted.state,
      level: submitted.level,
      plan: submitted.plan,
      expires_at_ms: submitted.expires_at_ms,
      updated_at_ms: submitted.updated_at_ms,
    });
    await audit(trx, maker, 'corporate.payment_submitted', ctx.clock.nowMs(), ip, { instructionId: row.id });
  });
  return viewOf(ctx, session, id);
}

async function makerOf(trx: Tx, session: CorpSession): Promise<OperatorRow> {
  const maker = await lockOperator(trx, session.operator.id);
  if (maker?.status !== 'active' || maker.role !== 'maker') throw new AppError(errors['corporate.role_forbidden']);
  return maker;
}

/** The payment's fields, checked: an account of the enterprise the maker may use, a real payee, a positive amount. */
async function checkedFields(trx: Tx, enterprise: EnterpriseRow, maker: OperatorRow, input: PaymentInput) {
  const own = new Set(await accountsOfEnterprise(trx, enterprise.id));
  if (!own.has(input.fromAccountId) || !accountsOfOperator(maker).includes(input.fromAccountId))
    throw new AppError(errors['corporate.account_not_allowed']);
  const amount = parseMoney(input.amount.amount);
  if (!amount.ok) throw new AppError('request.invalid', { reason: 'amount' });
  const bank = input.payee.bankCode ?? OWN_BANK_CODE;
  const number = normaliseCardNumber(input.payee.accountNumber);
  const name = input.payee.name.trim();
  if (bank === OWN_BANK_CODE) {
    const column = isCardNumber(number) ? 'card_number' : isAccountNumber(number) ? 'account_number' : null;
    const payee = column ? await accountBy(trx, column, number) : undefined;
    const holder = payee ? await customerById(trx, payee.customer_id) : undefined;
    if (payee?.status !== 'active' || holder?.name !== name || payee.id === input.fromAccountId)
      throw new AppError(errors['corporate.payee_invalid']);
  }
  return {
    from_account_id: input.fromAccountId,
    payee_name: name,
    payee_account: number,
    payee_bank: bank,
    amount_fen: amount.fen as number,
    purpose: input.purpose.trim(),
  };
}

/** Submits: the policy of the account must exist; the maker's own limits hold; level 1 waits. */
async function submitted_(
  trx: Tx,
  ctx: Ctx,
  enterprise: EnterpriseRow,
  maker: OperatorRow,
  row: InstructionRow,
): Promise<InstructionRow> {
  const policy = await policyOf(trx, row.from_account_id, row.kind);
  if (!policy) throw new AppError(errors['corporate.no_policy']);
  const nowMs = ctx.clock.nowMs();
  const used = await madeSince(trx, maker.id, chinaDayStartMs(nowMs), row.id);
  checkOperatorLimit(maker, row.amount_fen, used);
  const plan = planFor(tiersOf(policy), row.amount_fen);
  return {
    ...row,
    state: 'pending',
    level: 1,
    plan: JSON.stringify(plan),
    updated_at_ms: nowMs,
    expires_at_ms: nowMs + enterprise.approval_ttl_seconds * 1000,
  };
}
