/** What other domains may use of sign-in and sessions. */
import type { Tx } from '../database.ts';
import { type Deps, setLoginPassword, setUsername } from './credentials.ts';

export { authErrors } from './errors.ts';
export { purgeAuthLeftovers } from './housekeeping.ts';
export { authMigrations } from './migrations.ts';
export { endMaintenance, maintenanceGuard, readMaintenance, startMaintenance } from './maintenance.ts';
export { registerLoginRoutes } from './routes.ts';
export { registerSecurityRoutes } from './security-routes.ts';
export { SESSION_COOKIE } from './sessions.ts';
export type { AuthTables } from './store.ts';
export { setLoginName, setLoginPassword, setUsername } from './credentials.ts';

/** The demo bank's logins (API.md, "Demo bank"). */
export async function seedDemoLogins(
  trx: Tx,
  deps: Deps,
  ids: { zhangWeiId: string; liNaId: string; wangFangId: string },
): Promise<void> {
  await setLoginPassword(trx, deps, ids.zhangWeiId, 'Jinku2026', { temporary: false });
  await setUsername(trx, ids.zhangWeiId, 'zhangwei');
  await setLoginPassword(trx, deps, ids.liNaId, 'Jinku2026', { temporary: false });
  await setUsername(trx, ids.liNaId, 'lina');
  await setLoginPassword(trx, deps, ids.wangFangId, '20261122', { temporary: true });
}
