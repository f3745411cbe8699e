import {
  accountBy,
  accountById,
  customerById,
  isAccountNumber,
  isCardNumber,
  normaliseCardNumber,
} from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { BANK_ACCOUNTS, bankAccountId, canonicalJson } from '../ledger/index.ts';
import { postEntryAndTell } from '../payments/index.ts';
import { chinaDayStartMs } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney, money, parseMoney, toChineseCapital } from '../platform/money.ts';
import { accountsOfOperator, askOperatorKey, checkOperatorKey, type Signed, sha256Hex } from './common.ts';
import { corporateErrors as errors, STATE_NAMES } from './errors.ts';
import { batchCanonical, runBatch, startBatch } from './payroll.ts';
import { tiersOf } from './policies.ts';
import { type ApprovalPlan, planFor, progress } from './policy.ts';
import type { InstructionView } from './schema.ts';
import { audit, type CorpSession } from './sessions.ts';
import {
  type ApprovalRow,
  approvalsOf,
  approvedSince,
  accountsOfEnterprise,
  type EnterpriseRow,
  executedSince,
  type InstructionRow,
  insertApproval,
  insertInstruction,
  instructionById,
  instructionsOf,
  lockEnterprise,
  lockInstruction,
  lockOperator,
  madeSince,
  type OperatorRow,
  operatorsOf,
  policyOf,
  updateInstruction,
} from './store.ts';

/**
 * Payment instructions (付款指令) and their approval chain: a maker enters one, it walks the levels of
 * the policy its amount falls in (k of m eligible checkers at each), a releaser or, above the top tier,
 * the administrator releases it, and it executes as one ledger entry. Each signature is the signer's
 * own key over the instruction's canonical form (dynamic linking: account, payee, amount, purpose,
 * version); the maker never signs, nobody signs one version twice, an edit makes a new version whose
 * approvals start again. Every step locks in one order — enterprise, operator, instruction, then the
 * ledger's accounts — so concurrent approvals cannot both spend the enterprise's daily limit.
 */

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock'>;
const SIGN_PURPOSE = 'corporate.instruction';
/** This bank's code in the payment system (payments/banks.ts): payees here are checked and paid at once. */
const OWN_BANK_CODE = '888';

export type PaymentInput = {
  fromAccountId: string;
  payee: { name: string; accountNumber: string; bankCode?: string | undefined };
  amount: { amount: string };
  purpose: string;
  draft?: boolean | undefined;
};

/** The canonical form each signature is bound to: what moves, from where, to whom, which version. */
export async function canonicalForm(trx: Tx, enterprise: EnterpriseRow, row: InstructionRow): Promise<string> {
  const from = await accountById(trx, row.from_account_id);
  if (row.kind === 'payroll')
    return canonicalJson({
      type: 'jinku.corporate.payroll',
      id: row.id,
      version: row.version,
      enterprise: enterprise.code,
      from: from?.account_number ?? row.from_account_id,
      ...(await batchCanonical(trx, batchIdOf(row))),
      currency: 'CNY',
      purpose: row.purpose,
    });
  return canonicalJson({
    type: 'jinku.corporate.payment',
    id: row.id,
    version: row.version,
    enterprise: enterprise.code,
    from: from?.account_number ?? row.from_account_id,
    payee: { name: row.payee_name, account: row.payee_account, bank: row.payee_bank },
    amount: formatMoney(row.amount_fen),
    currency: 'CNY',
    purpose: row.purpose,
  });
}

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
  await withTransaction(ctx.db.kysely, async (trx) => {
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
  await withTransaction(ctx.db.kysely, async (trx) => {
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

function checkOperatorLimit(operator: OperatorRow, amountFen: number, usedTodayFen: number): void {
  if (amountFen > operator.single_limit_fen || usedTodayFen + amountFen > operator.daily_limit_fen)
    throw new AppError(errors['corporate.operator_limit'], {
      single: formatMoney(operator.single_limit_fen),
      daily: formatMoney(operator.daily_limit_fen),
      used: formatMoney(usedTodayFen),
    });
}

/** The instruction, locked, when it is the enterprise's and open; a lapsed one is marked expired first. */
async function openInstruction(
  trx: Tx,
  ctx: Ctx,
  enterprise: EnterpriseRow,
  id: string,
  states: readonly InstructionRow['state'][],
): Promise<InstructionRow> {
  const row = await lockInstruction(trx, id);
  if (row?.enterprise_id !== enterprise.id) throw new AppError(errors['corporate.instruction_not_found']);
  const nowMs = ctx.clock.nowMs();
  let state = row.state;
  if ((state === 'pending' || state === 'pending_release') && row.expires_at_ms <= nowMs) {
    await updateInstruction(trx, row.id, { state: 'expired', updated_at_ms: nowMs });
    state = 'expired';
  }
  if (!states.includes(state)) {
    throw new ClosedInstruction(state);
  }
  return row;
}

/** An instruction that can no longer be acted on; thrown after the expiry it may have written is kept. */
class ClosedInstruction extends Error {
  readonly state: string;
  constructor(state: string) {
    super(`instruction is ${state}`);
    this.state = state;
  }
}

function closedError(state: string): AppError {
  const names = STATE_NAMES[state] ?? { zh: state, en: state };
  return new AppError(errors['corporate.instruction_closed'], { state: names.zh, stateEn: names.en }, { state });
}

/**
 * Runs a signing step in one transaction; a closed instruction (an expiry just written) is committed and
 * then answered as `corporate.instruction_closed`.
 */
async function signingStep<T>(ctx: Ctx, work: (trx: Tx) => Promise<T>): Promise<T> {
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    try {
      return { ok: await work(trx) };
    } catch (error) {
      if (error instanceof ClosedInstruction) return { closed: error.state };
      throw error;
    }
  });
  if ('closed' in outcome) throw closedError(outcome.closed as string);
  return outcome.ok as T;
}

type Stage = ReturnType<typeof progress>;

/** Who may sign the instruction now, or the typed refusal. */
function checkSigner(
  row: InstructionRow,
  signer: OperatorRow,
  approvals: readonly ApprovalRow[],
): { plan: ApprovalPlan; stage: Exclude<Stage, { stage: 'done' }> } {
  if (signer.id === row.maker_id) throw new AppError(errors['corporate.maker_cannot_approve']);
  if (approvals.some((a) => a.version === row.version && a.operator_id === signer.id))
    throw new AppError(errors['corporate.already_signed']);
  const plan = JSON.parse(row.plan) as ApprovalPlan;
  const stage = progress(plan, current(row, approvals));
  if (stage.stage === 'done') throw closedError(row.state);
  if (stage.stage === 'level') {
    if (!plan.levels[stage.level - 1]?.operators.includes(signer.id))
      throw new AppError(errors['corporate.not_eligible']);
  } else {
    const releaser =
      plan.release === 'admin'
        ? signer.role === 'admin'
        : signer.role === 'releaser' && accountsOfOperator(signer).includes(row.from_account_id);
    if (!releaser) throw new AppError(errors['corporate.not_eligible']);
  }
  return { plan, stage };
}

function current(row: InstructionRow, approvals: readonly ApprovalRow[]) {
  return approvals
    .filter((a) => a.version === row.version && a.decision === 'approve')
    .map((a) => ({ level: a.level, operatorId: a.operator_id }));
}

/**
 * Approves (a level's signature or the release) by the authorization pattern: without an answer the
 * signer's key is asked for a challenge over the canonical form (202); with the right answer the
 * signature is recorded, the instruction moves on, and the last one executes it in the same transaction.
 */
export async function approvePayment(
  ctx: Ctx,
  session: CorpSession,
  id: string,
  authorization: Signed | undefined,
  ip: string | null,
  /** How many chunks of a released payroll batch to post now (all by default; a crash test stops early). */
  batchChunks?: number,
) {
  const outcome = await signingStep(ctx, async (trx) => {
    const enterprise = await lockEnterprise(trx, session.enterprise.id);
    const signer = await lockOperator(trx, session.operator.id);
    if (!enterprise || signer?.status !== 'active') throw new AppError(errors['corporate.session_required']);
    const row = await openInstruction(trx, ctx, enterprise, id, ['pending', 'pending_release']);
    const approvals = await approvalsOf(trx, row.id);
    const { plan, stage } = checkSigner(row, signer, approvals);
    const nowMs = ctx.clock.nowMs();
    checkOperatorLimit(signer, row.amount_fen, await approvedSince(trx, signer.id, chinaDayStartMs(nowMs)));
    const binding = await canonicalForm(trx, enterprise, row);
    if (!authorization) {
      const asked = await askOperatorKey(trx, ctx, signer, SIGN_PURPOSE, binding);
      return {
        status: 202 as const,
        body: { status: 'authorization_required' as const, ...asked, canonicalHash: sha256Hex(binding) },
      };
    }
    const refused = await checkOperatorKey(trx, ctx, signer, SIGN_PURPOSE, binding, authorization, ip);
    if (refused) return { status: 'refused' as const, error: refused };
    const level = stage.stage === 'level' ? stage.level : 0;
    const approval: ApprovalRow = {
      id: newId<'Approval'>(),
      instruction_id: row.id,
      version: row.version,
      level,
      operator_id: signer.id,
      decision: 'approve',
      amount_fen: row.amount_fen,
      signed_hash: sha256Hex(binding),
      reason: null,
      created_at_ms: nowMs,
    };
    await insertApproval(trx, approval);
    await audit(trx, signer, level === 0 ? 'corporate.payment_released' : 'corporate.payment_approved', nowMs, ip, {
      instructionId: row.id,
      version: row.version,
      level,
      signedHash: approval.signed_hash,
    });
    const next = progress(plan, current(row, [...approvals, approval]));
    if (next.stage === 'done') await execute(trx, ctx, enterprise, signer, row, ip);
    else
      await updateInstruction(trx, row.id, {
        state: next.stage === 'release' ? 'pending_release' : 'pending',
        level: next.stage === 'level' ? next.level : row.level,
        updated_at_ms: nowMs,
      });
    return { status: 200 as const };
  });
  if (outcome.status === 'refused') throw outcome.error;
  if (outcome.status === 202) return outcome;
  const instruction = await instructionById(ctx.db.kysely, id);
  if (instruction?.kind === 'payroll' && instruction.state === 'executed')
    await runBatch(ctx, batchIdOf(instruction), batchChunks === undefined ? {} : { maxChunks: batchChunks });
  return { status: 200 as const, body: await viewOf(ctx, session, id) };
}

/** The batch of a payroll instruction (its payee account reads `batch:<id>`). */
function batchIdOf(row: InstructionRow): string {
  return row.payee_account.slice('batch:'.length);
}

/** Rejects by the same pattern: the signer's key signs the rejection; the instruction stops there. */
export async function rejectPayment(
  ctx: Ctx,
  session: CorpSession,
  id: string,
  input: { reason: string; authorization?: Signed | undefined },
  ip: string | null,
) {
  const outcome = await signingStep(ctx, async (trx) => {
    const enterprise = await lockEnterprise(trx, session.enterprise.id);
    const signer = await lockOperator(trx, session.operator.id);
    if (!enterprise || signer?.status !== 'active') throw new AppError(errors['corporate.session_required']);
    const row = await openInstruction(trx, ctx, enterprise, id, ['pending', 'pending_release']);
    const approvals = await approvalsOf(trx, row.id);
    const { stage } = checkSigner(row, signer, approvals);
    const binding = `reject:${input.reason}:${await canonicalForm(trx, enterprise, row)}`;
    if (!input.authorization) {
      const asked = await askOperatorKey(trx, ctx, signer, SIGN_PURPOSE, binding);
      return {
        status: 202 as const,
        body: { status: 'authorization_required' as const, ...asked, canonicalHash: sha256Hex(binding) },
      };
    }
    const refused = await checkOperatorKey(trx, ctx, signer, SIGN_PURPOSE, binding, input.authorization, ip);
    if (refused) return { status: 'refused' as const, error: refused };
    const nowMs = ctx.clock.nowMs();
    await insertApproval(trx, {
      id: newId<'Approval'>(),
      instruction_id: row.id,
      version: row.version,
      level: stage.stage === 'level' ? stage.level : 0,
      operator_id: signer.id,
      decision: 'reject',
      amount_fen: row.amount_fen,
      signed_hash: sha256Hex(binding),
      reason: input.reason,
      created_at_ms: nowMs,
    });
    await updateInstruction(trx, row.id, { state: 'rejected', reason: input.reason, updated_at_ms: nowMs });
    await audit(trx, signer, 'corporate.payment_rejected', nowMs, ip, { instructionId: row.id, version: row.version });
    return { status: 200 as const };
  });
  if (outcome.status === 'refused') throw outcome.error;
  if (outcome.status === 202) return outcome;
  return { status: 200 as const, body: await viewOf(ctx, session, id) };
}

/**
 * Executes an approved instruction as one ledger entry (to the payee's account here, or to clearing for
 * another bank), within the enterprise's daily limit, which is summed under the enterprise's lock.
 */
async function execute(
  trx: Tx,
  ctx: Ctx,
  enterprise: EnterpriseRow,
  signer: OperatorRow,
  row: InstructionRow,
  ip: string | null,
): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const used = await executedSince(trx, enterprise.id, chinaDayStartMs(nowMs));
  if (used + row.amount_fen > enterprise.daily_limit_fen)
    throw new AppError(errors['corporate.enterprise_limit'], {
      daily: formatMoney(enterprise.daily_limit_fen),
      used: formatMoney(used),
    });
  if (row.kind === 'payroll') {
    // The lines post one by one after this transaction (payroll.ts): here the batch is released to run.
    await startBatch(trx, batchIdOf(row), nowMs);
    await updateInstruction(trx, row.id, { state: 'executed', executed_at_ms: nowMs, updated_at_ms: nowMs });
    await audit(trx, signer, 'corporate.batch_released', nowMs, ip, {
      instructionId: row.id,
      amountFen: row.amount_fen,
    });
    return;
  }
  const payee =
    row.payee_bank === OWN_BANK_CODE
      ? await accountBy(trx, isCardNumber(row.payee_account) ? 'card_number' : 'account_number', row.payee_account)
      : undefined;
  if (row.payee_bank === OWN_BANK_CODE && payee?.status !== 'active')
    throw new AppError(errors['corporate.payee_invalid']);
  const to = payee ? payee.id : await bankAccountId(trx, BANK_ACCOUNTS.clearing.code);
  let entryId: string;
  try {
    const posted = await postEntryAndTell(trx, {
      kind: 'corporate_payment',
      reference: `corporate:${row.id}`,
      memo: row.purpose,
      postedAtMs: nowMs,
      postings: [
        { accountId: row.from_account_id, amountFen: -row.amount_fen, counterparty: row.payee_name, memo: row.purpose },
        { accountId: to, amountFen: row.amount_fen, counterparty: enterprise.name, memo: row.purpose },
      ],
    });
    entryId = posted.entryId;
  } catch (error) {
    if (error instanceof AppError && error.code === 'payment.insufficient_funds')
      throw new AppError(errors['corporate.insufficient_funds']);
    throw error;
  }
  await updateInstruction(trx, row.id, {
    state: 'executed',
    entry_id: entryId,
    executed_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  await audit(trx, signer, 'corporate.payment_executed', nowMs, ip, {
    instructionId: row.id,
    entryId,
    amountFen: row.amount_fen,
    payeeBank: row.payee_bank,
  });
}

// ——— Reading ———

/** One instruction as the operator sees it, with the chain so far. */
export async function viewOf(ctx: Ctx, session: CorpSession, id: string): Promise<InstructionView> {
  const db = ctx.db.kysely;
  const row = await instructionById(db, id);
  if (row?.enterprise_id !== session.enterprise.id) throw new AppError(errors['corporate.instruction_not_found']);
  const operators = new Map((await operatorsOf(db, session.enterprise.id)).map((o) => [o.id, o]));
  return view(
    db as unknown as Tx,
    session.enterprise,
    row,
    await approvalsOf(db, row.id),
    operators,
    ctx.clock.nowMs(),
  );
}

async function view(
  trx: Tx,
  enterprise: EnterpriseRow,
  row: InstructionRow,
  approvals: readonly ApprovalRow[],
  operators: ReadonlyMap<string, OperatorRow>,
  nowMs: number,
): Promise<InstructionView> {
  const plan = JSON.parse(row.plan) as ApprovalPlan;
  const state =
    (row.state === 'pending' || row.state === 'pending_release') && row.expires_at_ms <= nowMs ? 'expired' : row.state;
  const stage = progress(plan, current(row, approvals));
  const who = (id: string) => {
    const o = operators.get(id);
    return { id, code: o?.code ?? '', name: o?.name ?? '' };
  };
  return {
    id: row.id,
    kind: row.kind,
    state,
    version: row.version,
    level: row.level,
    required:
      stage.stage === 'level' ? (plan.levels[stage.level - 1]?.required ?? 0) : stage.stage === 'release' ? 1 : 0,
    approvals: stage.stage === 'level' ? stage.have : 0,
    release: plan.release,
    fromAccountId: row.from_account_id,
    payee: { name: row.payee_name, accountNumber: row.payee_account, bankCode: row.payee_bank },
    amount: money(row.amount_fen),
    amountInWords: toChineseCapital(row.amount_fen),
    purpose: row.purpose,
    maker: who(row.maker_id),
    chain: approvals
      .filter((a) => a.version === row.version)
      .map((a) => ({
        level: a.level,
        operator: who(a.operator_id),
        decision: a.decision,
        ...(a.reason ? { reason: a.reason } : {}),
        at: isoTime(a.created_at_ms),
      })),
    canonicalHash: sha256Hex(await canonicalForm(trx, enterprise, row)),
    ...(row.reason ? { reason: row.reason } : {}),
    createdAt: isoTime(row.created_at_ms),
    expiresAt: isoTime(row.expires_at_ms),
    ...(row.executed_at_ms !== null ? { executedAt: isoTime(row.executed_at_ms) } : {}),
  };
}

/** The enterprise's instructions, or only those this operator may sign now ("waiting for me"). */
export async function listPayments(ctx: Ctx, session: CorpSession, waitingForMe: boolean) {
  const db = ctx.db.kysely;
  const nowMs = ctx.clock.nowMs();
  const operators = new Map((await operatorsOf(db, session.enterprise.id)).map((o) => [o.id, o]));
  const rows = await instructionsOf(db, session.enterprise.id);
  const items: InstructionView[] = [];
  for (const row of rows) {
    const approvals = await approvalsOf(db, row.id);
    if (waitingForMe && !mayApproveNow(row, session.operator, approvals, nowMs)) continue;
    items.push(await view(db as unknown as Tx, session.enterprise, row, approvals, operators, nowMs));
  }
  return { items };
}

function mayApproveNow(row: InstructionRow, operator: OperatorRow, approvals: readonly ApprovalRow[], nowMs: number) {
  if (row.state !== 'pending' && row.state !== 'pending_release') return false;
  if (row.expires_at_ms <= nowMs) return false;
  try {
    checkSigner(row, operator, approvals);
    return true;
  } catch {
    return false;
  }
}
