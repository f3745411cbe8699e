import type { Database } from '../database.ts';
import type { Kysely } from 'kysely';

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
};

export type OutboxRow = NotifyTables['outbox'];

/** Messages for one recipient, newest first (the dev outbox route). */
export function messagesTo(db: Kysely<Database>, recipient: string | undefined, limit: number) {
  let query = db.selectFrom('outbox').selectAll().orderBy('created_at_ms', 'desc').orderBy('id').limit(limit);
  if (recipient) query = query.where('recipient', '=', recipient);
  return query.execute();
}
