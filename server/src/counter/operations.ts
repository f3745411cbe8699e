import { appendAudit } from '../audit/index.ts';
import type { Tx } from '../database.ts';
import { nextChinaMidnightMs } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { insertOperation, type OperationRow, type StaffRow } from './store.ts';

/**
 * The counter's operations framework: every teller operation is one row of `counter_operation` (what,
 * by whom, at which branch, for which customer and account, with its parameters but never a secret)
 * and one audit row. A sensitive one is stored as `pending_approval` and takes no effect; its
 * executor runs later, in the transaction of a supervisor's approval (approvals.ts).
 */

/** What an operation's work did: the `result` is stored; `reply` (which may hold a secret) is only answered. */
export type Executed = { result: Record<string, unknown>; reply?: Record<string, unknown> };

/** An operation's effect, run at once or at approval, in the caller's transaction, from the stored row. */
export type Executor = (trx: Tx, ctx: AppContext, op: OperationRow) => Promise<Executed>;

export type OperationRequest = {
  kind: string;
  customerId?: string | null;
  accountId?: string | null;
  /** What was asked, shown to the approver and on the receipt: never a PIN or password. */
  params: Record<string, unknown>;
  amountFen?: number | null;
};

export type Performed =
  | { status: 'completed'; operationId: string; reply: Record<string, unknown> }
  | { status: 'approval_required'; approvalId: string };

/**
 * Runs a teller operation in the caller's transaction: when `needsApproval`, records it as pending until
 * the end of the business day (no effect); otherwise runs `execute` and records it completed. Either
 * way one audit row names the staff member, the branch, the operation and the customer.
 */
export async function perform(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  request: OperationRequest,
  options: { ip: string | null; needsApproval: boolean; execute: Executor },
): Promise<Performed> {
  const nowMs = ctx.clock.nowMs();
  const op: OperationRow = {
    id: newId<'CounterOperation'>(),
    kind: request.kind,
    maker_id: staff.id,
    branch_code: staff.branch_code,
    customer_id: request.customerId ?? null,
    account_id: request.accountId ?? null,
    params: JSON.stringify(request.params),
    amount_fen: request.amountFen ?? null,
    state: options.needsApproval ? 'pending_approval' : 'completed',
    approver_id: null,
    reason: null,
    result: null,
    created_at_ms: nowMs,
    expires_at_ms: options.needsApproval ? nextChinaMidnightMs(nowMs) : null,
    decided_at_ms: null,
  };
  if (options.needsApproval) {
    await insertOperation(trx, op);
    await auditOperation(trx, op, { kind: 'counter.approval_requested', staff, atMs: nowMs, ip: options.ip });
    return { status: 'approval_required', approvalId: op.id };
  }
  const executed = await options.execute(trx, ctx, op);
  // The row is written after the work so an executor may still refuse (a typed error rolls all back).
  await insertOperation(trx, { ...op, result: JSON.stringify(executed.result) });
  await auditOperation(trx, op, { kind: `counter.${op.kind}`, staff, atMs: nowMs, ip: options.ip });
  return { status: 'completed', operationId: op.id, reply: { ...executed.result, ...executed.reply } };
}

/** The operation's audit row: who (actor), where (branch), what (kind, operation) and for whom (subject). */
export async function auditOperation(
  trx: Tx,
  op: OperationRow,
  event: { kind: string; staff: StaffRow; atMs: number; ip: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await appendAudit(trx, {
    kind: event.kind,
    atMs: event.atMs,
    actor: { type: 'staff', id: event.staff.id },
    ...(op.customer_id ? { subject: { type: 'customer', id: op.customer_id } } : {}),
    ip: event.ip,
    details: {
      operationId: op.id,
      operation: op.kind,
      branch: event.staff.branch_code,
      makerId: op.maker_id,
      role: event.staff.role,
      ...(op.account_id ? { accountId: op.account_id } : {}),
      ...(op.amount_fen !== null ? { amountFen: op.amount_fen } : {}),
      ...event.details,
    },
  });
}

/** An operation's stored parameters. */
export function paramsOf<T = Record<string, unknown>>(op: OperationRow): T {
  return JSON.parse(op.params) as T;
}
