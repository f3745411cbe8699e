import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import { AppError, pickLanguage } from '../errors.ts';

/** An operator's maintenance announcement: both languages, and when it ends (null: until lifted). */
export type MaintenanceNotice = { messageZh: string; messageEn: string; untilMs: number | null };

/** The routes of the customer channels; staff routes, health checks and the session route stay open. */
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
/**
 * Each instance re-reads the notice at most this often: a request must not cost a database read for it.
 * So an operator's change reaches every instance within this bound (platform/instances.test.ts checks it).
 */
export const MAINTENANCE_CACHE_MS = 2000;
/** With no end announced, clients are asked to come back after this long. */
const OPEN_ENDED_RETRY_SECONDS = 600;

/** The announcement as the API shows it (the session route and the 503 body). */
export function maintenanceView(notice: MaintenanceNotice) {
  return {
    messageZh: notice.messageZh,
    messageEn: notice.messageEn,
    until: notice.untilMs === null ? null : new Date(notice.untilMs).toISOString(),
  };
}

/**
 * An onRequest hook refusing customer routes while a maintenance notice is up: 503 with the
 * `refusalCode`, Retry-After and the announcement. `read` gives the current notice (its owner keeps it
 * in the database, so every instance agrees).
 */
export function maintenanceGate(options: {
  clock: Clock;
  read: (nowMs: number) => Promise<MaintenanceNotice | null>;
  refusalCode: string;
}) {
  let cached: { atMs: number; notice: MaintenanceNotice | null } = { atMs: 0, notice: null };
  return async function refuseDuringMaintenance(request: FastifyRequest): Promise<void> {
    const path = request.url.split('?')[0] ?? '';
    if (!CUSTOMER_PREFIXES.some((prefix) => path.startsWith(prefix))) return;
    const nowMs = options.clock.nowMs();
    // A clock moved backwards (tests) invalidates the cache too.
    if (nowMs - cached.atMs > MAINTENANCE_CACHE_MS || nowMs < cached.atMs)
      cached = { atMs: nowMs, notice: await options.read(nowMs) };
    const notice = cached.notice;
    if (!notice) return;
    const retryAfterSeconds = notice.untilMs
      ? Math.max(60, Math.ceil((notice.untilMs - nowMs) / 1000))
      : OPEN_ENDED_RETRY_SECONDS;
    const english = pickLanguage(request.headers['accept-language']) === 'en';
    throw new AppError(
      options.refusalCode,
      { message: english ? notice.messageEn : notice.messageZh },
      { retryAfterSeconds, maintenance: maintenanceView(notice) },
    );
  };
}
