/** What other domains may use of sign-in and sessions. */
import type { Kysely } from 'kysely';
import { customerById } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import { type Deps, setLoginPassword, setUsername } from './credentials.ts';
import { type CustomerView, customerView } from './login-session.ts';
import { credentialOf } from './store.ts';

export { authErrors } from './errors.ts';
export { purgeAuthLeftovers } from './housekeeping.ts';
export { authMigrations } from './migrations.ts';
export { endMaintenance, maintenanceGuard, readMaintenance, startMaintenance } from './maintenance.ts';
export { registerLoginRoutes } from './routes.ts';
export { registerQrLoginRoutes } from './qr-routes.ts';
export { registerPasskeyLoginRoutes } from './passkey-routes.ts';
export { registerPasskeyRoutes } from './passkey-security-routes.ts';
export { passkeyLoginMigrations } from './passkey-migrations.ts';
export type { PasskeyLoginTables } from './passkey-store.ts';
export { registerSecurityRoutes } from './security-routes.ts';
export { SESSION_COOKIE } from './sessions.ts';
export type { AuthTables } from './store.ts';
export { setLoginName, setLoginPassword, setUsername } from './credentials.ts';
export { type LoginStatus, loginStatusOf } from './counter-support.ts';
// Registration (issue 15): captcha, identifiers, the password policy, the lock, sessions and cookies.
export { checkCaptcha } from './captcha.ts';
// The counter's sign-in shares the per-address guessing guard (issue 15's audit).
export { identifierHash, loginPressure, recordLoginFailure } from './captcha.ts';
export { resolveIdentifier } from './identifiers.ts';
export { liftLoginLock } from './lockout.ts';
export type { Client, CustomerView } from './login-session.ts';
export { checkPasswordPolicy, type PersonalFacts } from './password-policy.ts';
export { clientOf, setSessionCookie } from './routes.ts';
export { createSession, endAllSessions, endSessionsOf } from './sessions.ts';

/** Whether a customer has online banking (a login credential), whatever its state. */
export async function hasOnlineBanking(db: Kysely<Database>, customerId: string): Promise<boolean> {
  return (await credentialOf(db, customerId)) !== undefined;
}

/** The customer as the web app shows a signed-in one (registration answers it); undefined for no such customer. */
export async function customerViewOf(db: Kysely<Database>, customerId: string): Promise<CustomerView | undefined> {
  const customer = await customerById(db, customerId);
  // Registration answers this: a customer who has just registered has no sign-in before this one.
  return customer ? customerView(customer, await credentialOf(db, customerId), null) : undefined;
}

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
