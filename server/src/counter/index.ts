/** What other domains and the app may use of the counter: its routes, tables, migrations and demo staff. */
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { createStaff } from './staff.ts';

export { counterErrors } from './errors.ts';
export { counterMigrations } from './migrations.ts';
// Corporate onboarding (issue 19) is a teller operation whose route lives in corporate/.
export { requireStaff } from './guard.ts';
export { perform } from './operations.ts';
export { registerCounterRoutes } from './routes.ts';
export { purgeStaffKeyLogins } from './staff-keys.ts';
// The operator's `npm run staff` (server/src/cli/staff.ts).
export {
  addStaff,
  disableStaff,
  listStaff,
  resetStaffTotp,
  STAFF_ROLES,
  type TotpHandOver,
  unlockStaff,
} from './staff-admin.ts';
export { createStaff, type NewStaff, STAFF_SESSION_COOKIE } from './staff.ts';
export type { CounterTables, StaffRole } from './store.ts';

/** The demo staff's TOTP secret (API.md, "Demo bank"), as loaded into their authenticator app. */
export const DEMO_STAFF_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

/** The demo bank's teller and supervisor (API.md, "Demo bank") and an administrator, at the given branch. */
export async function seedDemoStaff(trx: Tx, deps: Pick<AppContext, 'config' | 'clock'>, branchCode: string) {
  await createStaff(trx, deps, {
    username: 'teller01',
    name: '柜员 陈静',
    role: 'teller',
    branchCode,
    password: 'Teller2026!',
    totpSecret: DEMO_STAFF_TOTP_SECRET,
  });
  await createStaff(trx, deps, {
    username: 'super01',
    name: '主管 刘强',
    role: 'supervisor',
    branchCode,
    password: 'Super2026!',
    totpSecret: DEMO_STAFF_TOTP_SECRET,
  });
  // The admin area (merchants, issue 17) is for the admin role, which neither of the others holds.
  await createStaff(trx, deps, {
    username: 'admin01',
    name: '管理员 王磊',
    role: 'admin',
    branchCode,
    password: 'Admin2026!',
    totpSecret: DEMO_STAFF_TOTP_SECRET,
  });
}
