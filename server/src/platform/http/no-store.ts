import type { App } from './types.ts';

/**
 * Every API answer is `Cache-Control: no-store` unless its route says otherwise (issue 13, item 5):
 * balances, transactions, payees and sessions are private, and a shared or browser cache must keep no
 * copy of them. Set in one place, so a new route cannot forget it; static assets and pages keep their
 * own caching.
 */
export function noStoreForApi(app: App) {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/v1/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
