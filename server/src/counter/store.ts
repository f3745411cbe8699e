import type { Kysely, Selectable } from 'kysely';
import type { Database, Tx } from '../database.ts';

/**
 * Every query on the counter's tables: staff, staff sessions, counter operations and password-card
 * prints. Functions that lock rows or are one step of several take a `Tx`.
 */

export type StaffRole = 'teller' | 'supervisor' | 'admin';
export type OperationState = 'completed' | 'pending_approval' | 'approved' | 'rejected' | 'expired';

export type CounterTables = {
  staff: {
    id: string;
    username: string;
    name: string;
    role: StaffRole;
    branch_code: string;
    status: 'active' | 'disabled';
    password_hash: string;
    totp_sealed: string;
    totp_last_step: number | null;
    failed_count: number;
    locked_until_ms: number | null;
    created_at_ms: number;
    updated_at_ms: number;
  };
  staff_session: {
    id: string;
    token_hash: string;
    staff_id: string;
    ip: string | null;
    user_agent: string | null;
    created_at_ms: number;
    last_seen_at_ms: number;
    expires_at_ms: number;
    revoked_at_ms: number | null;
  };
  counter_operation: {
    id: string;
    kind: string;
    maker_id: string;
    branch_code: string;
    customer_id: string | null;
    account_id: string | null;
    params: string;
    amount_fen: number | null;
    state: OperationState;
    approver_id: string | null;
    reason: string | null;
    result: string | null;
    created_at_ms: number;
    expires_at_ms: number | null;
    decided_at_ms: number | null;
  };
  counter_card_print: { medium_id: string; staff_id: string; printed_at_ms: number };
  staff_key_login: {
    id: string;
    staff_id: string;
    challenge_id: string;
    created_at_ms: number;
    expires_at_ms: number;
    used_at_ms: number | null;
  };
};

export type StaffRow = Selectable<CounterTables['staff']>;
export type StaffSessionRow = Selectable<CounterTables['staff_session']>;
export type OperationRow = Selectable<CounterTables['counter_operation']>;
export type StaffKeyLoginRow = Selectable<CounterTables['staff_key_login']>;

// ——— Staff ———

export function staffByUsername(db: Kysely<Database>, lowerUsername: string): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('username', '=', lowerUsername).executeTakeFirst();
}

export function staffById(db: Kysely<Database>, id: string): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A staff row locked for the rest of the transaction (failure count, lock and TOTP step change). */
export function lockedStaff(trx: Tx, id: string): Promise<StaffRow | undefined> {
  return trx.selectFrom('staff').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertStaff(trx: Tx, row: StaffRow): Promise<void> {
  await trx.insertInto('staff').values(row).execute();
}

/** Writes the count of consecutive failed sign-ins and the lock (null: not locked). */
export async function setStaffFailures(
  trx: Tx,
  id: string,
  state: { failedCount: number; lockedUntilMs: number | null; nowMs: number },
): Promise<void> {
  await trx
    .updateTable('staff')
    .set({ failed_count: state.failedCount, locked_until_ms: state.lockedUntilMs, updated_at_ms: state.nowMs })
    .where('id', '=', id)
    .execute();
}

/** A successful sign-in: the count starts afresh and the TOTP step is used up. */
export async function noteStaffSignIn(trx: Tx, id: string, totpStep: number, nowMs: number): Promise<void> {
  await trx
    .updateTable('staff')
    .set({ failed_count: 0, locked_until_ms: null, totp_last_step: totpStep, updated_at_ms: nowMs })
    .where('id', '=', id)
    .execute();
}

/** A TOTP step used outside sign-in (re-asked before adding a key): that code is not accepted again. */
export async function setStaffTotpStep(trx: Tx, id: string, totpStep: number, nowMs: number): Promise<void> {
  await trx.updateTable('staff').set({ totp_last_step: totpStep, updated_at_ms: nowMs }).where('id', '=', id).execute();
}

/** Every staff member, by branch and username (the operator's list; staff are few). */
export function allStaff(db: Kysely<Database>): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().orderBy('branch_code').orderBy('username').limit(10_000).execute();
}

export async function setStaffStatus(trx: Tx, id: string, status: StaffRow['status'], nowMs: number): Promise<void> {
  await trx.updateTable('staff').set({ status, updated_at_ms: nowMs }).where('id', '=', id).execute();
}

/** A new TOTP secret: the old authenticator's codes stop working, and no step has been used yet. */
export async function setStaffTotp(trx: Tx, id: string, totpSealed: string, nowMs: number): Promise<void> {
  await trx
    .updateTable('staff')
    .set({ totp_sealed: totpSealed, totp_last_step: null, updated_at_ms: nowMs })
    .where('id', '=', id)
    .execute();
}

/** Ends every live session of a staff member (disabled, or given a new second factor). */
export async function revokeStaffSessionsOf(trx: Tx, staffId: string, nowMs: number): Promise<void> {
  await trx
    .updateTable('staff_session')
    .set({ revoked_at_ms: nowMs })
    .where('staff_id', '=', staffId)
    .where('revoked_at_ms', 'is', null)
    .execute();
}

// ——— Sign-in with a security key ———

export async function insertStaffKeyLogin(trx: Tx, row: StaffKeyLoginRow): Promise<void> {
  await trx.insertInto('staff_key_login').values(row).execute();
}

/** A key sign-in locked until the transaction ends: two answers to one attempt are taken one at a time. */
export function lockedStaffKeyLogin(trx: Tx, id: string): Promise<StaffKeyLoginRow | undefined> {
  return trx.selectFrom('staff_key_login').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function markStaffKeyLoginUsed(trx: Tx, id: string, nowMs: number): Promise<void> {
  await trx.updateTable('staff_key_login').set({ used_at_ms: nowMs }).where('id', '=', id).execute();
}

/** Deletes key sign-ins that ended before `beforeMs` (housekeeping: nobody can use them). */
export async function deleteStaffKeyLoginsExpiredBefore(db: Kysely<Database>, beforeMs: number): Promise<number> {
  const result = await db.deleteFrom('staff_key_login').where('expires_at_ms', '<', beforeMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ——— Staff sessions ———

export async function insertStaffSession(trx: Tx, row: StaffSessionRow): Promise<void> {
  await trx.insertInto('staff_session').values(row).execute();
}

export function staffSessionByTokenHash(db: Kysely<Database>, tokenHash: string) {
  return db.selectFrom('staff_session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchStaffSession(db: Kysely<Database>, id: string, nowMs: number): Promise<void> {
  await db.updateTable('staff_session').set({ last_seen_at_ms: nowMs }).where('id', '=', id).execute();
}

export async function revokeStaffSessionByTokenHash(db: Kysely<Database>, tokenHash: string, nowMs: number) {
  await db
    .updateTable('staff_session')
    .set({ revoked_at_ms: nowMs })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at_ms', 'is', null)
    .execute();
}

// ——— Operations ———

export async function insertOperation(trx: Tx, row: OperationRow): Promise<void> {
  await trx.insertInto('counter_operation').values(row).execute();
}

export function operationById(db: Kysely<Database>, id: string): Promise<OperationRow | undefined> {
  return db.selectFrom('counter_operation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An operation locked until the transaction ends: two supervisors deciding at once decide one at a time. */
export function lockedOperation(trx: Tx, id: string): Promise<OperationRow | undefined> {
  return trx.selectFrom('counter_operation').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Records a decision on a pending operation (approved with its result, rejected, expired). */
export async function decideOperation(
  trx: Tx,
  id: string,
  decision: {
    state: OperationState;
    approverId: string | null;
    reason: string | null;
    result: string | null;
    nowMs: number;
  },
): Promise<void> {
  await trx
    .updateTable('counter_operation')
    .set({
      state: decision.state,
      approver_id: decision.approverId,
      reason: decision.reason,
      result: decision.result,
      decided_at_ms: decision.nowMs,
    })
    .where('id', '=', id)
    .execute();
}

/** Marks the branch's pending requests whose business day has ended as expired; returns how many. */
export async function expireDueOperations(db: Kysely<Database>, branchCode: string, nowMs: number) {
  const result = await db
    .updateTable('counter_operation')
    .set({ state: 'expired', decided_at_ms: nowMs })
    .where('branch_code', '=', branchCode)
    .where('state', '=', 'pending_approval')
    .where('expires_at_ms', '<=', nowMs)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A branch's pending operations whose business day has ended (each is then expired with its audit row). */
export function dueOperations(db: Kysely<Database>, branchCode: string, nowMs: number): Promise<OperationRow[]> {
  return db
    .selectFrom('counter_operation')
    .selectAll()
    .where('branch_code', '=', branchCode)
    .where('state', '=', 'pending_approval')
    .where('expires_at_ms', '<=', nowMs)
    .limit(1000)
    .execute();
}

/** Most approval requests one list shows (a limit on everything). */
export const MAX_APPROVALS_LISTED = 100;

export function operationsOfBranch(db: Kysely<Database>, branchCode: string, state: OperationState | null) {
  let query = db.selectFrom('counter_operation').selectAll().where('branch_code', '=', branchCode);
  if (state) query = query.where('state', '=', state);
  else query = query.where('expires_at_ms', 'is not', null);
  return query.orderBy('created_at_ms', 'desc').orderBy('id').limit(MAX_APPROVALS_LISTED).execute();
}

/**
 * The latest operations of a kind for a customer that took effect, newest first (the way back from a
 * suspension or an investigation restores what they replaced).
 */
export function effectiveOperations(db: Kysely<Database>, customerId: string, kind: string, limit: number) {
  return db
    .selectFrom('counter_operation')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('kind', '=', kind)
    .where('state', 'in', ['completed', 'approved'])
    .orderBy('created_at_ms', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

// ——— Password-card prints ———

/** Records that a card was printed; false when it had been already (the print is once only). */
export async function claimCardPrint(trx: Tx, mediumId: string, staffId: string, nowMs: number): Promise<boolean> {
  const existing = await trx
    .selectFrom('counter_card_print')
    .select('medium_id')
    .where('medium_id', '=', mediumId)
    .forUpdate()
    .executeTakeFirst();
  if (existing) return false;
  await trx
    .insertInto('counter_card_print')
    .values({ medium_id: mediumId, staff_id: staffId, printed_at_ms: nowMs })
    .execute();
  return true;
}

/** The names of the staff with these ids (the receipt and the approvals list name them). */
export async function staffNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, StaffRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('staff')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}
