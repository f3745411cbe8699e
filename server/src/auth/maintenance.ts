import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { maintenanceGate, type MaintenanceNotice } from '../platform/http/maintenance-gate.ts';
import { deleteSetting, readSetting, writeSetting } from '../platform/settings-store.ts';
import { authErrors as errors } from './errors.ts';

/**
 * Maintenance mode (seed 002): an operator closes the customer channels for a while with an
 * announcement. Customer routes answer 503 `system.maintenance` with Retry-After (the gate in
 * platform/http); staff routes, health checks and the session route (which carries the announcement
 * to the login page) keep working. The state is a database setting, so every instance sees it.
 */
export type Maintenance = MaintenanceNotice;

const KEY = 'maintenance';

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

/** The onRequest hook that refuses customer routes while maintenance is on (app.ts adds it). */
export function maintenanceGuard(ctx: AppContext) {
  return maintenanceGate({
    clock: ctx.clock,
    read: (nowMs) => readMaintenance(ctx.db.kysely, nowMs),
    refusalCode: errors['system.maintenance'],
  });
}
