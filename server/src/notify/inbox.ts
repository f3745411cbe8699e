import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { isoTime } from '../platform/clock.ts';
import { AppError, type Lang, requestErrors } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { notifyErrors } from './errors.ts';
import { inboxPage, inboxState, insertInboxMessages, markAllInboxRead, markInboxRead } from './inbox-store.ts';
import { categoryOf, type InboxKind, inboxText } from './inbox-texts.ts';
import type { MessageList, MessageView, UnreadState } from './inbox-schema.ts';

/** One in-app message to a customer: what happened (`kind`) and its facts, amounts in fen, instants in ms. */
export type InboxMessage = {
  customerId: string;
  kind: InboxKind;
  params: Record<string, string | number>;
};

/**
 * Writes in-app messages to the customers' message centres in the caller's transaction, like the SMS
 * outbox: a message exists if and only if the event it tells of commits. One statement for any number.
 */
export async function postInboxMessages(trx: Tx, messages: readonly InboxMessage[], nowMs: number): Promise<void> {
  await insertInboxMessages(
    trx,
    messages.map((m) => ({
      id: newId<'InboxMessage'>(),
      customer_id: m.customerId,
      kind: m.kind,
      params: JSON.stringify({ atMs: nowMs, ...m.params }),
      created_at_ms: nowMs,
      read_at_ms: null,
    })),
  );
}

/** Writes one in-app message in the caller's transaction (see postInboxMessages). */
export function postInboxMessage(trx: Tx, message: InboxMessage, nowMs: number): Promise<void> {
  return postInboxMessages(trx, [message], nowMs);
}

/** The largest page of messages a client may ask for (API.md's list convention). */
export const MAX_PAGE = 100;

/** A page of the customer's messages, newest first, in the reader's language, with the unread count. */
export async function listMessages(
  db: Kysely<Database>,
  customerId: string,
  options: { cursor?: string; limit: number; lang: Lang },
): Promise<MessageList> {
  const limit = Math.min(Math.max(options.limit, 1), MAX_PAGE);
  const before = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const rows = await inboxPage(db, customerId, { ...(before ? { before } : {}), limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const { unreadCount } = await inboxState(db, customerId);
  return {
    items: page.map((row) => messageView(row, options.lang)),
    nextCursor: rows.length > limit && last ? encodeCursor(Number(last.created_at_ms), last.id) : null,
    unreadCount,
  };
}

/** The unread count and the newest message's id: what the badge and the event stream need. */
export function unreadState(db: Kysely<Database>, customerId: string): Promise<UnreadState> {
  return inboxState(db, customerId);
}

/** Marks one of the customer's messages read; another customer's or an unknown id is `message.not_found`. */
export async function readMessage(db: Kysely<Database>, customerId: string, id: string, nowMs: number) {
  if ((await markInboxRead(db, customerId, id, nowMs)) === 'not_found') {
    throw new AppError(notifyErrors['message.not_found']);
  }
  return unreadState(db, customerId);
}

/** Marks all the customer's messages read. */
export async function readAllMessages(db: Kysely<Database>, customerId: string, nowMs: number) {
  await markAllInboxRead(db, customerId, nowMs);
  return unreadState(db, customerId);
}

function messageView(
  row: { id: string; kind: string; params: string; created_at_ms: number; read_at_ms: number | null },
  lang: Lang,
): MessageView {
  const params = JSON.parse(row.params) as Record<string, string | number>;
  const { title, body } = inboxText(row.kind, params, lang);
  return {
    id: row.id,
    kind: row.kind,
    category: categoryOf(row.kind as InboxKind),
    title,
    body,
    read: row.read_at_ms !== null,
    createdAt: isoTime(Number(row.created_at_ms)),
  };
}

function encodeCursor(createdAtMs: number, id: string): string {
  return Buffer.from(`${createdAtMs}:${id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor from the client; anything we did not make is a 400, never a 500. */
function decodeCursor(cursor: string): { createdAtMs: number; id: string } {
  const match = /^(\d{1,16}):([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AppError(requestErrors['request.invalid'], { reason: 'cursor' });
  return { createdAtMs: Number(match[1]), id: match[2]! };
}
