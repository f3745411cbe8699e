import { Type } from 'typebox';
import type { AppContext } from './context.ts';
import type { App } from './http/types.ts';
import { readSetting, writeSetting } from './settings-store.ts';

const OFFSET_KEY = 'dev.clock_offset_ms';
const REFRESH_MS = 1000;

/**
 * Outside production, tests move time forward with `POST /api/v1/dev/clock`. The offset is stored in
 * the database, so every instance on one database agrees; each instance re-reads it at most once a second.
 */
export function registerDevClock(app: App, ctx: AppContext) {
  let refreshedAtMs = 0;
  app.addHook('onRequest', async () => {
    // Real time on purpose: how often to re-read the offset does not depend on the offset itself.
    const now = Date.now();
    if (now - refreshedAtMs < REFRESH_MS) return;
    refreshedAtMs = now;
    const stored = Number((await readSetting(ctx.db.kysely, OFFSET_KEY)) ?? 0);
    // Time only moves forward: never undo an advance this process already made (tests move the clock directly).
    if (stored > ctx.clock.offsetMs()) ctx.clock.setOffset(stored);
  });
  app.post(
    '/api/v1/dev/clock',
    {
      schema: {
        tags: ['dev'],
        summary: 'Move the server clock forward (outside production only)',
        body: Type.Object(
          { advanceSeconds: Type.Integer({ minimum: 0, maximum: 10 * 365 * 86_400 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ now: Type.String({ format: 'date-time' }), offsetSeconds: Type.Integer() }),
        },
      },
    },
    async (request) => {
      const current = Number((await readSetting(ctx.db.kysely, OFFSET_KEY)) ?? 0);
      const offsetMs = current + request.body.advanceSeconds * 1000;
      await writeSetting(ctx.db.kysely, OFFSET_KEY, String(offsetMs), ctx.clock.nowMs());
      ctx.clock.setOffset(offsetMs);
      return { now: new Date(ctx.clock.nowMs()).toISOString(), offsetSeconds: Math.round(offsetMs / 1000) };
    },
  );
}
