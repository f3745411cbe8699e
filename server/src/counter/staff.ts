import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/index.ts';
import { identifierHash, loginPressure, recordLoginFailure } from '../auth/index.ts';
import type { Tx } from '../database.ts';
import { ensureBankAccounts } from '../ledger/index.ts';
import { assert } from '../platform/assert.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { secretBox } from '../platform/secret-box.ts';
import { hashSecret, verifyDummy, verifySecret } from '../platform/secret-hash.ts';
import { counterErrors as errors } from './errors.ts';
import {
  insertStaff,
  insertStaffSession,
  lockedStaff,
  noteStaffSignIn,
  revokeStaffSessionByTokenHash,
  type StaffRole,
  type StaffRow,
  type StaffSessionRow,
  setStaffFailures,
  staffById,
  staffByUsername,
  staffSessionByTokenHash,
  touchStaffSession,
} from './store.ts';
import { checkStaffTotp, isBase32Secret } from './totp.ts';

export const STAFF_SESSION_COOKIE = 'jinku_staff_sid';
/** A counter left alone this long signs its staff member out (issue 15: 5 minutes). */
export const STAFF_IDLE_TIMEOUT_MS = 5 * 60_000;
/** However busy, a staff session ends after a working day. */
export const STAFF_ABSOLUTE_TIMEOUT_MS = 12 * 3_600_000;
/** The last-seen time is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 15_000;
/** The secret-box purpose of a sealed staff TOTP secret. */
export const STAFF_TOTP_PURPOSE = 'counter/staff-totp';
const MAX_TOKEN_LENGTH = 100;
/** How long an address that is guessing is told to wait (the guard's window is 10 minutes). */
const IP_FLOOD_PAUSE_SECONDS = 600;

type Deps = Pick<AppContext, 'config' | 'clock'>;

/** Who a staff member is, as the counter's answers show them (API.md, "Counter"). */
export type StaffView = { id: string; username: string; name: string; role: StaffRole; branch: string };

export function staffView(row: StaffRow): StaffView {
  return { id: row.id, username: row.username, name: row.name, role: row.role, branch: row.branch_code };
}

export type NewStaff = {
  username: string;
  name: string;
  role: StaffRole;
  branchCode: string;
  password: string;
  /** The TOTP secret in base32, as loaded into the staff member's authenticator app. */
  totpSecret: string;
};

/** Creates a staff member (and the branch's own ledger accounts, its cash vault among them). */
export async function createStaff(trx: Tx, deps: Deps, input: NewStaff): Promise<string> {
  assert(isBase32Secret(input.totpSecret), 'a staff TOTP secret is base32 of at least 80 bits');
  assert(/^\d{4}$/.test(input.branchCode), 'a branch code is 4 digits');
  const nowMs = deps.clock.nowMs();
  await ensureBankAccounts(trx, nowMs, [input.branchCode]);
  const id = newId<'Staff'>();
  await insertStaff(trx, {
    id,
    username: input.username.toLowerCase(),
    name: input.name,
    role: input.role,
    branch_code: input.branchCode,
    status: 'active',
    password_hash: await hashSecret(deps.config, input.password),
    totp_sealed: secretBox(deps.config.secret).seal(STAFF_TOTP_PURPOSE, input.totpSecret),
    totp_last_step: null,
    failed_count: 0,
    locked_until_ms: null,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  return id;
}

export type StaffClient = { ip: string | null; userAgent: string | null; previousToken: string | undefined };
export type StaffLoginInput = { username: string; password: string; totp: string };

/** What the password check of a staff sign-in found: a real staff member, and whether the password was right. */
export type PasswordChecked = { staff: StaffRow; passwordOk: boolean; idHash: string };
/** How a sign-in ended inside its transaction; the error is thrown after the commit, so counts hold. */
export type SignInOutcome =
  | { failure: 'invalid' }
  | { failure: 'locked'; untilMs: number }
  | { failure: null; token: string; staff: StaffView };

/**
 * The first step of every staff sign-in (TOTP or key). An address guessing at many logins is refused
 * for a while before any work is done (the customers' per-address guard, kept in the database, so it
 * holds across instances); a wrong or disabled username costs the same Argon2 work as a real one, one
 * audit row, and answers the same `counter.invalid_credentials` as a wrong password.
 */
export async function checkStaffPassword(
  ctx: AppContext,
  input: { username: string; password: string },
  client: StaffClient,
): Promise<PasswordChecked> {
  const db = ctx.db.kysely;
  const username = input.username.trim().toLowerCase();
  const idHash = identifierHash(ctx.config.secret, `staff:${username}`);
  const pressure = await loginPressure(db, client.ip ?? 'unknown', idHash, ctx.clock.nowMs());
  if (pressure.ipFlooding) {
    throw new AppError('request.rate_limited', {}, { retryAfterSeconds: IP_FLOOD_PAUSE_SECONDS });
  }
  const found = await staffByUsername(db, username);
  if (found?.status !== 'active') {
    await verifyDummy(ctx.config, input.password);
    await withTransaction(db, (trx) =>
      appendAudit(trx, {
        kind: 'counter.login_failed',
        atMs: ctx.clock.nowMs(),
        actor: { type: 'anonymous' },
        ip: client.ip,
        // Not the username: a password typed into the wrong field must not reach the log.
        details: { staffKnown: false },
      }),
    );
    await recordLoginFailure(db, client.ip ?? 'unknown', idHash, ctx.clock.nowMs());
    throw new AppError(errors['counter.invalid_credentials']);
  }
  return { staff: found, passwordOk: await verifySecret(ctx.config, found.password_hash, input.password), idHash };
}

/**
 * A wrong factor of a real staff member: it counts, and the configured number in a row locks the login
 * as for customers. While locked, wrong answers neither count nor say so.
 */
export async function countStaffFailure(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  factor: 'password' | 'totp' | 'key',
  ip: string | null,
): Promise<SignInOutcome> {
  const nowMs = ctx.clock.nowMs();
  if (staff.locked_until_ms !== null && staff.locked_until_ms > nowMs) return { failure: 'invalid' };
  const failures = (staff.locked_until_ms !== null ? 0 : staff.failed_count) + 1;
  const lockNow = failures >= ctx.config.loginMaxFailures;
  const lockedUntilMs = lockNow ? nowMs + ctx.config.loginLockSeconds * 1000 : null;
  await setStaffFailures(trx, staff.id, { failedCount: lockNow ? 0 : failures, lockedUntilMs, nowMs });
  await appendAudit(trx, {
    kind: lockNow ? 'counter.locked' : 'counter.login_failed',
    atMs: nowMs,
    actor: { type: 'staff', id: staff.id },
    subject: { type: 'staff', id: staff.id },
    ip,
    details: { branch: staff.branch_code, failures, factor },
  });
  return { failure: 'invalid' };
}

/** Both factors were right but the login is locked: only now is the lock told, with an audit row. */
export async function refuseIfLocked(trx: Tx, ctx: AppContext, staff: StaffRow, ip: string | null) {
  const nowMs = ctx.clock.nowMs();
  if (staff.locked_until_ms === null || staff.locked_until_ms <= nowMs) return null;
  await appendAudit(trx, {
    kind: 'counter.login_refused_locked',
    atMs: nowMs,
    actor: { type: 'staff', id: staff.id },
    subject: { type: 'staff', id: staff.id },
    ip,
    details: { branch: staff.branch_code },
  });
  return { failure: 'locked' as const, untilMs: staff.locked_until_ms };
}

/**
 * Staff sign-in with password and TOTP code. A wrong username, password or code answers one
 * `counter.invalid_credentials` (no enumeration), and each wrong password or code of a real staff
 * member counts (countStaffFailure). Only someone who gives both right factors learns that the login
 * is locked. Success opens a new session (the browser's previous one is revoked: rotation at sign-in).
 */
export async function staffSignIn(ctx: AppContext, input: StaffLoginInput, client: StaffClient) {
  const checked = await checkStaffPassword(ctx, input, client);
  const outcome = await withTransaction(ctx.db.kysely, async (trx): Promise<SignInOutcome> => {
    const nowMs = ctx.clock.nowMs();
    const staff = await lockedStaff(trx, checked.staff.id);
    assert(staff, 'the staff member read a moment ago exists');
    const secret = secretBox(ctx.config.secret).open(STAFF_TOTP_PURPOSE, staff.totp_sealed).toString();
    const totp = checked.passwordOk
      ? checkStaffTotp(secret, input.totp, nowMs, staff.totp_last_step)
      : { ok: false as const };
    if (!checked.passwordOk || !totp.ok) {
      return countStaffFailure(trx, ctx, staff, checked.passwordOk ? 'totp' : 'password', client.ip);
    }
    const refused = await refuseIfLocked(trx, ctx, staff, client.ip);
    if (refused) return refused;
    await noteStaffSignIn(trx, staff.id, totp.timeStep, nowMs);
    return openStaffSession(trx, ctx, staff, client, 'totp');
  });
  return signInAnswer(ctx, outcome, checked.idHash, client);
}

/** Throws the outcome's error (after its transaction committed), or gives the new session's token and staff. */
export async function signInAnswer(ctx: AppContext, outcome: SignInOutcome, idHash: string, client: StaffClient) {
  if (outcome.failure === 'invalid') {
    await recordLoginFailure(ctx.db.kysely, client.ip ?? 'unknown', idHash, ctx.clock.nowMs());
    throw new AppError(errors['counter.invalid_credentials']);
  }
  if (outcome.failure === 'locked')
    throw new AppError(
      errors['counter.locked'],
      { until: chinaDateTime(outcome.untilMs) },
      { lockedUntil: isoTime(outcome.untilMs) },
    );
  return { token: outcome.token, staff: outcome.staff };
}

/** Opens a staff session after a complete sign-in (the browser's previous one revoked: rotation). */
export async function openStaffSession(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  client: StaffClient,
  method: 'totp' | 'key',
): Promise<SignInOutcome> {
  const nowMs = ctx.clock.nowMs();
  if (client.previousToken && client.previousToken.length <= MAX_TOKEN_LENGTH)
    await revokeStaffSessionByTokenHash(trx, hashToken(client.previousToken), nowMs);
  const token = randomBytes(32).toString('base64url');
  const session: StaffSessionRow = {
    id: newId<'StaffSession'>(),
    token_hash: hashToken(token),
    staff_id: staff.id,
    ip: client.ip,
    user_agent: client.userAgent?.slice(0, 300) ?? null,
    created_at_ms: nowMs,
    last_seen_at_ms: nowMs,
    expires_at_ms: nowMs + STAFF_ABSOLUTE_TIMEOUT_MS,
    revoked_at_ms: null,
  };
  await insertStaffSession(trx, session);
  await appendAudit(trx, {
    kind: 'counter.login',
    atMs: nowMs,
    actor: { type: 'staff', id: staff.id },
    subject: { type: 'staff', id: staff.id },
    ip: client.ip,
    details: { branch: staff.branch_code, role: staff.role, sessionId: session.id, method },
  });
  return { failure: null, token, staff: staffView(staff) };
}

/** The session token stored only as its SHA-256, as for customers (auth/sessions.ts). */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The signed-in staff member of a request. */
export type StaffSession = { sessionId: string; staff: StaffRow };

/** The live staff session of a cookie's token (touching its last-seen time), or null. */
export async function staffSessionOf(ctx: AppContext, token: string | undefined): Promise<StaffSession | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  const db = ctx.db.kysely;
  const session = await staffSessionByTokenHash(db, hashToken(token));
  const nowMs = ctx.clock.nowMs();
  if (!session || session.revoked_at_ms !== null) return null;
  if (session.expires_at_ms <= nowMs || session.last_seen_at_ms + STAFF_IDLE_TIMEOUT_MS <= nowMs) return null;
  const staff = await staffById(db, session.staff_id);
  if (staff?.status !== 'active') return null;
  if (nowMs - session.last_seen_at_ms >= TOUCH_EVERY_MS) await touchStaffSession(db, session.id, nowMs);
  return { sessionId: session.id, staff };
}

/** Ends the staff session of a cookie's token on the server, with an audit row. */
export async function staffLogout(ctx: AppContext, token: string | undefined, ip: string | null): Promise<void> {
  const current = await staffSessionOf(ctx, token);
  if (!current || !token) return;
  await withTransaction(ctx.db.kysely, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    await revokeStaffSessionByTokenHash(trx, hashToken(token), nowMs);
    await appendAudit(trx, {
      kind: 'counter.logout',
      atMs: nowMs,
      actor: { type: 'staff', id: current.staff.id },
      subject: { type: 'staff', id: current.staff.id },
      ip,
      details: { branch: current.staff.branch_code, sessionId: current.sessionId },
    });
  });
}
