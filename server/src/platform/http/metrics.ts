import { Type } from 'typebox';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { AppError } from '../errors.ts';
import { hashQueue } from '../secret-hash.ts';
import type { App } from './types.ts';

/**
 * Who may read /metrics: `open` (development and tests), `token` (a Prometheus that sends
 * `Authorization: Bearer <JINKU_METRICS_TOKEN>`), or `off` (production without a token: the figures
 * would tell anyone the bank's load and its failures).
 */
export type MetricsAccess = { kind: 'open' } | { kind: 'token'; token: string } | { kind: 'off' };

/**
 * A counter a domain reports (e.g. merchant notifications given up), read at scrape time: from this
 * process, or from the database the app was built on (`db`), so that every instance reports the same.
 */
export type CounterSource = {
  name: string;
  help: string;
  value: (db: Kysely<Database>) => number | Promise<number>;
};

const counterSources = new Map<string, CounterSource>();

/**
 * Adds a domain's counter to every app's /metrics (platform never imports a domain: the domain registers
 * itself, as payments' spending sources do). Registering a name again replaces it.
 */
export function registerCounterSource(source: CounterSource): void {
  counterSources.set(source.name, source);
}

/**
 * Prometheus metrics at /metrics: request counts and latency by route template (never by raw URL, which
 * would explode the label set), the database pool, and Node's process metrics. One registry per app.
 */
export function registerMetrics(
  app: App,
  poolStats: () => { total: number; idle: number; waiting: number } | null,
  access: MetricsAccess,
  db: Kysely<Database>,
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'jinku_' });
  const requests = new Counter({
    name: 'jinku_http_requests_total',
    help: 'HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'jinku_http_request_duration_seconds',
    help: 'HTTP request latency by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  for (const [name, pick] of [
    ['total', 'total'],
    ['idle', 'idle'],
    ['waiting', 'waiting'],
  ] as const) {
    new Gauge({
      name: `jinku_db_pool_${name}_connections`,
      help: `Database pool connections: ${name} (PostgreSQL only)`,
      registers: [registry],
      collect() {
        const stats = poolStats();
        if (stats) this.set(stats[pick]);
      },
    });
  }
  for (const state of ['running', 'waiting'] as const) {
    new Gauge({
      name: `jinku_argon2_${state}`,
      help: `Argon2id password hashes ${state} in this process (at most JINKU_ARGON2_CONCURRENCY run at once)`,
      registers: [registry],
      collect() {
        this.set(hashQueue()[state]);
      },
    });
  }
  for (const source of counterSources.values()) {
    let lastValue = 0;
    new Counter({
      name: source.name,
      help: source.help,
      registers: [registry],
      async collect() {
        // A database that is away must not take the whole scrape down (the pool and latency figures
        // matter most then): the counter keeps its last value read.
        try {
          lastValue = await source.value(db);
        } catch {
          // keep lastValue
        }
        this.reset();
        if (lastValue > 0) this.inc(lastValue);
      },
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  if (access.kind === 'off') return;
  // Prometheus's text format, not JSON: documented as a string, sent as the registry renders it.
  app.get('/metrics', { schema: { hide: true, response: { 200: Type.String() } } }, async (request, reply) => {
    if (access.kind === 'token' && !bearerMatches(request, access.token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('request.unauthenticated');
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

/** Compares the bearer token in constant time (hashes first, so lengths do not leak either). */
function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return given !== '' && timingSafeEqual(digest(given), digest(token));
}
