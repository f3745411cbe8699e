import { accountsWithHolders } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { BANK_ACCOUNTS, bankAccountId, type EntryInput, MAX_ENTRIES_PER_BATCH, postEntries } from '../ledger/index.ts';
import { tellBalanceChanges } from '../payments/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney, money, toChineseCapital } from '../platform/money.ts';
import { accountsOfOperator } from './common.ts';
import { corporateErrors as errors } from './errors.ts';
import {
  type BadLine,
  badLine,
  decodePayroll,
  type FileLine,
  linesHash,
  MAX_BATCH_LINES,
  parsePayroll,
} from './payroll-file.ts';
import { audit, type CorpSession } from './sessions.ts';
import {
  accountsOfEnterprise,
  type BatchLineRow,
  batchById,
  executingBatches,
  insertBatch,
  insertInstruction,
  instructionById,
  linesOf,
  lockBatch,
  lockEnterprise,
  lockOperator,
  pendingLines,
  setBatchState,
  setLineOutcome,
} from './store.ts';

/**
 * Payroll batches (代发工资): the maker uploads the file, gets the validation report, and the accepted
 * lines become one instruction of kind `payroll` (a draft, submitted like a payment) whose approvals
 * sign the count, the total and the SHA-256 of the lines. Once released, each line is posted on its own
 * (this bank's accounts at once, others to clearing) in chunks, each chunk one transaction that writes
 * the postings and the lines' outcomes together: a line is never posted twice, and an execution cut
 * short by a crash resumes with the lines still pending.
 */

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock'>;
const OWN_BANK_CODE = '888';

export async function createBatch(
  ctx: Ctx,
  session: CorpSession,
  input: { fromAccountId: string; fileName: string; content: string; purpose?: string | undefined },
  ip: string | null,
) {
  const { text, encoding } = decodePayroll(Buffer.from(input.content, 'base64'));
  const parsed = parsePayroll(text, OWN_BANK_CODE);
  if (parsed.lines.length + parsed.bad.length > MAX_BATCH_LINES)
    throw new AppError(errors['corporate.batch_invalid'], {
      reason: badLine(0, 'too_many').zh,
      reasonEn: badLine(0, 'too_many').en,
    });
  const found = await accountsWithHolders(ctx.db.kysely, {
    ids: [],
    numbers: [...new Set(parsed.lines.filter((l) => l.bankCode === OWN_BANK_CODE).map((l) => l.accountNumber))],
  });
  const bad = [...parsed.bad];
  const accepted: FileLine[] = [];
  for (const line of parsed.lines) {
    const payee = found.find((a) => a.account_number === line.accountNumber || a.card_number === line.accountNumber);
    if (line.bankCode === OWN_BANK_CODE && (payee?.status !== 'active' || payee.holder_name !== line.name))
      bad.push(badLine(line.line, 'payee_mismatch'));
    else accepted.push(line);
  }
  bad.sort((a, b) => a.line - b.line);
  if (accepted.length === 0)
    throw new AppError(
      errors['corporate.batch_invalid'],
      { reason: '没有可付款的行', reasonEn: 'no line can be paid' },
      { bad },
    );
  const totalFen = accepted.reduce((sum, l) => sum + l.amountFen, 0);
  const hash = linesHash(accepted);
  const ids = await withTransaction(ctx.db.kysely, async (trx) => {
    const enterprise = await lockEnterprise(trx, session.enterprise.id);
    const maker = await lockOperator(trx, session.operator.id);
    if (!enterprise || maker?.status !== 'active' || maker.role !== 'maker')
      throw new AppError(errors['corporate.role_forbidden']);
    const own = new Set(await accountsOfEnterprise(trx, enterprise.id));
    if (!own.has(input.fromAccountId) || !accountsOfOperator(maker).includes(input.fromAccountId))
      throw new AppError(errors['corporate.account_not_allowed']);
    const nowMs = ctx.clock.nowMs();
    const instructionId = newId<'Instruction'>();
    const batchId = newId<'Batch'>();
    await insertInstruction(trx, {
      id: instructionId,
      enterprise_id: enterprise.id,
      kind: 'payroll',
      from_account_id: input.fromAccountId,
      payee_name: `代发工资 ${accepted.length} 笔`,
      payee_account: `batch:${batchId}`,
      payee_bank: OWN_BANK_CODE,
      amount_fen: totalFen,
      purpose: input.purpose?.trim() || '代发工资',
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
    });
    await insertBatch(
      trx,
      {
        id: batchId,
        enterprise_id: enterprise.id,
        instruction_id: instructionId,
        file_name: input.fileName.slice(0, 200),
        encoding,
        count: accepted.length,
        total_fen: totalFen,
        lines_hash: hash,
        report: JSON.stringify({ bad, duplicates: parsed.duplicates }),
        state: 'validated',
        created_at_ms: nowMs,
        updated_at_ms: nowMs,
      },
      accepted.map((l) => ({
        batch_id: batchId,
        line_no: l.line,
        account_number: l.accountNumber,
        name: l.name,
        bank_code: l.bankCode,
        amount_fen: l.amountFen,
        memo: l.memo,
        status: 'pending' as const,
        entry_id: null,
        error: null,
        clearing: null,
        clearing_due_at_ms: null,
        clearing_entry_id: null,
        clearing_reason: null,
      })),
    );
    await audit(trx, maker, 'corporate.batch_uploaded', nowMs, ip, {
      batchId,
      instructionId,
      count: accepted.length,
      bad: bad.length,
      totalFen,
      linesHash: hash,
    });
    return { batchId };
  });
  return batchView(ctx, session, ids.batchId);
}

/** The canonical part of a payroll instruction its approvals sign: count, total and the lines' hash. */
export async function batchCanonical(trx: Tx, batchId: string) {
  const batch = await batchById(trx, batchId);
  if (!batch) throw new AppError(errors['corporate.instruction_not_found']);
  return { count: batch.count, total: formatMoney(batch.total_fen), linesSha256: batch.lines_hash };
}

/** Marks a released batch for execution (in the releasing transaction). */
export async function startBatch(trx: Tx, batchId: string, nowMs: number): Promise<void> {
  const batch = await lockBatch(trx, batchId);
  if (batch?.state === 'validated') await setBatchState(trx, batchId, 'executing', nowMs);
}

/**
 * Posts the batch's pending lines, a chunk per transaction, until none is left (or `maxChunks` have
 * run: a test's way of stopping halfway). Safe to run twice at once: the batch row is locked per chunk
 * and only pending lines are taken.
 */
export async function runBatch(ctx: Ctx, batchId: string, options: { maxChunks?: number } = {}): Promise<void> {
  for (let chunk = 0; options.maxChunks === undefined || chunk < options.maxChunks; chunk++) {
    if (chunk > 0 && ctx.config.payrollChunkPauseMs > 0)
      await new Promise((resolve) => setTimeout(resolve, ctx.config.payrollChunkPauseMs));
    const more = await withTransaction(ctx.db.kysely, (trx) => postChunk(trx, ctx, batchId));
    if (!more) return;
  }
}

/** Resumes every batch whose execution was cut short (at start, or when a batch is read). */
export async function resumeBatches(ctx: Ctx): Promise<number> {
  const ids = await executingBatches(ctx.db.kysely);
  for (const id of ids) await runBatch(ctx, id);
  return ids.length;
}

async function postChunk(trx: Tx, ctx: Ctx, batchId: string): Promise<boolean> {
  const batch = await lockBatch(trx, batchId);
  if (batch?.state !== 'executing') return false;
  const nowMs = ctx.clock.nowMs();
  const lines = await pendingLines(trx, batchId, MAX_ENTRIES_PER_BATCH);
  if (lines.length === 0) {
    await setBatchState(trx, batchId, 'completed', nowMs);
    return false;
  }
  const instruction = await trx
    .selectFrom('corp_instruction')
    .select(['from_account_id', 'purpose'])
    .where('id', '=', batch.instruction_id)
    .executeTakeFirstOrThrow();
  const enterprise = await trx
    .selectFrom('corp_enterprise')
    .select('name')
    .where('id', '=', batch.enterprise_id)
    .executeTakeFirstOrThrow();
  const payees = await accountsWithHolders(trx, { ids: [], numbers: lines.map((l) => l.account_number) });
  const clearing = await bankAccountId(trx, BANK_ACCOUNTS.clearing.code);
  const posting: Array<{ line: BatchLineRow; entry: EntryInput }> = [];
  for (const line of lines) {
    const payee = payees.find((a) => a.account_number === line.account_number || a.card_number === line.account_number);
    const own = line.bank_code === OWN_BANK_CODE;
    if (own && (payee?.status !== 'active' || payee.holder_name !== line.name)) {
      await setLineOutcome(trx, batchId, line.line_no, { status: 'failed', entryId: null, error: 'payee_mismatch' });
      continue;
    }
    const memo = line.memo || instruction.purpose;
    posting.push({
      line,
      entry: {
        id: newId<'JournalEntry'>(),
        kind: 'corporate_payroll',
        reference: `payroll:${batchId}:${line.line_no}`,
        memo,
        postedAtMs: nowMs,
        postings: [
          { accountId: instruction.from_account_id, amountFen: -line.amount_fen, counterparty: line.name, memo },
          {
            accountId: own && payee ? payee.id : clearing,
            amountFen: line.amount_fen,
            counterparty: enterprise.name,
            memo,
          },
        ],
      },
    });
  }
  if (posting.length > 0) {
    const outcomes = await postEntries(
      trx,
      posting.map((p) => p.entry),
    );
    await tellBalanceChanges(
      trx,
      posting.map((p) => p.entry),
      outcomes,
    );
    const clearingDueAtMs = nowMs + ctx.config.clearingSettleDelaySeconds * 1000;
    for (const [i, outcome] of outcomes.entries()) {
      const { line } = posting[i]!;
      await setLineOutcome(
        trx,
        batchId,
        line.line_no,
        outcome.ok
          ? {
              status: 'posted',
              entryId: outcome.entryId,
              error: null,
              // Another bank's payee: the money waits in clearing for its answer (clearing.ts).
              ...(line.bank_code === OWN_BANK_CODE ? {} : { clearingDueAtMs }),
            }
          : { status: 'failed', entryId: null, error: outcome.error.code },
      );
    }
  }
  return true;
}

/** A batch as the maker and approvers see it: the validation report and, once running, the results. */
export async function batchView(ctx: Ctx, session: CorpSession, batchId: string) {
  const batch = await batchById(ctx.db.kysely, batchId);
  if (batch?.enterprise_id !== session.enterprise.id) throw new AppError(errors['corporate.instruction_not_found']);
  const fresh = batch;
  // A batch nobody released in the approval time expired with its instruction (expiry.ts).
  const instruction = await instructionById(ctx.db.kysely, batch.instruction_id);
  const lapsed =
    instruction?.state === 'expired' ||
    ((instruction?.state === 'pending' || instruction?.state === 'pending_release') &&
      instruction.expires_at_ms <= ctx.clock.nowMs());
  const lines = await linesOf(ctx.db.kysely, batchId);
  const report = JSON.parse(fresh.report) as { bad: BadLine[]; duplicates: number[] };
  const count = (status: BatchLineRow['status']) => lines.filter((l) => l.status === status).length;
  return {
    id: fresh.id,
    instructionId: fresh.instruction_id,
    fileName: fresh.file_name,
    encoding: fresh.encoding,
    state: fresh.state === 'validated' && lapsed ? ('expired' as const) : fresh.state,
    count: fresh.count,
    total: money(fresh.total_fen),
    totalInWords: toChineseCapital(fresh.total_fen),
    linesSha256: fresh.lines_hash,
    bad: report.bad,
    duplicates: report.duplicates,
    posted: count('posted'),
    failed: count('failed'),
    pending: count('pending'),
    inClearing: lines.filter((l) => l.clearing === 'pending').length,
    returned: lines.filter((l) => l.clearing === 'returned').length,
  };
}

/** The result file: one row per accepted line with its outcome (UTF-8 with a BOM, for spreadsheet software). */
export async function batchResultCsv(ctx: Ctx, session: CorpSession, batchId: string): Promise<string> {
  const batch = await batchById(ctx.db.kysely, batchId);
  if (batch?.enterprise_id !== session.enterprise.id) throw new AppError(errors['corporate.instruction_not_found']);
  const lines = await linesOf(ctx.db.kysely, batchId);
  const rows = lines.map((l) =>
    [l.line_no, l.account_number, csvCell(l.name), formatMoney(l.amount_fen), ...lineResult(l)].join(','),
  );
  return `\uFEFF行号,账号,户名,金额,结果,流水号或原因\n${rows.join('\n')}\n`;
}

/**
 * A line's result and its entry or reason. A line to another bank is 清算中 until clearing answers; a
 * returned one names the entry that paid the enterprise back and clearing's reason.
 */
function lineResult(l: BatchLineRow): [string, string] {
  if (l.status === 'pending') return ['待处理', ''];
  if (l.status === 'failed') return ['失败', l.error ?? ''];
  if (l.clearing === 'pending') return ['清算中', l.entry_id ?? ''];
  if (l.clearing === 'returned') return ['已退回', `${l.clearing_entry_id ?? ''} ${l.clearing_reason ?? ''}`.trim()];
  return ['成功', l.entry_id ?? ''];
}

/** A cell as text a spreadsheet will not run as a formula. */
function csvCell(text: string): string {
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
