import { appendAudit } from '../audit/index.ts';
import { checkPasswordPolicy } from '../auth/index.ts';
import type { Database, Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { secretBox } from '../platform/secret-box.ts';
import type { Kysely } from 'kysely';
import { createStaff, STAFF_TOTP_PURPOSE } from './staff.ts';
import {
  allStaff,
  lockedStaff,
  revokeStaffSessionsOf,
  type StaffRole,
  type StaffRow,
  setStaffFailures,
  setStaffStatus,
  setStaffTotp,
  staffByUsername,
} from './store.ts';
import { newStaffTotpSecret, staffTotpUrl } from './totp.ts';

/**
 * The operator's staff administration (`npm run staff`, server/src/cli/staff.ts): add a staff member
 * with an initial password and a new TOTP secret, list them, lift a lock, disable a login, give a new
 * TOTP secret. Each change is audited with the operator's tool as its actor. Results are values: the
 * CLI prints a refusal and exits 1.
 */

type Deps = Pick<AppContext, 'config' | 'clock'>;
type Db = Kysely<Database>;
const ACTOR = { type: 'system' as const, id: 'cli' };

export const STAFF_ROLES: readonly StaffRole[] = ['teller', 'supervisor', 'admin'];
const USERNAME = /^[a-z][a-z0-9_.-]{2,31}$/;

export type AdminResult<T> = { ok: true; value: T } | { ok: false; reason: string };
/** What the operator hands to the new staff member, shown once: the TOTP secret and its otpauth URL. */
export type TotpHandOver = { id: string; totpSecret: string; otpauthUrl: string };

/** Adds a staff member (username 3–32 of a–z 0–9 _ . -, a 4-digit branch, the customers' password policy). */
export async function addStaff(
  db: Db,
  deps: Deps,
  input: { username: string; name: string; role: string; branchCode: string; password: string },
): Promise<AdminResult<TotpHandOver>> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username))
    return { ok: false, reason: 'the username is 3 to 32 of a-z, 0-9, _ . - (a letter first)' };
  if (!STAFF_ROLES.includes(input.role as StaffRole))
    return { ok: false, reason: 'the role is teller, supervisor or admin' };
  if (!/^\d{4}$/.test(input.branchCode)) return { ok: false, reason: 'the branch is 4 digits' };
  const name = input.name.trim();
  if (name.length === 0 || name.length > 50) return { ok: false, reason: 'the name is 1 to 50 characters' };
  const policy = checkPasswordPolicy(input.password);
  if (!policy.ok) return { ok: false, reason: `the password is refused: ${policy.en}` };
  if (await staffByUsername(db, username)) return { ok: false, reason: `the username ${username} is taken` };
  const totpSecret = newStaffTotpSecret();
  const id = await withTransaction(db, async (trx) => {
    const staffId = await createStaff(trx, deps, {
      username,
      name,
      role: input.role as StaffRole,
      branchCode: input.branchCode,
      password: input.password,
      totpSecret,
    });
    await appendAudit(trx, {
      kind: 'counter.staff_added',
      atMs: deps.clock.nowMs(),
      actor: ACTOR,
      subject: { type: 'staff', id: staffId },
      details: { username, role: input.role, branch: input.branchCode },
    });
    return staffId;
  });
  return { ok: true, value: { id, totpSecret, otpauthUrl: staffTotpUrl(totpSecret, username) } };
}

/** Every staff member, with whether their login is locked now. */
export async function listStaff(db: Db, deps: Deps): Promise<(StaffRow & { locked: boolean })[]> {
  const nowMs = deps.clock.nowMs();
  return (await allStaff(db)).map((s) => ({ ...s, locked: s.locked_until_ms !== null && s.locked_until_ms > nowMs }));
}

/** Applies one change to a staff member found by username, in one transaction with its audit row. */
async function change<T>(
  db: Db,
  deps: Deps,
  username: string,
  kind: string,
  apply: (trx: Tx, staff: StaffRow, nowMs: number) => Promise<T>,
): Promise<AdminResult<T>> {
  const found = await staffByUsername(db, username.trim().toLowerCase());
  if (!found) return { ok: false, reason: `no staff member ${username}` };
  const value = await withTransaction(db, async (trx) => {
    const staff = await lockedStaff(trx, found.id);
    if (!staff) return undefined;
    const nowMs = deps.clock.nowMs();
    const result = await apply(trx, staff, nowMs);
    await appendAudit(trx, {
      kind,
      atMs: nowMs,
      actor: ACTOR,
      subject: { type: 'staff', id: staff.id },
      details: { username: staff.username, branch: staff.branch_code },
    });
    return { result };
  });
  if (!value) return { ok: false, reason: `no staff member ${username}` };
  return { ok: true, value: value.result };
}

/** Lifts the lock of wrong sign-ins (the count starts afresh). */
export function unlockStaff(db: Db, deps: Deps, username: string) {
  return change(db, deps, username, 'counter.staff_unlocked', async (trx, staff, nowMs) => {
    await setStaffFailures(trx, staff.id, { failedCount: 0, lockedUntilMs: null, nowMs });
  });
}

/** Disables a login for good: it no longer signs in, and its live sessions end now. */
export function disableStaff(db: Db, deps: Deps, username: string) {
  return change(db, deps, username, 'counter.staff_disabled', async (trx, staff, nowMs) => {
    await setStaffStatus(trx, staff.id, 'disabled', nowMs);
    await revokeStaffSessionsOf(trx, staff.id, nowMs);
  });
}

/** A new TOTP secret (a lost phone): the old authenticator stops working and live sessions end. */
export function resetStaffTotp(db: Db, deps: Deps, username: string): Promise<AdminResult<TotpHandOver>> {
  return change(db, deps, username, 'counter.staff_totp_reset', async (trx, staff, nowMs) => {
    const totpSecret = newStaffTotpSecret();
    await setStaffTotp(trx, staff.id, secretBox(deps.config.secret).seal(STAFF_TOTP_PURPOSE, totpSecret), nowMs);
    await revokeStaffSessionsOf(trx, staff.id, nowMs);
    return { id: staff.id, totpSecret, otpauthUrl: staffTotpUrl(totpSecret, staff.username) };
  });
}
