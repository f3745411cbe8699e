import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import type { InboxRow } from './store.ts';

/** Writes in-app messages in the caller's transaction: one statement however many. */
export async function insertInboxMessages(trx: Tx, rows: readonly InboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('inbox_message')
    .values([...rows])
    .execute();
}

/** One page of a customer's messages, newest first, strictly after the keyset `before` when given. */
export function inboxPage(
  db: Kysely<Database>,
  customerId: string,
  options: { before?: { createdAtMs: number; id: string }; limit: number },
): Promise<InboxRow[]> {
  let query = db
    .selectFrom('inbox_message')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit);
  const before = options.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at_ms', '<', before.createdAtMs),
        eb.and([eb('created_at_ms', '=', before.createdAtMs), eb('id', '<', before.id)]),
      ]),
    );
  }
  return query.execute();
}

/** How many of a customer's messages are unread, and the newest message's id (null for none). */
export async function inboxState(
  db: Kysely<Database>,
  customerId: string,
): Promise<{ unreadCount: number; latestId: string | null }> {
  const unread = await db
    .selectFrom('inbox_message')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('customer_id', '=', customerId)
    .where('read_at_ms', 'is', null)
    .executeTakeFirst();
  const latest = await db
    .selectFrom('inbox_message')
    .select('id')
    .where('customer_id', '=', customerId)
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { unreadCount: Number(unread?.n ?? 0), latestId: latest?.id ?? null };
}

/** Marks one of the customer's messages read (once: a read message keeps its first read time). */
export async function markInboxRead(
  db: Kysely<Database>,
  customerId: string,
  id: string,
  nowMs: number,
): Promise<'read' | 'not_found'> {
  const row = await db
    .selectFrom('inbox_message')
    .select(['id', 'read_at_ms'])
    .where('id', '=', id)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  if (!row) return 'not_found';
  if (row.read_at_ms === null) {
    await db
      .updateTable('inbox_message')
      .set({ read_at_ms: nowMs })
      .where('id', '=', id)
      .where('customer_id', '=', customerId)
      .where('read_at_ms', 'is', null)
      .execute();
  }
  return 'read';
}

/** Marks every unread message of the customer read. */
export async function markAllInboxRead(db: Kysely<Database>, customerId: string, nowMs: number): Promise<void> {
  await db
    .updateTable('inbox_message')
    .set({ read_at_ms: nowMs })
    .where('customer_id', '=', customerId)
    .where('read_at_ms', 'is', null)
    .execute();
}
