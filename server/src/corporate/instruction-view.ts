import type { Tx } from '../database.ts';
import { isoTime } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { money, toChineseCapital } from '../platform/money.ts';
import { sha256Hex } from './common.ts';
import { corporateErrors as errors } from './errors.ts';
import { type ApprovalPlan, progress } from './policy.ts';
import type { InstructionView } from './schema.ts';
import type { CorpSession } from './sessions.ts';
import {
  type ApprovalRow,
  approvalsOf,
  type EnterpriseRow,
  type InstructionRow,
  instructionById,
  instructionsOf,
  type OperatorRow,
  operatorsOf,
} from './store.ts';
import { type Ctx, canonicalForm, checkSigner, current } from './instruction-rules.ts';

/** Instructions as operators read them: one with its chain so far, the enterprise's list, "waiting for me". */

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
    ...(row.clearing ? { clearing: row.clearing } : {}),
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
