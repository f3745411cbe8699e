import { type AccountId, setAccountStatus } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { balancesOf, bankAccountId, vaultCode } from '../ledger/index.ts';
import { postEntryAndTell } from '../payments/index.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { formatMoney } from '../platform/money.ts';
import { accountFor } from './customer-ops.ts';
import { counterErrors as errors, statusParams } from './errors.ts';
import { type Executor, perform } from './operations.ts';
import type { StaffRow } from './store.ts';

/**
 * Freezing, unfreezing and closing an account: each one call into customers/ (the status) and, when a
 * closed account still holds money, into ledger/ (paid out in cash from the branch's vault). Unfreezing
 * always, and closing an account with a balance, wait for a supervisor.
 */

type Ip = string | null;

/** Freezes an account at once: it takes money in but lets none out (cash.ts, payments). */
export async function freezeAccount(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  accountId: string,
  reason: string,
  ip: Ip,
) {
  const account = await accountFor(trx, accountId);
  if (account.status !== 'active')
    throw new AppError(errors['counter.account_not_active'], statusParams(account.status));
  return perform(
    trx,
    ctx,
    staff,
    { kind: 'account.freeze', customerId: account.customer_id, accountId: account.id, params: { reason } },
    {
      ip,
      needsApproval: false,
      execute: async (inner) => {
        await setAccountStatus(inner, ctx, account.id, 'frozen');
        return { result: { status: 'frozen' } };
      },
    },
  );
}

/** Asks to unfreeze an account: it takes effect when a supervisor approves. */
export async function unfreezeAccount(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  accountId: string,
  reason: string | undefined,
  ip: Ip,
) {
  const account = await accountFor(trx, accountId);
  if (account.status !== 'frozen')
    throw new AppError(errors['counter.account_not_active'], statusParams(account.status));
  return perform(
    trx,
    ctx,
    staff,
    {
      kind: 'account.unfreeze',
      customerId: account.customer_id,
      accountId: account.id,
      params: reason ? { reason } : {},
    },
    { ip, needsApproval: true, execute: executeUnfreeze },
  );
}

const executeUnfreeze: Executor = async (trx, ctx, op) => {
  const account = await accountFor(trx, op.account_id ?? '');
  if (account.status !== 'frozen')
    throw new AppError(errors['counter.account_not_active'], statusParams(account.status));
  await setAccountStatus(trx, ctx, account.id, 'active');
  return { result: { status: 'active' } };
};

/** Closes an account: at once when it is empty; with a balance, after approval, paying the balance out in cash. */
export async function closeAccount(trx: Tx, ctx: AppContext, staff: StaffRow, accountId: string, ip: Ip) {
  const account = await accountFor(trx, accountId);
  if (account.status !== 'active')
    throw new AppError(errors['counter.account_not_active'], statusParams(account.status));
  const balance = (await balancesOf(trx, [account.id])).get(account.id) ?? { postedFen: 0, availableFen: 0 };
  if (balance.availableFen !== balance.postedFen) throw new AppError(errors['counter.account_has_holds']);
  return perform(
    trx,
    ctx,
    staff,
    {
      kind: 'account.close',
      customerId: account.customer_id,
      accountId: account.id,
      params: {},
      amountFen: balance.postedFen,
    },
    { ip, needsApproval: balance.postedFen !== 0, execute: executeClose },
  );
}

/** Pays out what the account holds now (a cash withdrawal against the vault) and closes it. */
const executeClose: Executor = async (trx, ctx, op) => {
  const account = await accountFor(trx, op.account_id ?? '');
  if (account.status !== 'active')
    throw new AppError(errors['counter.account_not_active'], statusParams(account.status));
  const balance = (await balancesOf(trx, [account.id])).get(account.id) ?? { postedFen: 0, availableFen: 0 };
  if (balance.availableFen !== balance.postedFen) throw new AppError(errors['counter.account_has_holds']);
  // The supervisor approved paying out the balance the request showed; money that moved since would be
  // paid out (or kept) without anyone having seen it, so the closing is refused and asked again.
  const requestedFen = Number(op.amount_fen ?? 0);
  if (balance.postedFen !== requestedFen)
    throw new AppError(errors['counter.balance_changed'], {
      requested: formatMoney(requestedFen),
      current: formatMoney(balance.postedFen),
    });
  let entryId: string | null = null;
  if (balance.postedFen > 0) {
    const posted = await postEntryAndTell(
      trx,
      {
        kind: 'cash_withdrawal',
        reference: `counter:${op.id}`,
        memo: '销户支取现金',
        postedAtMs: ctx.clock.nowMs(),
        postings: [
          { accountId: await bankAccountId(trx, vaultCode(op.branch_code)), amountFen: balance.postedFen },
          { accountId: account.id, amountFen: -balance.postedFen, counterparty: `网点 ${op.branch_code} 现金` },
        ],
      },
      { branch: op.branch_code },
    );
    entryId = posted.entryId;
  }
  await setAccountStatus(trx, ctx, account.id as AccountId, 'closed');
  return { result: { status: 'closed', paidOutFen: balance.postedFen, entryId } };
};

export const accountExecutors: Record<string, Executor> = {
  'account.unfreeze': executeUnfreeze,
  'account.close': executeClose,
};
