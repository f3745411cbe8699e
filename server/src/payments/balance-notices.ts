import { type AuditEvent, appendAudit } from '../audit/index.ts';
import { type AccountRow, type CustomerRow, accountsWithHolders } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { type Balance, type EntryInput, type EntryOutcome, type PostedEntry, postEntry } from '../ledger/index.ts';
import { enqueueMessage, type InboxMessage, postInboxMessages, smsText } from '../notify/index.ts';
import { formatMoney } from '../platform/money.ts';

/**
 * 动账通知: every journal entry that moves money on a customer's account tells that account's owner, once,
 * in the entry's own transaction (the outbox rule: the message exists if and only if the money moved).
 * Every path that posts to customer accounts — transfers, clearing returns, bill payments, checkout and
 * refunds, counter cash, corporate payments and payroll — ends here, so none can forget it.
 */

/** Whose a customer account is, and its card or account number (only the last four digits travel). */
export type AccountOwner = { customerId: string; number: string };

/** What a posting left: postEntry's result, or one of postEntries's outcomes (refused ones tell no one). */
type Outcome = PostedEntry | EntryOutcome;

/** What the caller already knows: the owners it has read, and the branch whose cash it was (counter cash). */
export type NoticeOptions = {
  /** The lookup is skipped for these accounts (entirely when every customer account is here). */
  owners?: ReadonlyMap<string, AccountOwner>;
  branch?: string;
};

/**
 * The other party as a notice names it: the history's counterparty without the masked card number it may
 * carry (`李* 6222 **** **** 5678` → `李*`), so no digits of another person's number travel in a message.
 */
export function noticeParty(counterparty: string | null | undefined): string | null {
  const name = (counterparty ?? '').replace(/\s*\d{4} \*{4} \*{4} \d{4}/g, '').trim();
  return name === '' ? null : name;
}

/**
 * The 动账通知 of posted entries: for each entry, one message per customer account it moved (the net of
 * its postings on that account), to the account's owner: money out (`balance.debit`) or in
 * (`balance.credit`), the amount, the other party, the available balance the entry left, the entry's
 * kind and its posting time. Accounts not in `owners` are the bank's own (vaults, clearing, billers) and
 * tell no one. Pure, so a batch builds its notices with no statement of its own.
 */
export function balanceNotices(
  entries: readonly EntryInput[],
  outcomes: readonly Outcome[],
  owners: ReadonlyMap<string, AccountOwner>,
  options: { branch?: string } = {},
): InboxMessage[] {
  const messages: InboxMessage[] = [];
  for (const [i, entry] of entries.entries()) {
    const outcome = outcomes[i];
    if (!outcome || ('ok' in outcome && !outcome.ok)) continue;
    const moved = new Map<string, { amountFen: number; counterparty: string | null }>();
    for (const posting of entry.postings) {
      if (!owners.has(posting.accountId)) continue;
      const before = moved.get(posting.accountId);
      moved.set(posting.accountId, {
        amountFen: (before?.amountFen ?? 0) + posting.amountFen,
        counterparty: before?.counterparty ?? noticeParty(posting.counterparty),
      });
    }
    for (const [accountId, { amountFen, counterparty }] of moved) {
      if (amountFen === 0) continue;
      const owner = owners.get(accountId)!;
      messages.push({
        customerId: owner.customerId,
        kind: amountFen < 0 ? 'balance.debit' : 'balance.credit',
        params: {
          atMs: entry.postedAtMs,
          entryKind: entry.kind,
          accountLast4: owner.number.slice(-4),
          amountFen: Math.abs(amountFen),
          balanceFen: availableAfter(outcome.balances, accountId),
          // Cash at the counter has the branch for its other party; anything else the history's one.
          ...(options.branch ? { branch: options.branch } : counterparty ? { counterparty } : {}),
        },
      });
    }
  }
  return messages;
}

/**
 * Writes the 动账通知 of posted entries (see balanceNotices) in the caller's transaction: the owners of the
 * accounts the caller does not know are read in one statement, the messages written in one.
 */
export async function tellBalanceChanges(
  trx: Tx,
  entries: readonly EntryInput[],
  outcomes: readonly Outcome[],
  options: NoticeOptions = {},
): Promise<void> {
  const known = options.owners ?? new Map<string, AccountOwner>();
  const unknown = [...new Set(entries.flatMap((e) => e.postings.map((p) => p.accountId)))].filter(
    (id) => !known.has(id),
  );
  const owners = new Map(known);
  if (unknown.length > 0) {
    for (const account of await accountsWithHolders(trx, { ids: unknown, numbers: [] })) {
      owners.set(account.id, {
        customerId: account.customer_id,
        number: account.card_number ?? account.account_number,
      });
    }
  }
  const messages = balanceNotices(entries, outcomes, owners, options);
  if (messages.length > 0) await postInboxMessages(trx, messages, entries[0]!.postedAtMs);
}

/** Posts one entry and tells the owners of the customer accounts it moved (the single-entry paths). */
export async function postEntryAndTell(trx: Tx, entry: EntryInput, options: NoticeOptions = {}): Promise<PostedEntry> {
  const posted = await postEntry(trx, entry);
  await tellBalanceChanges(trx, [entry], [posted], options);
  return posted;
}

/**
 * The step every online payment of the customer's (a transfer, a bill payment, a checkout) takes once
 * authorized: post its entry, send the payer the SMS debit notice, write the 动账通知 of every customer
 * account the entry moved, and append the payment's audit event, all in the payment's transaction.
 */
export async function postPayment(
  trx: Tx,
  payment: {
    entry: EntryInput;
    payer: CustomerRow;
    from: AccountRow;
    amountFen: number;
    /** The payment's audit event, which names the entry. */
    audit: (entryId: string) => AuditEvent;
  },
): Promise<PostedEntry> {
  const { entry, payer, from } = payment;
  const fromNumber = from.card_number ?? from.account_number;
  const posted = await postEntry(trx, entry);
  await enqueueMessage(
    trx,
    {
      channel: 'sms',
      to: payer.mobile,
      purpose: 'transfer.debit_notice',
      text: smsText('transfer.debit_notice', {
        accountLast4: fromNumber.slice(-4),
        amount: formatMoney(payment.amountFen),
        balance: formatMoney(availableAfter(posted.balances, from.id)),
      }),
    },
    entry.postedAtMs,
  );
  const owners = new Map([[from.id as string, { customerId: payer.id as string, number: fromNumber }]]);
  await tellBalanceChanges(trx, [entry], [posted], { owners });
  await appendAudit(trx, payment.audit(posted.entryId));
  return posted;
}

function availableAfter(balances: Readonly<Record<string, Balance>>, accountId: string): number {
  return balances[accountId]?.availableFen ?? 0;
}
