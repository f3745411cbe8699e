import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { claimLeased } from '../platform/db/lease.ts';

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

/** Claims due outbox messages and leases them to this worker (platform/db/lease.ts). */
export function claimDueMessages(trx: Tx, nowMs: number, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  return claimLeased(trx, 'outbox', { nowMs, limit, leaseMs }) as Promise<OutboxRow[]>;
}

/** Records how one delivery went: delivered, or when to try again, or failed for good. */
export async function recordDelivery(db: Kysely<Database>, id: string, outcome: Partial<OutboxRow>): Promise<void> {
  await db.updateTable('outbox').set(outcome).where('id', '=', id).execute();
}
