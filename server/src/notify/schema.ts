import { type Static, Type } from 'typebox';

/** The dev outbox on the wire (API.md, "Outside production only"). */

export const OutboxQuery = Type.Object(
  {
    to: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

/** One message the server would have sent; `code` is the one-time code it carries, if any. */
export const OutboxMessage = Type.Object({
  to: Type.String(),
  channel: Type.String(),
  purpose: Type.String(),
  text: Type.String(),
  code: Type.Optional(Type.String()),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('sending'),
    Type.Literal('delivered'),
    Type.Literal('failed'),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
});

/** Newest first. */
export const OutboxList = Type.Object({ items: Type.Array(OutboxMessage) });

export type OutboxMessage = Static<typeof OutboxMessage>;
export type OutboxList = Static<typeof OutboxList>;
