import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, Tx } from '../database.ts';

/** Every query on corporate e-banking's tables. Functions that lock rows take a `Tx`. */

export type OperatorRole = 'admin' | 'maker' | 'checker' | 'releaser' | 'viewer';
export type InstructionState = 'draft' | 'pending' | 'pending_release' | 'executed' | 'rejected' | 'expired';
export type BusinessType = 'payment' | 'payroll';

export type CorporateTables = {
  corp_enterprise: {
    id: string;
    code: string;
    name: string;
    uscc: string;
    branch_code: string;
    status: 'active' | 'suspended';
    daily_limit_fen: number;
    approval_ttl_seconds: number;
    created_at_ms: number;
    updated_at_ms: number;
  };
  corp_enterprise_account: { account_id: string; enterprise_id: string; created_at_ms: number };
  corp_operator: {
    id: string;
    enterprise_id: string;
    code: string;
    name: string;
    id_number_hmac: string;
    id_number_masked: string;
    mobile: string;
    role: OperatorRole;
    status: 'active' | 'disabled';
    password_hash: string;
    password_temporary: number;
    failed_count: number;
    locked_until_ms: number | null;
    single_limit_fen: number;
    daily_limit_fen: number;
    accounts: string;
    created_at_ms: number;
    updated_at_ms: number;
  };
  corp_session: {
    id: string;
    token_hash: string;
    operator_id: string;
    ip: string | null;
    created_at_ms: number;
    last_seen_at_ms: number;
    expires_at_ms: number;
    revoked_at_ms: number | null;
  };
  corp_login: {
    id: string;
    operator_id: string;
    state: 'change_password' | 'register_medium' | 'challenge' | 'done';
    ref: string | null;
    created_at_ms: number;
    expires_at_ms: number;
  };
  corp_policy: {
    account_id: string;
    business_type: BusinessType;
    enterprise_id: string;
    tiers: string;
    updated_by: string;
    updated_at_ms: number;
  };
  corp_instruction: {
    id: string;
    enterprise_id: string;
    kind: BusinessType;
    from_account_id: string;
    payee_name: string;
    payee_account: string;
    payee_bank: string;
    amount_fen: number;
    purpose: string;
    maker_id: string;
    state: InstructionState;
    version: number;
    level: number;
    plan: string;
    reason: string | null;
    entry_id: string | null;
    created_at_ms: number;
    updated_at_ms: number;
    expires_at_ms: number;
    executed_at_ms: number | null;
    /** A payment to another bank, executed: where clearing stands (null otherwise). */
    clearing: 'pending' | 'settled' | 'returned' | null;
    clearing_due_at_ms: number | null;
    clearing_entry_id: string | null;
    clearing_reason: string | null;
  };
  corp_batch: {
    id: string;
    enterprise_id: string;
    instruction_id: string;
    file_name: string;
    encoding: string;
    count: number;
    total_fen: number;
    lines_hash: string;
    report: string;
    state: 'validated' | 'executing' | 'completed';
    created_at_ms: number;
    updated_at_ms: number;
  };
  corp_batch_line: {
    batch_id: string;
    line_no: number;
    account_number: string;
    name: string;
    bank_code: string;
    amount_fen: number;
    memo: string;
    status: 'pending' | 'posted' | 'failed';
    entry_id: string | null;
    error: string | null;
    /** Lines paid to another bank: where clearing stands (null for this bank's accounts). */
    clearing: 'pending' | 'settled' | 'returned' | null;
    clearing_due_at_ms: number | null;
    clearing_entry_id: string | null;
    clearing_reason: string | null;
  };
  corp_approval: {
    id: string;
    instruction_id: string;
    version: number;
    level: number;
    operator_id: string;
    decision: 'approve' | 'reject';
    amount_fen: number;
    signed_hash: string;
    reason: string | null;
    created_at_ms: number;
  };
};

export type EnterpriseRow = Selectable<CorporateTables['corp_enterprise']>;
export type OperatorRow = Selectable<CorporateTables['corp_operator']>;
export type CorpSessionRow = Selectable<CorporateTables['corp_session']>;
export type CorpLoginRow = Selectable<CorporateTables['corp_login']>;
export type PolicyRow = Selectable<CorporateTables['corp_policy']>;
export type InstructionRow = Selectable<CorporateTables['corp_instruction']>;
export type ApprovalRow = Selectable<CorporateTables['corp_approval']>;
export type BatchRow = Selectable<CorporateTables['corp_batch']>;
export type BatchLineRow = Selectable<CorporateTables['corp_batch_line']>;

/** Most operators one enterprise may have, and most instructions one list shows: a limit on everything. */
export const MAX_OPERATORS = 200;
export const MAX_LISTED = 100;

// ——— Enterprises ———

export async function insertEnterprise(trx: Tx, row: EnterpriseRow): Promise<void> {
  await trx.insertInto('corp_enterprise').values(row).execute();
}

export function enterpriseById(db: Kysely<Database>, id: string): Promise<EnterpriseRow | undefined> {
  return db.selectFrom('corp_enterprise').selectAll().where('id', '=', id).executeTakeFirst();
}

export function enterpriseByCode(db: Kysely<Database>, code: string): Promise<EnterpriseRow | undefined> {
  return db.selectFrom('corp_enterprise').selectAll().where('code', '=', code).executeTakeFirst();
}

export function enterpriseByUscc(db: Kysely<Database>, uscc: string): Promise<EnterpriseRow | undefined> {
  return db.selectFrom('corp_enterprise').selectAll().where('uscc', '=', uscc).executeTakeFirst();
}

/** Locks the enterprise's row: the first lock of every money step (enterprise → operators → instruction → ledger). */
export function lockEnterprise(trx: Tx, id: string): Promise<EnterpriseRow | undefined> {
  return trx.selectFrom('corp_enterprise').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertEnterpriseAccounts(
  trx: Tx,
  enterpriseId: string,
  accountIds: readonly string[],
  nowMs: number,
): Promise<void> {
  if (accountIds.length === 0) return;
  await trx
    .insertInto('corp_enterprise_account')
    .values(accountIds.map((account_id) => ({ account_id, enterprise_id: enterpriseId, created_at_ms: nowMs })))
    .execute();
}

export async function enterpriseOfAccounts(
  db: Kysely<Database>,
  accountIds: readonly string[],
): Promise<Array<{ account_id: string; enterprise_id: string }>> {
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('corp_enterprise_account')
    .select(['account_id', 'enterprise_id'])
    .where('account_id', 'in', accountIds)
    .execute();
}

export async function accountsOfEnterprise(db: Kysely<Database>, enterpriseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('corp_enterprise_account')
    .select('account_id')
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('created_at_ms')
    .orderBy('account_id')
    .limit(MAX_LISTED)
    .execute();
  return rows.map((r) => r.account_id);
}

// ——— Operators ———

export async function insertOperator(trx: Tx, row: OperatorRow): Promise<void> {
  await trx.insertInto('corp_operator').values(row).execute();
}

export function operatorById(db: Kysely<Database>, id: string): Promise<OperatorRow | undefined> {
  return db.selectFrom('corp_operator').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockOperator(trx: Tx, id: string): Promise<OperatorRow | undefined> {
  return trx.selectFrom('corp_operator').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function operatorByCode(
  db: Kysely<Database>,
  enterpriseId: string,
  code: string,
): Promise<OperatorRow | undefined> {
  return db
    .selectFrom('corp_operator')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export function operatorsOf(db: Kysely<Database>, enterpriseId: string): Promise<OperatorRow[]> {
  return db
    .selectFrom('corp_operator')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('code')
    .limit(MAX_OPERATORS)
    .execute();
}

export async function updateOperator(
  trx: Tx,
  id: string,
  change: Partial<Omit<OperatorRow, 'id' | 'enterprise_id' | 'code'>>,
): Promise<void> {
  await trx.updateTable('corp_operator').set(change).where('id', '=', id).execute();
}

// ——— Sessions and sign-in attempts ———

export async function insertCorpSession(trx: Tx, row: CorpSessionRow): Promise<void> {
  await trx.insertInto('corp_session').values(row).execute();
}

export function corpSessionByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<CorpSessionRow | undefined> {
  return db.selectFrom('corp_session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchCorpSession(db: Kysely<Database>, id: string, nowMs: number): Promise<void> {
  await db.updateTable('corp_session').set({ last_seen_at_ms: nowMs }).where('id', '=', id).execute();
}

export async function revokeCorpSessionByTokenHash(trx: Tx, tokenHash: string, nowMs: number): Promise<void> {
  await trx
    .updateTable('corp_session')
    .set({ revoked_at_ms: nowMs })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at_ms', 'is', null)
    .execute();
}

export async function revokeCorpSessionsOf(trx: Tx, operatorId: string, nowMs: number): Promise<void> {
  await trx
    .updateTable('corp_session')
    .set({ revoked_at_ms: nowMs })
    .where('operator_id', '=', operatorId)
    .where('revoked_at_ms', 'is', null)
    .execute();
}

export async function insertCorpLogin(trx: Tx, row: CorpLoginRow): Promise<void> {
  await trx.insertInto('corp_login').values(row).execute();
}

export function lockCorpLogin(trx: Tx, id: string): Promise<CorpLoginRow | undefined> {
  return trx.selectFrom('corp_login').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateCorpLogin(
  trx: Tx,
  id: string,
  change: { state: CorpLoginRow['state']; ref: string | null },
): Promise<void> {
  await trx.updateTable('corp_login').set(change).where('id', '=', id).execute();
}

// ——— Policies ———

export function policiesOf(db: Kysely<Database>, enterpriseId: string): Promise<PolicyRow[]> {
  return db
    .selectFrom('corp_policy')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('account_id')
    .orderBy('business_type')
    .limit(MAX_LISTED)
    .execute();
}

export function policyOf(
  db: Kysely<Database>,
  accountId: string,
  businessType: BusinessType,
): Promise<PolicyRow | undefined> {
  return db
    .selectFrom('corp_policy')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('business_type', '=', businessType)
    .executeTakeFirst();
}

/** Replaces the enterprise's policies by these (a PUT of the whole set). */
export async function replacePolicies(trx: Tx, enterpriseId: string, rows: readonly PolicyRow[]): Promise<void> {
  await trx.deleteFrom('corp_policy').where('enterprise_id', '=', enterpriseId).execute();
  if (rows.length > 0)
    await trx
      .insertInto('corp_policy')
      .values([...rows])
      .execute();
}

// ——— Instructions and approvals ———

export async function insertInstruction(trx: Tx, row: InstructionRow): Promise<void> {
  await trx.insertInto('corp_instruction').values(row).execute();
}

export function lockInstruction(trx: Tx, id: string): Promise<InstructionRow | undefined> {
  return trx.selectFrom('corp_instruction').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function instructionById(db: Kysely<Database>, id: string): Promise<InstructionRow | undefined> {
  return db.selectFrom('corp_instruction').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateInstruction(
  trx: Tx,
  id: string,
  change: Partial<Omit<InstructionRow, 'id' | 'enterprise_id' | 'maker_id' | 'created_at_ms'>>,
): Promise<void> {
  await trx.updateTable('corp_instruction').set(change).where('id', '=', id).execute();
}

/** The enterprise's open instructions (pending or waiting for release), newest first. */
export function openInstructionsOf(db: Kysely<Database>, enterpriseId: string): Promise<InstructionRow[]> {
  return db
    .selectFrom('corp_instruction')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .where('state', 'in', ['pending', 'pending_release'])
    .orderBy('created_at_ms', 'desc')
    .orderBy('id')
    .limit(MAX_LISTED)
    .execute();
}

/** The enterprise's instructions, newest first. */
export function instructionsOf(db: Kysely<Database>, enterpriseId: string): Promise<InstructionRow[]> {
  return db
    .selectFrom('corp_instruction')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('created_at_ms', 'desc')
    .orderBy('id')
    .limit(MAX_LISTED)
    .execute();
}

/** Sum of the enterprise's payments executed since `sinceMs` (its daily limit's use). */
export async function executedSince(trx: Tx, enterpriseId: string, sinceMs: number): Promise<number> {
  const row = await trx
    .selectFrom('corp_instruction')
    .select((eb) => eb.fn.sum<number | string | null>('amount_fen').as('total'))
    .where('enterprise_id', '=', enterpriseId)
    .where('state', '=', 'executed')
    .where('executed_at_ms', '>=', sinceMs)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** Sum of the amounts an operator made (submitted, not rejected or expired) since `sinceMs`. */
export async function madeSince(trx: Tx, operatorId: string, sinceMs: number, exceptId: string): Promise<number> {
  const row = await trx
    .selectFrom('corp_instruction')
    .select((eb) => eb.fn.sum<number | string | null>('amount_fen').as('total'))
    .where('maker_id', '=', operatorId)
    .where('id', '!=', exceptId)
    .where('state', 'in', ['pending', 'pending_release', 'executed'])
    .where('created_at_ms', '>=', sinceMs)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** Sum of the amounts an operator approved since `sinceMs`. */
export async function approvedSince(trx: Tx, operatorId: string, sinceMs: number): Promise<number> {
  const row = await trx
    .selectFrom('corp_approval')
    .select((eb) => eb.fn.sum<number | string | null>('amount_fen').as('total'))
    .where('operator_id', '=', operatorId)
    .where('decision', '=', 'approve')
    .where('created_at_ms', '>=', sinceMs)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export async function insertApproval(trx: Tx, row: ApprovalRow): Promise<void> {
  await trx.insertInto('corp_approval').values(row).execute();
}

export function approvalsOf(db: Kysely<Database>, instructionId: string): Promise<ApprovalRow[]> {
  return db
    .selectFrom('corp_approval')
    .selectAll()
    .where('instruction_id', '=', instructionId)
    .orderBy('created_at_ms')
    .orderBy('id')
    .limit(MAX_LISTED)
    .execute();
}

// ——— Payroll batches ———

export async function insertBatch(trx: Tx, row: BatchRow, lines: readonly BatchLineRow[]): Promise<void> {
  await trx.insertInto('corp_batch').values(row).execute();
  // In slices: one statement's parameters stay within every driver's limit.
  for (let i = 0; i < lines.length; i += 500) {
    await trx
      .insertInto('corp_batch_line')
      .values(lines.slice(i, i + 500))
      .execute();
  }
}

export function batchById(db: Kysely<Database>, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('corp_batch').selectAll().where('id', '=', id).executeTakeFirst();
}

export function batchOfInstruction(db: Kysely<Database>, instructionId: string): Promise<BatchRow | undefined> {
  return db.selectFrom('corp_batch').selectAll().where('instruction_id', '=', instructionId).executeTakeFirst();
}

export function lockBatch(trx: Tx, id: string): Promise<BatchRow | undefined> {
  return trx.selectFrom('corp_batch').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function setBatchState(trx: Tx, id: string, state: BatchRow['state'], nowMs: number): Promise<void> {
  await trx.updateTable('corp_batch').set({ state, updated_at_ms: nowMs }).where('id', '=', id).execute();
}

/** The next lines still to post, in line order. */
export function pendingLines(trx: Tx, batchId: string, limit: number): Promise<BatchLineRow[]> {
  return trx
    .selectFrom('corp_batch_line')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('status', '=', 'pending')
    .orderBy('line_no')
    .limit(limit)
    .execute();
}

export function linesOf(db: Kysely<Database>, batchId: string): Promise<BatchLineRow[]> {
  return db.selectFrom('corp_batch_line').selectAll().where('batch_id', '=', batchId).orderBy('line_no').execute();
}

export async function setLineOutcome(
  trx: Tx,
  batchId: string,
  lineNo: number,
  outcome: {
    status: 'posted' | 'failed';
    entryId: string | null;
    error: string | null;
    /** A line posted to clearing (another bank's payee): when the clearing answer is due. */
    clearingDueAtMs?: number;
  },
): Promise<void> {
  await trx
    .updateTable('corp_batch_line')
    .set({
      status: outcome.status,
      entry_id: outcome.entryId,
      error: outcome.error,
      ...(outcome.clearingDueAtMs === undefined
        ? {}
        : { clearing: 'pending' as const, clearing_due_at_ms: outcome.clearingDueAtMs }),
    })
    .where('batch_id', '=', batchId)
    .where('line_no', '=', lineNo)
    .where('status', '=', 'pending')
    .execute();
}

/** Batches whose execution was started and not finished (a crash in between): resumed at start. */
export async function executingBatches(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('corp_batch')
    .select('id')
    .where('state', '=', 'executing')
    .limit(MAX_LISTED)
    .execute();
  return rows.map((r) => r.id);
}

/** Lines waiting in clearing whose answer is due, locked (others' skipped: any instance may sweep). */
export function lockDueClearingLines(trx: Tx, nowMs: number, limit: number): Promise<BatchLineRow[]> {
  return trx
    .selectFrom('corp_batch_line')
    .selectAll()
    .where('clearing', '=', 'pending')
    .where('clearing_due_at_ms', '<=', nowMs)
    .orderBy('clearing_due_at_ms')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Records clearing's answer for a line: settled, or returned with its reason and the entry that paid it back. */
export async function setLineCleared(
  trx: Tx,
  line: Pick<BatchLineRow, 'batch_id' | 'line_no'>,
  answer: { clearing: 'settled' | 'returned'; entryId: string; reason: string | null },
): Promise<void> {
  await trx
    .updateTable('corp_batch_line')
    .set({ clearing: answer.clearing, clearing_entry_id: answer.entryId, clearing_reason: answer.reason })
    .where('batch_id', '=', line.batch_id)
    .where('line_no', '=', line.line_no)
    .where('clearing', '=', 'pending')
    .execute();
}

/** Instructions still waiting for signatures whose approval time has lapsed (the expiry sweep's work). */
export async function lapsedInstructions(db: Kysely<Database>, nowMs: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('corp_instruction')
    .select('id')
    .where('state', 'in', ['pending', 'pending_release'])
    .where('expires_at_ms', '<=', nowMs)
    .orderBy('expires_at_ms')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The account a batch pays from and its enterprise (a clearing return goes back there). */
export function batchPayer(
  db: Kysely<Database>,
  batchId: string,
): Promise<{ from_account_id: string; enterprise_id: string } | undefined> {
  return db
    .selectFrom('corp_batch')
    .innerJoin('corp_instruction', 'corp_instruction.id', 'corp_batch.instruction_id')
    .select(['corp_instruction.from_account_id', 'corp_batch.enterprise_id'])
    .where('corp_batch.id', '=', batchId)
    .executeTakeFirst();
}

/** Enterprises whose code or credit code is `q`, or whose name contains it (the counter's lookup). */
export function searchEnterprises(db: Kysely<Database>, q: string, limit: number): Promise<EnterpriseRow[]> {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('corp_enterprise')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('code', '=', q),
        eb('uscc', '=', q.toUpperCase()),
        // SQLite has no default escape character for LIKE: name one, for both databases.
        sql<boolean>`name like ${pattern} escape '\\'`,
      ]),
    )
    .orderBy('name')
    .limit(limit)
    .execute();
}

/** Executed payments to other banks whose clearing answer is due, locked (others' skipped). */
export function lockDueClearingInstructions(trx: Tx, nowMs: number, limit: number): Promise<InstructionRow[]> {
  return trx
    .selectFrom('corp_instruction')
    .selectAll()
    .where('clearing', '=', 'pending')
    .where('clearing_due_at_ms', '<=', nowMs)
    .orderBy('clearing_due_at_ms')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}
