import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import { customerById } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import { assert } from '../platform/assert.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { money } from '../platform/money.ts';
import { counterErrors as errors, statusParams } from './errors.ts';
import { EXECUTORS } from './executors.ts';
import { auditOperation, paramsOf } from './operations.ts';
import type { OperationView } from './schema.ts';
import {
  decideOperation,
  dueOperations,
  lockedOperation,
  type OperationRow,
  type OperationState,
  operationById,
  operationsOfBranch,
  type StaffRow,
  staffNames,
} from './store.ts';

/**
 * Maker-checker (issue 15, "Staff and control"): a pending operation takes effect only when a
 * supervisor (or admin) of its branch who is not its maker approves; the executor then runs in the
 * approval's transaction. Deciding again answers the same and does nothing more. Pending requests
 * lapse at the end of their business day (Beijing time), noticed whenever they are read or decided.
 */

const APPROVER_ROLES = new Set(['supervisor', 'admin']);
const STATE_OF_FILTER: Record<string, OperationState> = {
  pending: 'pending_approval',
  approved: 'approved',
  rejected: 'rejected',
  expired: 'expired',
};

/** The branch's approval requests in a state (all that ever needed approval when none is given), newest first. */
export async function approvalsOf(ctx: AppContext, staff: StaffRow, filter: string | undefined) {
  const db = ctx.db.kysely;
  const nowMs = ctx.clock.nowMs();
  for (const due of await dueOperations(db, staff.branch_code, nowMs))
    await withTransaction(db, async (trx) => {
      // Locked and checked again: a supervisor may be deciding it at this moment.
      const op = await lockedOperation(trx, due.id);
      if (op?.state === 'pending_approval' && op.expires_at_ms !== null && op.expires_at_ms <= nowMs)
        await expire(trx, op, nowMs);
    });
  const rows = await operationsOfBranch(db, staff.branch_code, filter ? (STATE_OF_FILTER[filter] ?? null) : null);
  return { items: await operationViews(db, rows) };
}

/** Operations as the inbox shows them: the staff and the customer named. */
export async function operationViews(db: Kysely<Database>, rows: readonly OperationRow[]): Promise<OperationView[]> {
  const staff = await staffNames(
    db,
    rows.flatMap((row) => (row.approver_id ? [row.maker_id, row.approver_id] : [row.maker_id])),
  );
  const names = new Map<string, string>();
  for (const id of new Set(rows.flatMap((row) => (row.customer_id ? [row.customer_id] : [])))) {
    const customer = await customerById(db, id);
    if (customer) names.set(id, customer.name);
  }
  const ref = (id: string) => {
    const member = staff.get(id);
    assert(member, 'an operation names existing staff');
    return { id, name: member.name, username: member.username };
  };
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    state: row.state,
    branch: row.branch_code,
    maker: ref(row.maker_id),
    approver: row.approver_id ? ref(row.approver_id) : null,
    customerId: row.customer_id,
    customerName: row.customer_id ? (names.get(row.customer_id) ?? null) : null,
    accountId: row.account_id,
    params: paramsOf(row),
    amount: row.amount_fen === null ? null : money(row.amount_fen),
    reason: row.reason,
    createdAt: isoTime(row.created_at_ms),
    expiresAt: row.expires_at_ms === null ? null : isoTime(row.expires_at_ms),
    decidedAt: row.decided_at_ms === null ? null : isoTime(row.decided_at_ms),
  }));
}

/**
 * A request that lapsed at the end of its business day: no one decided it, so the audit row's actor is
 * the system, and it names the maker and the branch like every counter row.
 */
async function expire(trx: Tx, op: OperationRow, nowMs: number): Promise<void> {
  await decideOperation(trx, op.id, { state: 'expired', approverId: null, reason: null, result: null, nowMs });
  await appendAudit(trx, {
    kind: 'counter.expired',
    atMs: nowMs,
    actor: { type: 'system', id: 'counter' },
    ...(op.customer_id ? { subject: { type: 'customer', id: op.customer_id } } : {}),
    ip: null,
    details: {
      operationId: op.id,
      operation: op.kind,
      branch: op.branch_code,
      makerId: op.maker_id,
      ...(op.account_id ? { accountId: op.account_id } : {}),
      ...(op.amount_fen !== null ? { amountFen: op.amount_fen } : {}),
    },
  });
}

type Decision = { kind: 'approve' } | { kind: 'reject'; reason: string };

/**
 * A supervisor's decision on a pending operation. Approving runs its executor in this transaction; an
 * executor's refusal (the balance changed meanwhile) rolls everything back and leaves it pending.
 */
export async function decide(
  ctx: AppContext,
  approver: StaffRow,
  operationId: string,
  decision: Decision,
  ip: string | null,
) {
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    const op = await lockedOperation(trx, operationId);
    if (!op || op.expires_at_ms === null || op.branch_code !== approver.branch_code)
      throw new AppError(errors['counter.approval_not_found']);
    if (op.maker_id === approver.id) throw new AppError(errors['counter.self_approval']);
    if (!APPROVER_ROLES.has(approver.role)) throw new AppError(errors['counter.approver_role']);
    const wanted = decision.kind === 'approve' ? 'approved' : 'rejected';
    if (op.state === wanted) return { op, result: undefined };
    if (op.state === 'pending_approval' && op.expires_at_ms <= nowMs) {
      await expire(trx, op, nowMs);
      return { closed: 'expired' as const };
    }
    if (op.state !== 'pending_approval') return { closed: op.state };
    if (decision.kind === 'reject') {
      await decideOperation(trx, op.id, {
        state: 'rejected',
        approverId: approver.id,
        reason: decision.reason,
        result: null,
        nowMs,
      });
      await auditOperation(trx, op, {
        kind: 'counter.rejected',
        staff: approver,
        atMs: nowMs,
        ip,
        details: { reason: decision.reason },
      });
      return {
        op: {
          ...op,
          state: 'rejected' as const,
          approver_id: approver.id,
          reason: decision.reason,
          decided_at_ms: nowMs,
        },
        result: undefined,
      };
    }
    const execute = EXECUTORS[op.kind];
    assert(execute, `no executor for counter operation ${op.kind}`);
    const executed = await execute(trx, ctx, op);
    const stored = JSON.stringify(executed.result);
    await decideOperation(trx, op.id, {
      state: 'approved',
      approverId: approver.id,
      reason: null,
      result: stored,
      nowMs,
    });
    await auditOperation(trx, op, { kind: 'counter.approved', staff: approver, atMs: nowMs, ip });
    await auditOperation(trx, op, { kind: `counter.${op.kind}`, staff: approver, atMs: nowMs, ip });
    return {
      op: { ...op, state: 'approved' as const, approver_id: approver.id, result: stored, decided_at_ms: nowMs },
      result: { ...executed.result, ...executed.reply },
    };
  });
  ctx.kickOutbox();
  if ('closed' in outcome)
    throw new AppError(errors['counter.approval_closed'], statusParams(outcome.closed ?? 'expired', 'state'));
  const [view] = await operationViews(ctx.db.kysely, [outcome.op]);
  assert(view, 'one view per operation');
  return {
    status: decision.kind === 'approve' ? ('approved' as const) : ('rejected' as const),
    operation: view,
    ...(outcome.result ? { result: outcome.result } : {}),
  };
}

/** One operation, for its receipt; only staff of its branch may see it. */
export async function operationOfBranch(ctx: AppContext, staff: StaffRow, operationId: string): Promise<OperationRow> {
  const op = await operationById(ctx.db.kysely, operationId);
  if (!op || op.branch_code !== staff.branch_code) throw new AppError(errors['counter.operation_not_found']);
  return op;
}
