import { pingDatabase } from '../db/database.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { App } from './types.ts';

/** `/livez`: the process is up. `/readyz`: it can reach its database (load balancers send traffic only then). */
export function registerHealth(app: App, ctx: AppContext) {
  app.get('/livez', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request) => {
    try {
      await pingDatabase(ctx.db.kysely);
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      throw new AppError('system.unavailable');
    }
    return { status: 'ok', database: ctx.db.dialect };
  });
}
