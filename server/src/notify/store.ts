import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';

export type NotifyTables = {
  outbox: {
    id: string;
    channel: string;
    recipient: string;
    purpose: string;
    text: string;
    /** The one-time code a message carries, kept only while the dev adapter is in use. */
    code: string | null;
    status: 'pending' | 'sending' | 'delivered' | 'failed';
    attempts: number;
    next_attempt_at_ms: number;
    lease_until_ms: number | null;
    created_at_ms: number;
    delivered_at_ms: number | null;
    last_error: string | null;
  };
  inbox_message: {
    id: string;
    customer_id: string;
    kind: string;
    /** The message's facts as JSON (amounts in fen, instants in ms), rendered when read. */
    params: string;
    created_at_ms: number;
    read_at_ms: number | null;
  };
};

export type InboxRow = NotifyTables['inbox_message'];

export type OutboxRow = NotifyTables['outbox'];

/** Messages for one recipient, newest first (the dev outbox route). */
export function messagesTo(db: Kysely<Database>, recipient: string | undefined, limit: number) {
  let query = db.selectFrom('outbox').selectAll().orderBy('created_at_ms', 'desc').orderBy('id').limit(limit);
  if (recipient) query = query.where('recipient', '=', recipient);
  return query.execute();
}

/** Writes a message to the outbox in the caller's transaction. */
export async function insertMessage(trx: Kysely<Database>, row: OutboxRow): Promise<void> {
  await trx.insertInto('outbox').values(row).execute();
}

/**
 * Claims up to `limit` messages that are due, or whose sender's lease ran out, and leases them to this
 * worker until `nowMs + leaseMs`. Rows another worker is claiming are skipped, not waited for.
 */
export async function claimDueMessages(trx: Tx, nowMs: number, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const due = await trx
    .selectFrom('outbox')
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
  await trx
    .updateTable('outbox')
    .set({ status: 'sending', lease_until_ms: nowMs + leaseMs })
    .where(
      'id',
      'in',
      due.map((m) => m.id),
    )
    .execute();
  return due;
}

/** Records how one delivery went: delivered, or when to try again, or failed for good. */
export async function recordDelivery(db: Kysely<Database>, id: string, outcome: Partial<OutboxRow>): Promise<void> {
  await db.updateTable('outbox').set(outcome).where('id', '=', id).execute();
}
