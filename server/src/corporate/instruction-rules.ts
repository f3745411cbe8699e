import { accountById } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { canonicalJson } from '../ledger/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { formatMoney } from '../platform/money.ts';
import { accountsOfOperator } from './common.ts';
import { corporateErrors as errors, STATE_NAMES } from './errors.ts';
import { expireIfLapsed } from './expiry.ts';
import { batchCanonical } from './payroll.ts';
import { type ApprovalPlan, progress } from './policy.ts';
import {
  type ApprovalRow,
  type EnterpriseRow,
  type InstructionRow,
  lockInstruction,
  type OperatorRow,
} from './store.ts';

/**
 * The rules every step of a payment instruction shares: the canonical form signatures bind to, who may
 * sign now, the operator's own limits, and how a step meets an instruction that has closed (an expiry
 * just written is kept, the step answered as closed).
 */

export type Ctx = Pick<AppContext, 'db' | 'config' | 'clock'>;
export const SIGN_PURPOSE = 'corporate.instruction';
/** This bank's code in the payment system (payments/banks.ts): payees here are checked and paid at once. */
export const OWN_BANK_CODE = '888';

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

export function checkOperatorLimit(operator: OperatorRow, amountFen: number, usedTodayFen: number): void {
  if (amountFen > operator.single_limit_fen || usedTodayFen + amountFen > operator.daily_limit_fen)
    throw new AppError(errors['corporate.operator_limit'], {
      single: formatMoney(operator.single_limit_fen),
      daily: formatMoney(operator.daily_limit_fen),
      used: formatMoney(usedTodayFen),
    });
}

/** The instruction, locked, when it is the enterprise's and open; a lapsed one is marked expired first. */
export async function openInstruction(
  trx: Tx,
  ctx: Ctx,
  enterprise: EnterpriseRow,
  id: string,
  states: readonly InstructionRow['state'][],
): Promise<InstructionRow> {
  const row = await lockInstruction(trx, id);
  if (row?.enterprise_id !== enterprise.id) throw new AppError(errors['corporate.instruction_not_found']);
  const state = (await expireIfLapsed(trx, row, ctx.clock.nowMs())) ? 'expired' : row.state;
  if (!states.includes(state)) throw new ClosedInstruction(state);
  return row;
}

/** An instruction that can no longer be acted on; thrown after the expiry it may have written is kept. */
export class ClosedInstruction extends Error {
  readonly state: string;
  constructor(state: string) {
    super(`instruction is ${state}`);
    this.state = state;
  }
}

export function closedError(state: string): AppError {
  const names = STATE_NAMES[state] ?? { zh: state, en: state };
  return new AppError(errors['corporate.instruction_closed'], { state: names.zh, stateEn: names.en }, { state });
}

/**
 * Runs a step on an instruction (an edit, a submission, a signature) in one transaction; a closed
 * instruction (an expiry just written) is committed and then answered as `corporate.instruction_closed`.
 */
export async function instructionStep<T>(ctx: Ctx, work: (trx: Tx) => Promise<T>): Promise<T> {
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

export type Stage = ReturnType<typeof progress>;

/** Who may sign the instruction now, or the typed refusal. */
export function checkSigner(
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

export function current(row: InstructionRow, approvals: readonly ApprovalRow[]) {
  return approvals
    .filter((a) => a.version === row.version && a.decision === 'approve')
    .map((a) => ({ level: a.level, operatorId: a.operator_id }));
}

/** The batch of a payroll instruction (its payee account reads `batch:<id>`). */
export function batchIdOf(row: InstructionRow): string {
  return row.payee_account.slice('batch:'.length);
}
