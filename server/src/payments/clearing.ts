import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import { accountById, customerById } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import { BANK_ACCOUNTS, bankAccountId, type EntryInput, postEntry } from '../ledger/index.ts';
import { enqueueMessage, smsText } from '../notify/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { formatMoney } from '../platform/money.ts';
import { postEntryAndTell } from './balance-notices.ts';
import { bankName } from './banks.ts';
import { lockDueTransfers, markTransferCleared } from './store.ts';
import type { Deps } from './transfers.ts';

/**
 * The simulated inter-bank clearing system. A transfer to another bank is debited from the payer into
 * the clearing account and waits (`pending`); after the configured delay the clearing answer comes
 * back: settled (the money leaves clearing for the bank's reserve account at the central bank) or
 * returned (the money goes back to the payer). Like a real clearing house it returns payments to
 * accounts that do not exist; the simulator says so for any account number ending in 0000, so both
 * paths can be tried.
 */
const BATCH_SIZE = 50;

export type ClearingAnswer = { settled: true } | { settled: false; reasonCode: string };

/** The simulator's answer for a payee account. */
export function simulatedClearingAnswer(payeeAccountNumber: string): ClearingAnswer {
  return payeeAccountNumber.endsWith('0000')
    ? { settled: false, reasonCode: 'clearing.account_does_not_exist' }
    : { settled: true };
}

/** Settles or returns every pending transfer whose clearing time has come; returns how many. */
export async function settleDueTransfers(db: Kysely<Database>, deps: Deps): Promise<number> {
  let done = 0;
  for (;;) {
    const handled = await withTransaction(db, async (trx) => {
      const due = await lockDueTransfers(trx, deps.clock.nowMs(), BATCH_SIZE);
      for (const transfer of due)
        await answer(trx, deps, transfer, simulatedClearingAnswer(transfer.payee_account_number));
      return due.length;
    });
    done += handled;
    if (handled < BATCH_SIZE) return done;
  }
}

/** A payment that waits in the clearing account for the other bank's answer. */
export type InClearing = {
  /** The journal reference the answer's entry carries (the transfer's id, a payroll line's reference). */
  reference: string;
  amountFen: number;
  /** Where a returned payment goes back to. */
  payerAccountId: string;
  payeeBankCode: string;
};

/**
 * Posts clearing's answer for one payment: settled, the money leaves clearing for the reserve account;
 * returned, it goes back to the payer's account (who is told, like any movement). Every payment that
 * went to another bank — a transfer, a corporate payroll line — is answered here. Returns the entry.
 */
export async function postClearingAnswer(
  trx: Tx,
  item: InClearing,
  result: ClearingAnswer,
  nowMs: number,
): Promise<string> {
  const clearing = await bankAccountId(trx, BANK_ACCOUNTS.clearing.code);
  if (result.settled) {
    const reserve = await bankAccountId(trx, BANK_ACCOUNTS.reserve.code);
    const posted = await postEntry(trx, {
      kind: 'clearing_settle',
      reference: item.reference,
      memo: `跨行清算 ${bankName(item.payeeBankCode)}`,
      postedAtMs: nowMs,
      postings: [
        { accountId: clearing, amountFen: -item.amountFen },
        { accountId: reserve, amountFen: item.amountFen },
      ],
    });
    return posted.entryId;
  }
  const returned: EntryInput = {
    kind: 'clearing_return',
    reference: item.reference,
    memo: '跨行转账退回：收款账号不存在',
    postedAtMs: nowMs,
    postings: [
      { accountId: clearing, amountFen: -item.amountFen },
      { accountId: item.payerAccountId, amountFen: item.amountFen, counterparty: bankName(item.payeeBankCode) },
    ],
  };
  return (await postEntryAndTell(trx, returned)).entryId;
}

async function answer(trx: Tx, deps: Deps, transfer: Database['transfer'], result: ClearingAnswer) {
  const nowMs = deps.clock.nowMs();
  await postClearingAnswer(
    trx,
    {
      reference: transfer.id,
      amountFen: transfer.amount_fen,
      payerAccountId: transfer.from_account_id,
      payeeBankCode: transfer.payee_bank_code,
    },
    result,
    nowMs,
  );
  if (result.settled) {
    await markTransferCleared(trx, transfer.id, { status: 'completed', reasonCode: null, nowMs });
  } else {
    await markTransferCleared(trx, transfer.id, { status: 'returned', reasonCode: result.reasonCode, nowMs });
    const payer = await customerById(trx, transfer.customer_id);
    const from = await accountById(trx, transfer.from_account_id);
    if (payer && from) {
      await enqueueMessage(
        trx,
        {
          channel: 'sms',
          to: payer.mobile,
          purpose: 'transfer.returned',
          text: smsText('transfer.returned', {
            payeeName: transfer.payee_name,
            bankName: bankName(transfer.payee_bank_code),
            amount: formatMoney(transfer.amount_fen),
            accountLast4: (from.card_number ?? from.account_number).slice(-4),
          }),
        },
        nowMs,
      );
    }
  }
  await appendAudit(trx, {
    kind: result.settled ? 'transfer.settled' : 'transfer.returned',
    atMs: nowMs,
    actor: { type: 'system', id: 'clearing' },
    subject: { type: 'transfer', id: transfer.id },
    details: result.settled ? {} : { reason: result.reasonCode },
  });
}

/** Runs the clearing loop every `intervalMs` until stopped (main.ts starts it). */
export function startClearingWorker(
  db: Kysely<Database>,
  deps: Deps,
  intervalMs: number,
  onError: (e: unknown) => void,
) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    if (stopped) return;
    try {
      await settleDueTransfers(db, deps);
    } catch (error) {
      onError(error);
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
