import { type Static, Type } from 'typebox';
import { ID_PATTERN } from '../platform/ids.ts';

/** The message centre on the wire: `GET /api/v1/messages` and its friends. */

export const MessageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

/** A message's id as we made it: anything else (a NUL byte, which PostgreSQL refuses in text) is a 400, not a 500. */
export const MessageParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

/** One message in the reader's language; `category` files it under 动账 (balance) or security. */
export const MessageView = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'balance.debit, balance.credit, auth.new_device, auth.qr_login, auth.locked, …' }),
  category: Type.Union([Type.Literal('balance'), Type.Literal('security')]),
  title: Type.String(),
  body: Type.String(),
  read: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

/** The unread count and the newest message's id (what the badge and the event stream carry). */
export const UnreadState = Type.Object({
  unreadCount: Type.Integer({ minimum: 0 }),
  latestId: Type.Union([Type.String(), Type.Null()]),
});

/** Newest first, paged by an opaque cursor, with the unread count. */
export const MessageList = Type.Object({
  items: Type.Array(MessageView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  unreadCount: Type.Integer({ minimum: 0 }),
});

export type MessageView = Static<typeof MessageView>;
export type UnreadState = Static<typeof UnreadState>;
export type MessageList = Static<typeof MessageList>;
