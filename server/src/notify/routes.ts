import type { AppContext } from '../platform/context.ts';
import type { App } from '../platform/http/types.ts';
import { OutboxList, OutboxQuery } from './schema.ts';
import { devOutbox } from './service.ts';

/** `GET /api/v1/dev/outbox`: every message the server would have sent (outside production only). */
export function registerDevOutbox(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/dev/outbox',
    {
      schema: {
        tags: ['dev'],
        summary: 'Messages the server would have sent (outside production only)',
        querystring: OutboxQuery,
        response: { 200: OutboxList },
      },
    },
    function listOutbox(request) {
      return devOutbox(ctx.db.kysely, request.query.to, request.query.limit ?? 50);
    },
  );
}
