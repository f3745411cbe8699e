import { Type } from 'typebox';
import type { AppContext } from '../platform/context.ts';
import { isoTime } from '../platform/clock.ts';
import type { App } from '../platform/http/types.ts';
import { messagesTo } from './store.ts';

/** `GET /api/v1/dev/outbox`: every message the server would have sent (outside production only). */
export function registerDevOutbox(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/dev/outbox',
    {
      schema: {
        tags: ['dev'],
        summary: 'Messages the server would have sent (outside production only)',
        querystring: Type.Object(
          {
            to: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const rows = await messagesTo(ctx.db.kysely, request.query.to, request.query.limit ?? 50);
      return {
        items: rows.map((row) => ({
          to: row.recipient,
          channel: row.channel,
          purpose: row.purpose,
          text: row.text,
          ...(row.code ? { code: row.code } : {}),
          status: row.status,
          createdAt: isoTime(row.created_at_ms),
        })),
      };
    },
  );
}
