import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { appendAudit } from '../audit/index.ts';
import { customerById } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { enqueueMessage, postInboxMessage, smsText } from '../notify/index.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError, type Lang } from '../platform/errors.ts';
import { placeIn, placeOf } from '../platform/geo.ts';
import { verifySecret } from '../platform/secret-hash.ts';
import { failWrongCurrentPassword, lockedError } from './lockout.ts';
import { type Client, completeLogin } from './login-session.ts';
import { qrErrors as errors } from './qr-errors.ts';
import type { QrCreated, QrScanAnswer, QrState } from './qr-schema.ts';
import {
  insertQrLogin,
  lockedQrLogin,
  markQrDecided,
  markQrScanned,
  markQrSessionIssued,
  type QrLoginRow,
  qrLoginById,
  qrScansSince,
  sessionFacts,
} from './qr-store.ts';
import { browserAndOs, decideRisk, deviceLabel } from './risk.ts';
import { credentialOf } from './store.ts';

/**
 * QR login (扫码登录; API.md "Session and login", ARCHITECTURE.md §3). A browser asks for a request and
 * shows it as a QR code with a two-digit number; the customer's signed-in phone scans it, sees who asked,
 * picks that number from three and approves; then the browser that asked, and only it, receives a web
 * session, once.
 *
 * - The request is bound to the browser by a random secret in an HttpOnly cookie; only its SHA-256 is
 *   stored, so a copy of the table cannot poll.
 * - Nothing about the customer reaches the browser before the approval: it learns only the state.
 * - Each request is used once: scanned once, decided once, its session handed over once.
 * - A wrong number denies it for good: a code relayed from a phishing page cannot be approved blindly.
 * - The approval is a deliberate act of the phone session that scanned it; if that session is older
 *   than {@link QR_FRESH_SESSION_MS}, the login password is asked again (a wrong one counts towards the
 *   login lock like a wrong sign-in).
 * - Every transition is audited; the handover is a sign-in (login history, known device) and the customer
 *   is told by SMS (the new-device notice, or a QR sign-in notice on a browser already known).
 */

/** A code lives two minutes; the web page asks for a new one before then. */
export const QR_TTL_MS = 2 * 60_000;
/** An approval just before expiry still lets the browser collect its session for this long. */
export const QR_HANDOVER_GRACE_MS = 30_000;
/** A phone session younger than this approves with the number alone; an older one also gives the password. */
export const QR_FRESH_SESSION_MS = 5 * 60_000;
/** At most this many QR sign-ins a customer's phones may scan in an hour (issue 16: approvals are rate-limited). */
export const QR_SCANS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;
/** Long polling re-reads the database this often, for at most LONG_POLL_ROUNDS rounds (20 s). */
const LONG_POLL_INTERVAL_MS = 500;
const LONG_POLL_ROUNDS = 40;

export const QR_PAYLOAD_PREFIX = 'jinku://qr-login?id=';

/** Who is asking: the browser for its code, or the phone's signed-in session. */
export type QrRequester = { ip: string; userAgent: string | null };
export type PhoneSession = { customerId: string; sessionId: string };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The audit log names a request by a hash of its id: the id itself is the code's content. */
function qrRef(qrId: string): string {
  return sha256(`qr:${qrId}`).slice(0, 16);
}

/** Where a request stands now: a pending or scanned one past its expiry, or an approval not collected in time, is expired. */
export function qrState(row: QrLoginRow, nowMs: number): QrState {
  if (row.state === 'denied') return 'denied';
  if (row.state === 'approved') {
    if (row.session_issued_at_ms !== null) return 'approved';
    return nowMs < row.expires_at_ms + QR_HANDOVER_GRACE_MS ? 'approved' : 'expired';
  }
  return nowMs < row.expires_at_ms ? row.state : 'expired';
}

/** Two other two-digit numbers beside the real one, in random order. */
export function numberChoices(matchNumber: number): [number, number, number] {
  const numbers = new Set([matchNumber]);
  while (numbers.size < 3) numbers.add(randomInt(10, 100));
  const choices = [...numbers];
  for (let i = choices.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [choices[i], choices[j]] = [choices[j]!, choices[i]!];
  }
  return choices as [number, number, number];
}

/** A new request for this browser; the caller puts `browserSecret` in the browser's HttpOnly cookie. */
export async function createQrLogin(
  ctx: AppContext,
  requester: QrRequester,
): Promise<{ created: QrCreated; browserSecret: string }> {
  const nowMs = ctx.clock.nowMs();
  const qrId = randomBytes(32).toString('base64url');
  const browserSecret = randomBytes(32).toString('base64url');
  const row: QrLoginRow = {
    id: qrId,
    browser_hash: sha256(browserSecret),
    match_number: randomInt(10, 100),
    state: 'pending',
    created_at_ms: nowMs,
    expires_at_ms: nowMs + QR_TTL_MS,
    requester_ip: requester.ip,
    requester_user_agent: requester.userAgent?.slice(0, 300) ?? null,
    customer_id: null,
    scan_session_id: null,
    scanned_at_ms: null,
    decided_at_ms: null,
    deny_reason: null,
    session_issued_at_ms: null,
  };
  await withTransaction(ctx.db.kysely, async (trx) => {
    await insertQrLogin(trx, row);
    await appendAudit(trx, {
      kind: 'auth.qr_created',
      atMs: nowMs,
      actor: { type: 'anonymous' },
      subject: { type: 'qr_login', id: qrRef(qrId) },
      ip: requester.ip,
      details: { browser: browserAndOs(requester.userAgent) },
    });
  });
  return {
    created: {
      qrId,
      payload: `${QR_PAYLOAD_PREFIX}${qrId}`,
      expiresAt: isoTime(row.expires_at_ms),
      matchNumber: row.match_number,
    },
    browserSecret,
  };
}

/** Whether the browser's cookie secret is the one the request was made for (constant time). */
function isCreator(row: QrLoginRow, browserSecret: string | undefined): boolean {
  if (!browserSecret || browserSecret.length > 100) return false;
  return timingSafeEqual(Buffer.from(sha256(browserSecret), 'hex'), Buffer.from(row.browser_hash, 'hex'));
}

export type PollResult = { state: QrState; session?: { token: string } };

/**
 * The state for the browser that made the request (anyone else: not found). On `approved` the first
 * poll also opens the browser's web session; later polls say `approved` without one.
 */
export async function pollQrLogin(
  ctx: AppContext,
  qrId: string,
  browserSecret: string | undefined,
  client: Client,
): Promise<PollResult> {
  const row = await qrLoginById(ctx.db.kysely, qrId);
  if (!row || !isCreator(row, browserSecret)) throw new AppError(errors['auth.qr_not_found']);
  const state = qrState(row, ctx.clock.nowMs());
  if (state !== 'approved' || row.session_issued_at_ms !== null) return { state };
  const result = await withTransaction(ctx.db.kysely, (trx) => handOver(trx, ctx, qrId, client));
  ctx.kickOutbox();
  return result;
}

/**
 * Long polling: answers as soon as the state is no longer `after`, or after about 20 s. Each round reads
 * the database, so an approval through any instance is seen. `gone` says the browser has hung up.
 */
export async function waitForQrLogin(
  ctx: AppContext,
  qrId: string,
  browserSecret: string | undefined,
  client: Client,
  after: QrState | undefined,
  gone: () => boolean,
): Promise<PollResult> {
  let result = await pollQrLogin(ctx, qrId, browserSecret, client);
  for (let round = 0; after !== undefined && result.state === after && round < LONG_POLL_ROUNDS; round++) {
    await new Promise((resolve) => setTimeout(resolve, LONG_POLL_INTERVAL_MS));
    if (gone()) break;
    result = await pollQrLogin(ctx, qrId, browserSecret, client);
  }
  return result;
}

/** Opens the web session of an approved request, exactly once: the conditional update decides who wins. */
async function handOver(trx: Tx, ctx: AppContext, qrId: string, client: Client): Promise<PollResult> {
  const nowMs = ctx.clock.nowMs();
  const row = await lockedQrLogin(trx, qrId);
  if (!row?.customer_id) throw new AppError(errors['auth.qr_not_found']);
  const state = qrState(row, nowMs);
  if (state !== 'approved') return { state };
  const customer = await customerById(trx, row.customer_id);
  // A customer suspended between the approval and the handover gets no session.
  if (customer?.status !== 'active') return { state: 'denied' };
  if (!(await markQrSessionIssued(trx, qrId, nowMs))) return { state };
  const risk = await decideRisk(trx, {
    customerId: customer.id,
    deviceId: client.deviceId,
    ip: client.ip,
    channel: client.channel,
    recentFailures: 0,
    nowMs,
  });
  // The phone's approval is the second factor: no step-up, but a new device is remembered and told by SMS.
  const outcome = await completeLogin(trx, ctx, customer, client, { ...risk, decision: 'allow' });
  if (outcome.state !== 'authenticated') throw new AppError(errors['auth.qr_not_found']);
  await qrAudit(trx, customer.id, client, nowMs, 'auth.qr_session_issued', qrId, { newDevice: risk.newDevice });
  // Every QR sign-in goes to the message centre ("a new web sign-in by QR from …"), new device or not.
  const place = await placeOf(client.ip);
  await postInboxMessage(
    trx,
    {
      customerId: customer.id,
      kind: 'auth.qr_login',
      params: { device: deviceLabel(client.userAgent), ip: client.ip ?? '—', placeZh: place.zh, placeEn: place.en },
    },
    nowMs,
  );
  // A new device was told by SMS in completeLogin; a known one is told here, so every QR sign-in is.
  if (!risk.newDevice) {
    const text = smsText('auth.qr_login', {
      at: chinaDateTime(nowMs),
      device: deviceLabel(client.userAgent),
      ip: client.ip,
      place: place.zh,
    });
    await enqueueMessage(trx, { channel: 'sms', to: customer.mobile, purpose: 'auth.qr_login', text }, nowMs);
  }
  return { state: 'approved', session: outcome.session };
}

/** The phone session's channel and age; only a signed-in mobile session may scan, approve or deny. */
async function phoneSession(ctx: AppContext, who: PhoneSession) {
  const facts = await sessionFacts(ctx.db.kysely, who.sessionId);
  if (!facts || facts.customer_id !== who.customerId || facts.channel !== 'mobile') {
    throw new AppError(errors['auth.qr_mobile_only']);
  }
  return { fresh: facts.created_at_ms + QR_FRESH_SESSION_MS > ctx.clock.nowMs() };
}

/**
 * The phone scanned the code: the request becomes this session's, and the phone learns who asked and
 * the three numbers to choose from. A request is scanned once; a second scan is refused.
 */
export async function scanQrLogin(
  ctx: AppContext,
  qrId: string,
  who: PhoneSession,
  client: Client,
  lang: Lang,
): Promise<QrScanAnswer> {
  const { fresh } = await phoneSession(ctx, who);
  const nowMs = ctx.clock.nowMs();
  if ((await qrScansSince(ctx.db.kysely, who.customerId, nowMs - HOUR_MS)) >= QR_SCANS_PER_HOUR) {
    throw new AppError(errors['auth.qr_too_many']);
  }
  const row = await withTransaction(ctx.db.kysely, async (trx) => {
    const found = await lockedQrLogin(trx, qrId);
    if (!found) throw new AppError(errors['auth.qr_not_found']);
    const state = qrState(found, nowMs);
    if (state === 'expired') throw new AppError(errors['auth.qr_expired']);
    if (state !== 'pending') {
      await qrAudit(trx, who.customerId, client, nowMs, 'auth.qr_scan_refused', qrId, { state });
      return { refused: true } as const;
    }
    await markQrScanned(trx, qrId, { customerId: who.customerId, sessionId: who.sessionId, nowMs });
    await qrAudit(trx, who.customerId, client, nowMs, 'auth.qr_scanned', qrId, { requesterIp: found.requester_ip });
    return found;
  });
  if ('refused' in row) throw new AppError(errors['auth.qr_used']);
  const place = await placeOf(row.requester_ip);
  return {
    requester: {
      ...browserAndOs(row.requester_user_agent),
      ip: row.requester_ip,
      location: placeIn(place, lang),
      place,
      at: isoTime(row.created_at_ms),
    },
    choices: numberChoices(row.match_number),
    passwordRequired: !fresh,
  };
}

/**
 * The phone approves with the number it picked (and the login password when its session is not fresh).
 * A wrong number denies the request for good; the refusal is thrown after the denial is committed.
 */
export async function approveQrLogin(
  ctx: AppContext,
  qrId: string,
  who: PhoneSession,
  input: { matchNumber: number; password?: string | undefined },
  client: Client,
): Promise<{ state: 'approved' }> {
  const { fresh } = await phoneSession(ctx, who);
  const before = await qrLoginById(ctx.db.kysely, qrId);
  if (!before || before.scan_session_id !== who.sessionId) throw new AppError(errors['auth.qr_not_found']);
  if (!fresh) await confirmPassword(ctx, who.customerId, input.password, client);
  const result = await withTransaction(ctx.db.kysely, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    const row = await lockedQrLogin(trx, qrId);
    if (!row || row.scan_session_id !== who.sessionId) throw new AppError(errors['auth.qr_not_found']);
    const state = qrState(row, nowMs);
    if (state === 'expired') throw new AppError(errors['auth.qr_expired']);
    if (state !== 'scanned') throw new AppError(errors['auth.qr_used']);
    if (input.matchNumber !== row.match_number) {
      await markQrDecided(trx, qrId, { state: 'denied', denyReason: 'wrong_number', nowMs });
      await qrAudit(trx, who.customerId, client, nowMs, 'auth.qr_denied', qrId, { reason: 'wrong_number' });
      return { error: new AppError(errors['auth.qr_wrong_number']) };
    }
    await markQrDecided(trx, qrId, { state: 'approved', denyReason: null, nowMs });
    await qrAudit(trx, who.customerId, client, nowMs, 'auth.qr_approved', qrId, { passwordConfirmed: !fresh });
    return { state: 'approved' as const };
  });
  if ('error' in result) throw result.error;
  return result;
}

/** The phone declines: the request is denied for good and the browser is told so. */
export async function denyQrLogin(
  ctx: AppContext,
  qrId: string,
  who: PhoneSession,
  client: Client,
): Promise<{ state: 'denied' }> {
  await phoneSession(ctx, who);
  return withTransaction(ctx.db.kysely, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    const row = await lockedQrLogin(trx, qrId);
    if (!row || row.scan_session_id !== who.sessionId) throw new AppError(errors['auth.qr_not_found']);
    if (row.state === 'denied') return { state: 'denied' as const };
    if (row.state !== 'scanned') throw new AppError(errors['auth.qr_used']);
    await markQrDecided(trx, qrId, { state: 'denied', denyReason: 'customer', nowMs });
    await qrAudit(trx, who.customerId, client, nowMs, 'auth.qr_denied', qrId, { reason: 'customer' });
    return { state: 'denied' as const };
  });
}

/** Asks the login password again; a wrong one counts towards the login lock, as in the security centre. */
async function confirmPassword(ctx: AppContext, customerId: string, password: string | undefined, client: Client) {
  if (!password) throw new AppError(errors['auth.qr_password_required'], {}, { passwordRequired: true });
  const credential = await credentialOf(ctx.db.kysely, customerId);
  if (!credential) throw new AppError(errors['auth.qr_not_found']);
  const nowMs = ctx.clock.nowMs();
  if (credential.locked_until_ms !== null && credential.locked_until_ms > nowMs) {
    throw lockedError(credential.locked_until_ms);
  }
  if (!(await verifySecret(ctx.config, credential.password_hash, password))) {
    await failWrongCurrentPassword(ctx, customerId, client);
  }
}

function qrAudit(
  trx: Tx,
  customerId: string,
  client: Client,
  atMs: number,
  kind: string,
  qrId: string,
  details: Record<string, unknown>,
) {
  return appendAudit(trx, {
    kind,
    atMs,
    actor: { type: 'customer', id: customerId },
    subject: { type: 'qr_login', id: qrRef(qrId) },
    ip: client.ip,
    details: { channel: client.channel, ...details },
  });
}
