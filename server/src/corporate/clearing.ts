import { appendAudit } from '../audit/index.ts';
import { postClearingAnswer, simulatedClearingAnswer } from '../payments/index.ts';
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { assert } from '../platform/assert.ts';
import {
  type BatchLineRow,
  batchPayer,
  type InstructionRow,
  lockDueClearingInstructions,
  lockDueClearingLines,
  setLineCleared,
  updateInstruction,
} from './store.ts';

/**
 * Payroll lines and payment instructions paid to another bank wait in the clearing account, as a
 * personal inter-bank transfer does, until clearing answers: settled, they are done; returned (the other
 * bank has no such account), the amount goes back to the enterprise's account and the line's result or
 * the instruction says so. The answer and its entry are the payments domain's (postClearingAnswer), the
 * same as for a transfer.
 */

type Ctx = Pick<AppContext, 'db' | 'clock'>;
/** Lines answered per transaction, and transactions per sweep: a bound on each run's work. */
const LINES_PER_TRANSACTION = 50;
const MAX_TRANSACTIONS_PER_RUN = 100;

/** Answers every payroll line and payment instruction whose clearing time has come; returns how many. */
export async function answerDueClearing(ctx: Ctx): Promise<number> {
  return (await answerDueLines(ctx)) + (await answerDueInstructions(ctx));
}

async function answerDueLines(ctx: Ctx): Promise<number> {
  let done = 0;
  for (let round = 0; round < MAX_TRANSACTIONS_PER_RUN; round++) {
    const handled = await withTransaction(ctx.db.kysely, async (trx) => {
      const nowMs = ctx.clock.nowMs();
      const due = await lockDueClearingLines(trx, nowMs, LINES_PER_TRANSACTION);
      const payers = new Map<string, { from_account_id: string; enterprise_id: string }>();
      for (const line of due) {
        let payer = payers.get(line.batch_id);
        if (!payer) {
          payer = await batchPayer(trx, line.batch_id);
          assert(payer, 'a line in clearing belongs to a released batch');
          payers.set(line.batch_id, payer);
        }
        await answerLine(trx, line, payer, nowMs);
      }
      return due.length;
    });
    done += handled;
    if (handled < LINES_PER_TRANSACTION) break;
  }
  return done;
}

async function answerLine(
  trx: Tx,
  line: BatchLineRow,
  payer: { from_account_id: string; enterprise_id: string },
  nowMs: number,
): Promise<void> {
  const result = simulatedClearingAnswer(line.account_number);
  const entryId = await postClearingAnswer(
    trx,
    {
      reference: `payroll:${line.batch_id}:${line.line_no}`,
      amountFen: line.amount_fen,
      payerAccountId: payer.from_account_id,
      payeeBankCode: line.bank_code,
    },
    result,
    nowMs,
  );
  const reason = result.settled ? null : result.reasonCode;
  await setLineCleared(trx, line, { clearing: result.settled ? 'settled' : 'returned', entryId, reason });
  await appendAudit(trx, {
    kind: result.settled ? 'corporate.payroll_line_settled' : 'corporate.payroll_line_returned',
    atMs: nowMs,
    actor: { type: 'system', id: 'clearing' },
    subject: { type: 'corporate_batch', id: line.batch_id },
    details: { enterpriseId: payer.enterprise_id, line: line.line_no, amountFen: line.amount_fen, entryId, reason },
  });
}

async function answerDueInstructions(ctx: Ctx): Promise<number> {
  let done = 0;
  for (let round = 0; round < MAX_TRANSACTIONS_PER_RUN; round++) {
    const handled = await withTransaction(ctx.db.kysely, async (trx) => {
      const nowMs = ctx.clock.nowMs();
      const due = await lockDueClearingInstructions(trx, nowMs, LINES_PER_TRANSACTION);
      for (const row of due) await answerInstruction(trx, row, nowMs);
      return due.length;
    });
    done += handled;
    if (handled < LINES_PER_TRANSACTION) break;
  }
  return done;
}

async function answerInstruction(trx: Tx, row: InstructionRow, nowMs: number): Promise<void> {
  const result = simulatedClearingAnswer(row.payee_account);
  const entryId = await postClearingAnswer(
    trx,
    {
      reference: `corporate:${row.id}`,
      amountFen: row.amount_fen,
      payerAccountId: row.from_account_id,
      payeeBankCode: row.payee_bank,
    },
    result,
    nowMs,
  );
  const reason = result.settled ? null : result.reasonCode;
  await updateInstruction(trx, row.id, {
    clearing: result.settled ? 'settled' : 'returned',
    clearing_entry_id: entryId,
    clearing_reason: reason,
    updated_at_ms: nowMs,
  });
  await appendAudit(trx, {
    kind: result.settled ? 'corporate.payment_settled' : 'corporate.payment_returned',
    atMs: nowMs,
    actor: { type: 'system', id: 'clearing' },
    subject: { type: 'corporate_instruction', id: row.id },
    details: { enterpriseId: row.enterprise_id, amountFen: row.amount_fen, entryId, reason },
  });
}
