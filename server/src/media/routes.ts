import type { AppContext } from '../platform/context.ts';
import { requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { CardCellsQuery, CardDigits, MediaList, SerialParams } from './schema.ts';
import { devCardDigits, mediaList } from './service.ts';

/**
 * The security centre's media list (API.md, "Security centre") and, outside production only, the
 * password-card dev route that stands in for the printed card in tests and demos.
 */
export function registerMediaRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;

  app.get(
    '/api/v1/security/media',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Your tier and security media',
        response: { 200: MediaList },
      },
    },
    function listMedia(request) {
      return mediaList(db, request.customerId);
    },
  );

  if (ctx.config.env !== 'production') {
    app.get(
      '/api/v1/dev/password-card/:serial/cells',
      {
        schema: {
          tags: ['dev'],
          summary: 'The digits of some cells of a password card (outside production only)',
          params: SerialParams,
          querystring: CardCellsQuery,
          response: { 200: CardDigits },
        },
      },
      function readCardCells(request) {
        return devCardDigits(db, ctx, request.params.serial, request.query.cells);
      },
    );
  }
}
