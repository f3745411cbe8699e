import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from 'typebox';
import { pingDatabase } from '../db/database.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './problem.ts';
import type { App } from './types.ts';

/**
 * How long /readyz waits for the database: a load balancer's probe wants an answer, and a database that
 * takes longer to say `select 1` is not ready for customers either.
 */
const READINESS_TIMEOUT_MS = 2000;

const LiveOut = Type.Object({ status: Type.Literal('ok') });
const ReadyOut = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
});

/** `/livez`: the process is up. `/readyz`: it can reach its database (load balancers send traffic only then). */
export function registerHealth(app: App, ctx: AppContext) {
  app.get('/livez', { schema: { hide: true, response: { 200: LiveOut } } }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', { schema: { hide: true, response: { 200: ReadyOut } } }, async (request) => {
    try {
      const abandon = new AbortController();
      await Promise.race([
        pingDatabase(ctx.db.kysely).finally(() => abandon.abort()),
        sleep(READINESS_TIMEOUT_MS, undefined, { signal: abandon.signal }).then(() => {
          throw new Error(`the database did not answer within ${READINESS_TIMEOUT_MS} ms`);
        }),
      ]);
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      throw new AppError('system.unavailable', {}, { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
    }
    return { status: 'ok' as const, database: ctx.db.dialect };
  });
}
