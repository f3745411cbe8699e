import { balancesOf, bankAccountId, vaultCode } from '../ledger/index.ts';
import { postEntryAndTell } from '../payments/index.ts';
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { formatMoney, money, parseMoney } from '../platform/money.ts';
import { accountFor, customerFor } from './customer-ops.ts';
import { counterErrors as errors, statusParams } from './errors.ts';
import { type Executor, paramsOf, perform } from './operations.ts';
import type { OperationRow, StaffRow } from './store.ts';

/**
 * Cash at the counter: a deposit or withdrawal is one journal entry between the customer's account and
 * the branch's cash vault, through ledger/ (the only way money moves). Above ¥50,000.00 a supervisor
 * approves first (issue 15), and so does any withdrawal for a customer under investigation; a withdrawal above the available balance is refused with
 * `counter.insufficient_funds`, at the request and again when it is carried out.
 */
export const CASH_APPROVAL_ABOVE_FEN = 5_000_000;

export type CashInput = { accountId: string; direction: 'deposit' | 'withdrawal'; amount: string };
type CashParams = { direction: 'deposit' | 'withdrawal'; amount: string };

/** Takes a cash deposit or withdrawal at the teller's branch; runs in the caller's (idempotent) transaction. */
export async function takeCash(trx: Tx, ctx: AppContext, staff: StaffRow, input: CashInput, ip: string | null) {
  const parsed = parseMoney(input.amount);
  if (!parsed.ok) throw new AppError(errors['counter.amount_invalid']);
  const amountFen: number = parsed.fen;
  const account = await accountFor(trx, input.accountId);
  const customer = await customerFor(trx, account.customer_id);
  refuseByStatus(account.status, input.direction);
  if (input.direction === 'withdrawal') await requireAvailable(trx, account.id, amountFen);
  const done = await perform(
    trx,
    ctx,
    staff,
    {
      kind: `cash.${input.direction}`,
      customerId: account.customer_id,
      accountId: account.id,
      params: { direction: input.direction, amount: formatMoney(amountFen) } satisfies CashParams,
      amountFen,
    },
    {
      ip,
      // Money out for a customer under investigation waits for a supervisor, as any reset for them does.
      needsApproval:
        amountFen > CASH_APPROVAL_ABOVE_FEN ||
        (input.direction === 'withdrawal' && customer.status === 'under_investigation'),
      execute: executeCash,
    },
  );
  if (done.status === 'approval_required') return { ...done, operationId: done.approvalId };
  return { status: 'completed' as const, operationId: done.operationId, balance: money(Number(done.reply.balanceFen)) };
}

function refuseByStatus(status: string, direction: 'deposit' | 'withdrawal') {
  // A frozen account takes money in but lets none out; a closed one neither.
  const allowed = direction === 'deposit' ? ['active', 'frozen', 'not_activated'] : ['active'];
  if (!allowed.includes(status)) throw new AppError(errors['counter.account_not_active'], statusParams(status));
}

async function requireAvailable(trx: Tx, accountId: string, amountFen: number) {
  const availableFen = (await balancesOf(trx, [accountId])).get(accountId)?.availableFen ?? 0;
  if (availableFen < amountFen)
    throw new AppError(errors['counter.insufficient_funds'], { available: formatMoney(availableFen) });
}

/** Posts the cash entry of an operation (at once, or at its approval): vault against the customer's account. */
const executeCash: Executor = async (trx: Tx, ctx: AppContext, op: OperationRow) => {
  const { direction } = paramsOf<CashParams>(op);
  const amountFen = Number(op.amount_fen);
  const accountId = op.account_id ?? '';
  const account = await accountFor(trx, accountId);
  refuseByStatus(account.status, direction);
  if (direction === 'withdrawal') await requireAvailable(trx, accountId, amountFen);
  const vault = await bankAccountId(trx, vaultCode(op.branch_code));
  const sign = direction === 'deposit' ? 1 : -1;
  // The customer is told (动账通知) in this transaction, whether it runs now or at the approval.
  const posted = await postEntryAndTell(
    trx,
    {
      kind: direction === 'deposit' ? 'cash_deposit' : 'cash_withdrawal',
      reference: `counter:${op.id}`,
      memo: direction === 'deposit' ? '柜面现金存入' : '柜面现金支取',
      postedAtMs: ctx.clock.nowMs(),
      postings: [
        { accountId: vault, amountFen: -sign * amountFen },
        { accountId, amountFen: sign * amountFen, counterparty: `网点 ${op.branch_code} 现金` },
      ],
    },
    { branch: op.branch_code },
  );
  return { result: { entryId: posted.entryId, balanceFen: posted.balances[accountId]?.postedFen ?? null } };
};

export const cashExecutors: Record<string, Executor> = {
  'cash.deposit': executeCash,
  'cash.withdrawal': executeCash,
};
