import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, pickLanguage } from '../platform/errors.ts';
import { deleteSetting, readSetting, writeSetting } from '../platform/settings.ts';
import { authErrors as errors } from './errors.ts';

/**
 * Maintenance mode (seed 002): an operator closes the customer channels for a while with an
 * announcement. Customer routes answer 503 `system.maintenance` with Retry-After; staff routes, health
 * checks and the session route (which carries the announcement to the login page) keep working. The
 * state is a database setting, so every instance sees it; each instance re-reads it at most every 2 s.
 */
export type Maintenance = { messageZh: string; messageEn: string; untilMs: number | null };

const KEY = 'maintenance';
const CACHE_MS = 2000;
const CUSTOMER_PREFIXES = [
  '/api/v1/auth',
  '/api/v1/accounts',
  '/api/v1/transfers',
  '/api/v1/payees',
  '/api/v1/limits',
  '/api/v1/security',
  '/api/v1/registration',
  '/api/v1/password-reset',
];

export async function readMaintenance(db: Kysely<Database>, nowMs: number): Promise<Maintenance | null> {
  const raw = await readSetting(db, KEY);
  if (!raw) return null;
  const value = JSON.parse(raw) as Maintenance;
  // A window that has passed ends by itself.
  if (value.untilMs !== null && value.untilMs <= nowMs) return null;
  return value;
}

export async function startMaintenance(db: Kysely<Database>, value: Maintenance, nowMs: number) {
  await writeSetting(db, KEY, JSON.stringify(value), nowMs);
}

export async function endMaintenance(db: Kysely<Database>) {
  await deleteSetting(db, KEY);
}

/** An onRequest hook refusing customer routes during maintenance. */
export function maintenanceGuard(ctx: AppContext) {
  let cached: { atMs: number; value: Maintenance | null } = { atMs: 0, value: null };
  return async (request: FastifyRequest) => {
    const path = request.url.split('?')[0] ?? '';
    if (!CUSTOMER_PREFIXES.some((prefix) => path.startsWith(prefix))) return;
    const nowMs = ctx.clock.nowMs();
    if (nowMs - cached.atMs > CACHE_MS || nowMs < cached.atMs)
      cached = { atMs: nowMs, value: await readMaintenance(ctx.db.kysely, nowMs) };
    const value = cached.value;
    if (!value) return;
    const retryAfterSeconds = value.untilMs ? Math.max(60, Math.ceil((value.untilMs - nowMs) / 1000)) : 600;
    throw new AppError(
      errors['system.maintenance'],
      { message: pickMessage(request, value) },
      { retryAfterSeconds, maintenance: maintenanceView(value) },
    );
  };
}

function pickMessage(request: FastifyRequest, value: Maintenance) {
  return pickLanguage(request.headers['accept-language']) === 'en' ? value.messageEn : value.messageZh;
}

export function maintenanceView(value: Maintenance) {
  return {
    messageZh: value.messageZh,
    messageEn: value.messageEn,
    until: value.untilMs === null ? null : new Date(value.untilMs).toISOString(),
  };
}
