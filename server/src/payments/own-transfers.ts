import { appendAudits } from '../audit/index.ts';
import { type AccountWithHolder, accountsWithHolders } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import { forgetAnswers, postEntries, storeAnswers } from '../ledger/index.ts';
import { assert } from '../platform/assert.ts';
import { batchPerTurn } from '../platform/db/batch-per-turn.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import type { AppError } from '../platform/errors.ts';
import { type AccountOwner, tellBalanceChanges } from './balance-notices.ts';
import { OWN_BANK_CODE } from './banks.ts';
import { insertTransfers, type TransferRow } from './store.ts';
import {
  classifyTransfer,
  type Deps,
  newTransferRow,
  type TransferRoute,
  transferEntry,
  transferPostedEvent,
} from './transfers.ts';

/** An own-account transfer that classifyTransfer has accepted, ready to post. */
export type OwnTransfer = { row: TransferRow; payerName: string; fromNumber: string; ip: string | null };

/**
 * Posts own-account transfers: their journal entries in one ledger batch (postEntries), their rows and
 * audit events in one statement each. This is the only write of an own-account transfer, whether it
 * came alone (createTransfer) or with others (startOwnTransfers). One that is refused (too little
 * money) writes nothing; the others complete.
 */
export async function completeOwnTransfers(
  trx: Tx,
  transfers: readonly OwnTransfer[],
): Promise<Array<{ ok: true } | { ok: false; error: AppError }>> {
  const entries = transfers.map(({ row, payerName, fromNumber }) => {
    assert(row.to_account_id, `own transfer ${row.id} has a credited account`);
    return transferEntry(row, { creditAccountId: row.to_account_id, payerName, fromNumber });
  });
  const outcomes = await postEntries(trx, entries);
  const done = transfers.filter((_, i) => outcomes[i]?.ok);
  if (done.length > 0) {
    await insertTransfers(
      trx,
      done.map((t) => t.row),
    );
    await appendAudits(
      trx,
      done.map((t) => transferPostedEvent(t.row, t.row.entry_id as string, t.ip)),
    );
    // 动账通知 for both accounts of each transfer, all in one statement: both accounts are the payer's own,
    // so their owner is known and nothing is read.
    const owners = new Map<string, AccountOwner>();
    for (const { row, fromNumber } of transfers) {
      owners.set(row.from_account_id, { customerId: row.customer_id, number: fromNumber });
      owners.set(row.to_account_id!, { customerId: row.customer_id, number: row.payee_account_number });
    }
    await tellBalanceChanges(trx, entries, outcomes, { owners });
  }
  return outcomes.map((o) => (o.ok ? { ok: true } : { ok: false, error: o.error }));
}

/** A request for a transfer to an account of this bank, typed in (not a saved payee). */
export type OwnTransferRequest = {
  customerId: string;
  fromAccountId: string;
  payeeName: string;
  payeeNumber: string;
  amountFen: number;
  memo: string | undefined;
  ip: string | null;
  idempotency: { scope: string; key: string; requestHash: string } | null;
  /** The answer's JSON for the transfer made, stored under the key with the money movement. */
  answer: (row: TransferRow) => string;
};

/** `done`: posted, here is the answer. `single`: not for a batch; go the single transfer's way. */
export type OwnTransferOutcome = { kind: 'done'; body: string } | { kind: 'single' };

/**
 * Makes the plain own-account transfers of a batch of requests that arrived together, in the caller's
 * transaction with a fixed number of statements: the parties read in one, the answers stored under
 * their Idempotency-Keys in one, the money moved by completeOwnTransfers. Anything else — a payee of
 * another customer, a refusal, a key seen before, too little money — is answered `single` having
 * written nothing, and goes the single transfer's way, which decides the same (classifyTransfer) and
 * gives the refusal or replays the stored answer.
 */
export async function startOwnTransfers(
  trx: Tx,
  deps: Deps,
  requests: readonly OwnTransferRequest[],
): Promise<OwnTransferOutcome[]> {
  const nowMs = deps.clock.nowMs();
  const parties = await accountsWithHolders(trx, {
    ids: requests.map((r) => r.fromAccountId),
    numbers: requests.map((r) => r.payeeNumber),
  });
  const byId = new Map<string, AccountWithHolder>(parties.map((a) => [a.id, a]));
  const byNumber = new Map<string, AccountWithHolder>();
  for (const a of parties) {
    byNumber.set(a.account_number, a);
    if (a.card_number) byNumber.set(a.card_number, a);
  }
  const outcomes: OwnTransferOutcome[] = requests.map(() => ({ kind: 'single' }));
  const candidates: Array<{ request: OwnTransferRequest; index: number; transfer: OwnTransfer; body: string }> = [];
  const keys = new Set<string>();
  for (const [index, request] of requests.entries()) {
    const route: TransferRoute = classifyTransfer({
      customerId: request.customerId,
      from: byId.get(request.fromAccountId),
      bankCode: OWN_BANK_CODE,
      payeeNumber: request.payeeNumber,
      payeeName: request.payeeName,
      payee: byNumber.get(request.payeeNumber),
    });
    if (!route.ok || route.kind !== 'own') continue;
    // The same key twice in one batch: the second waits its turn on the single way, and replays.
    const key = request.idempotency && `${request.idempotency.scope}\u001f${request.idempotency.key}`;
    if (key && keys.has(key)) continue;
    if (key) keys.add(key);
    const row = newTransferRow(request, route, {
      payeeName: request.payeeName,
      payeeNumber: request.payeeNumber,
      bankCode: OWN_BANK_CODE,
      nowMs,
    });
    const transfer = { row, payerName: request.payeeName, fromNumber: route.fromNumber, ip: request.ip };
    candidates.push({ request, index, transfer, body: request.answer(row) });
  }
  const going = await withStoredAnswers(trx, candidates, nowMs);
  if (going.length === 0) return outcomes;
  const results = await completeOwnTransfers(
    trx,
    going.map((c) => c.transfer),
  );
  const refused = going.filter((_, i) => !results[i]?.ok);
  await forgetAnswers(
    trx,
    refused.flatMap((c) => (c.request.idempotency ? [c.request.idempotency] : [])),
  );
  going.forEach((c, i) => {
    if (results[i]?.ok) outcomes[c.index] = { kind: 'done', body: c.body };
  });
  return outcomes;
}

/** Stores the answers of the candidates that carry a key; returns those that may go on. */
async function withStoredAnswers<C extends { request: OwnTransferRequest; body: string }>(
  trx: Tx,
  candidates: readonly C[],
  nowMs: number,
): Promise<C[]> {
  const keyed = candidates.filter((c) => c.request.idempotency);
  if (keyed.length === 0) return [...candidates];
  const stored = await storeAnswers(
    trx,
    keyed.map((c) => ({ ...c.request.idempotency!, status: 201, body: c.body, nowMs })),
  );
  const taken = new Set(keyed.filter((_, i) => !stored[i]));
  return candidates.filter((c) => !taken.has(c));
}

/** Most requests in one batch: a batch holds all its accounts' locks until it commits. */
export const MAX_OWN_TRANSFERS_PER_BATCH = 32;

/**
 * Own-account transfers that reach the server in one turn of the event loop go to the database
 * together: one transaction, one commit, a fixed number of statements. Each keeps its own outcome.
 */
const batches = batchPerTurn<Database, { deps: Deps; request: OwnTransferRequest }, OwnTransferOutcome>(
  MAX_OWN_TRANSFERS_PER_BATCH,
  async (db, items) => {
    ownTransferBatches.calls++;
    ownTransferBatches.transfers += items.length;
    try {
      return await withTransaction(db, (trx) =>
        startOwnTransfers(
          trx,
          items[0]!.deps,
          items.map((i) => i.request),
        ),
      );
    } catch (error) {
      // The batch was undone as a whole (the database gone, retries spent): each request fails with it.
      return items.map(() => error as Error);
    }
  },
);

/** Sends one request to this turn's batch of own transfers. */
export function startOwnTransfer(
  db: Parameters<typeof batches>[0],
  deps: Deps,
  request: OwnTransferRequest,
): Promise<OwnTransferOutcome> {
  return batches(db).load({ deps, request });
}

/** Batches sent and the transfers they carried, in this process (tests and benchmarks read them). */
export const ownTransferBatches = { calls: 0, transfers: 0 };
