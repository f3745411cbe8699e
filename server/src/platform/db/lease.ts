import type { Kysely, Transaction } from 'kysely';

/** The columns a table of work delivered at least once by lease has (the SMS outbox, merchant notifies). */
export type LeaseColumns = {
  id: string;
  status: string;
  next_attempt_at_ms: number;
  lease_until_ms: number | null;
};

/**
 * Claims up to `limit` rows of `table` that are due (`pending` and their next attempt has come), or
 * whose sender's lease ran out (`sending` past `lease_until_ms`), and leases them to this worker until
 * `nowMs + leaseMs`, in the caller's transaction. Rows another worker is claiming are skipped, not waited
 * for (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer). A worker that dies mid-delivery
 * leaves its rows to be claimed again when the lease runs out, so delivery is at least once. The rows
 * come back whole; the caller's store knows their type.
 */
export async function claimLeased<DB>(
  trx: Transaction<DB>,
  table: string,
  options: { nowMs: number; limit: number; leaseMs: number },
): Promise<unknown[]> {
  const { nowMs, limit, leaseMs } = options;
  const db = trx as unknown as Kysely<Record<string, LeaseColumns>>;
  const due = await db
    .selectFrom(table)
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at_ms', '<=', nowMs)]),
        eb.and([eb('status', '=', 'sending'), eb('lease_until_ms', '<', nowMs)]),
      ]),
    )
    .orderBy('next_attempt_at_ms')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (due.length === 0) return [];
  await db
    .updateTable(table)
    .set({ status: 'sending', lease_until_ms: nowMs + leaseMs })
    .where(
      'id',
      'in',
      due.map((row) => row.id),
    )
    .execute();
  return due;
}
