import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { verifyAuditLog } from '../../audit/index.ts';
import type { Database } from '../../database.ts';
import { balancesOf, checkLedgerInvariants } from '../../ledger/index.ts';
import type { TestCustomer } from '../bank.ts';
import type { KeyedTransfer } from './load.ts';

/** Transfer journal entries posted so far (before the retries: how many requests in doubt had posted). */
export async function countTransferEntries(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('journal_entry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'transfer')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The after-checks of every fault test, once each request in doubt is settled: each transfer answered
 * `completed` is posted exactly once, there is no transfer entry that no request asked for, the ledger
 * invariants hold (every entry balanced, no account below zero, the sum of balances unchanged), the audit
 * chains verify, and each customer — who only moved money between their own accounts — holds what they
 * opened with.
 */
export async function assertPostedExactlyOnce(
  db: Kysely<Database>,
  sent: KeyedTransfer[],
  customers: TestCustomer[],
  openingFen: number,
): Promise<void> {
  assert.deepEqual(await checkLedgerInvariants(db), []);
  const audit = await verifyAuditLog(db);
  assert.ok(audit.ok, `the audit chains verify: ${JSON.stringify(audit)}`);
  const ids = sent.filter((s) => s.outcome === 'completed').map((s) => s.transferId!);
  assert.equal(new Set(ids).size, ids.length, 'each key is its own transfer');
  const entries = await db.selectFrom('journal_entry').select('reference').where('kind', '=', 'transfer').execute();
  const perTransfer = new Map<string, number>();
  for (const e of entries) perTransfer.set(e.reference, (perTransfer.get(e.reference) ?? 0) + 1);
  for (const id of ids) assert.equal(perTransfer.get(id), 1, `transfer ${id} is posted exactly once`);
  assert.equal(entries.length, ids.length, 'no posted transfer that no request asked for');
  for (const customer of customers) {
    const balances = await balancesOf(
      db,
      customer.accounts.map((a) => a.id),
    );
    const total = [...balances.values()].reduce((sum, b) => sum + b.postedFen, 0);
    assert.equal(total, 2 * openingFen, `${customer.name} holds what they opened with`);
  }
}

/** Answers counted by phase and status (and problem code), for the test's diagnostics. */
export function tallyByPhase(sent: KeyedTransfer[]): Record<string, Record<string, number>> {
  const figures: Record<string, Record<string, number>> = {};
  for (const s of sent) {
    const label = `${s.status}${s.code ? ` ${s.code}` : ''}`;
    const phase = figures[s.phase || 'load'] ?? {};
    phase[label] = (phase[label] ?? 0) + 1;
    figures[s.phase || 'load'] = phase;
  }
  return figures;
}
