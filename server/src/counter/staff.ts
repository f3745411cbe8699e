import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/index.ts';
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
const TOTP_PURPOSE = 'counter/staff-totp';
const MAX_TOKEN_LENGTH = 100;

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
    totp_sealed: secretBox(deps.config.secret).seal(TOTP_PURPOSE, input.totpSecret),
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

/**
 * Staff sign-in with password and TOTP code. A wrong username, password or code answers one
 * `counter.invalid_credentials` (no enumeration), and each wrong password or code of a real staff
 * member counts: the configured number in a row locks the login as for customers. Only someone who
 * gives both right factors learns that the login is locked. Success opens a new session (the
 * browser's previous one is revoked: rotation at sign-in).
 */
export async function staffSignIn(ctx: AppContext, input: StaffLoginInput, client: StaffClient) {
  const db = ctx.db.kysely;
  const found = await staffByUsername(db, input.username.trim().toLowerCase());
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
    throw new AppError(errors['counter.invalid_credentials']);
  }
  const passwordOk = await verifySecret(ctx.config, found.password_hash, input.password);
  return withTransaction(db, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    const staff = await lockedStaff(trx, found.id);
    assert(staff, 'the staff member read a moment ago exists');
    const locked = staff.locked_until_ms !== null && staff.locked_until_ms > nowMs;
    const secret = secretBox(ctx.config.secret).open(TOTP_PURPOSE, staff.totp_sealed).toString();
    const totp = passwordOk ? checkStaffTotp(secret, input.totp, nowMs, staff.totp_last_step) : { ok: false as const };
    if (!passwordOk || !totp.ok) {
      if (locked) return { failure: 'invalid' as const };
      const failures = (staff.locked_until_ms !== null ? 0 : staff.failed_count) + 1;
      const lockNow = failures >= ctx.config.loginMaxFailures;
      const lockedUntilMs = lockNow ? nowMs + ctx.config.loginLockSeconds * 1000 : null;
      await setStaffFailures(trx, staff.id, { failedCount: lockNow ? 0 : failures, lockedUntilMs, nowMs });
      await appendAudit(trx, {
        kind: lockNow ? 'counter.locked' : 'counter.login_failed',
        atMs: nowMs,
        actor: { type: 'staff', id: staff.id },
        subject: { type: 'staff', id: staff.id },
        ip: client.ip,
        details: { branch: staff.branch_code, failures, factor: passwordOk ? 'totp' : 'password' },
      });
      return { failure: 'invalid' as const };
    }
    if (locked) {
      await appendAudit(trx, {
        kind: 'counter.login_refused_locked',
        atMs: nowMs,
        actor: { type: 'staff', id: staff.id },
        subject: { type: 'staff', id: staff.id },
        ip: client.ip,
        details: { branch: staff.branch_code },
      });
      return { failure: 'locked' as const, untilMs: staff.locked_until_ms as number };
    }
    await noteStaffSignIn(trx, staff.id, totp.timeStep, nowMs);
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
      details: { branch: staff.branch_code, role: staff.role, sessionId: session.id },
    });
    return { failure: null, token, staff: staffView(staff) };
  }).then((outcome) => {
    if (outcome.failure === 'invalid') throw new AppError(errors['counter.invalid_credentials']);
    if (outcome.failure === 'locked')
      throw new AppError(
        errors['counter.locked'],
        { until: chinaDateTime(outcome.untilMs) },
        { lockedUntil: isoTime(outcome.untilMs) },
      );
    return { token: outcome.token, staff: outcome.staff };
  });
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
