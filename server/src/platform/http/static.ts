import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { App } from './types.ts';

export const WEB_DIST = resolve(import.meta.dirname, '../../../../web/dist');

/**
 * Serves the built web app, Brotli or gzip copies where the browser accepts them. Hashed assets are
 * cached for a year; index.html never, so a deploy is seen at once. Paths that are not files fall back to index.html (client-side routes under /, /m/, /counter/),
 * which the not-found handler in app.ts does.
 */
export async function registerWebApp(app: App): Promise<boolean> {
  if (!existsSync(resolve(WEB_DIST, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    // The build writes .br and .gz copies of its text files (vite.config.ts): sent to browsers that take them.
    preCompressed: true,
    setHeaders(res, path) {
      if (/\/assets\//.test(path)) res.header('cache-control', 'public, max-age=31536000, immutable');
      else res.header('cache-control', 'no-cache');
    },
  });
  return true;
}
