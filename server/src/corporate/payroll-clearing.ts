import { appendAudit } from '../audit/index.ts';
import { postClearingAnswer, simulatedClearingAnswer } from '../payments/index.ts';
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { assert } from '../platform/assert.ts';
import { batchPayer, type BatchLineRow, lockDueClearingLines, setLineCleared } from './store.ts';

/**
 * Payroll lines paid to another bank wait in the clearing account, as a personal inter-bank transfer
 * does, until clearing answers: settled, the line is done; returned (the other bank has no such
 * account), the amount goes back to the enterprise's account and the line's result says so. The
 * answer and its entry are the payments domain's (postClearingAnswer), the same as for a transfer.
 */

type Ctx = Pick<AppContext, 'db' | 'clock'>;
/** Lines answered per transaction, and transactions per sweep: a bound on each run's work. */
const LINES_PER_TRANSACTION = 50;
const MAX_TRANSACTIONS_PER_RUN = 100;

/** Answers every payroll line whose clearing time has come; returns how many. */
export async function answerDueLines(ctx: Ctx): Promise<number> {
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
