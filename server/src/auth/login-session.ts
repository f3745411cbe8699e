import { appendAudit } from '../audit/index.ts';
import { type CustomerRow, maskMobile } from '../customers/index.ts';
import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { enqueueMessage, postInboxMessage, smsText } from '../notify/index.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { type Place, placeOf } from '../platform/geo.ts';
import { deviceHash, deviceLabel, networkOf, type RiskDecision } from './risk.ts';
import type { LoginChallenge, LoginMethod } from './schema.ts';
import { createSession } from './sessions.ts';
import {
  type CredentialRow,
  credentialOf,
  insertLoginEvent,
  noteLastLogin,
  rememberDevice,
  signInsUpTo,
} from './store.ts';

/** Who is signing in, from where. */
export type Client = {
  ip: string;
  deviceId: string | null;
  userAgent: string | null;
  channel: 'web' | 'mobile';
  previousToken?: string | undefined;
};

export type CustomerView = {
  id: string;
  name: string;
  maskedMobile: string;
  /** The personal login name, when the customer has set one (the security centre shows it). */
  loginName: string | null;
  reservedMessage: string | null;
  lastLoginAt: string | null;
  /** Where the sign-in before this one came from, by its address (platform/geo.ts); null before it. */
  lastLoginPlace: Place | null;
};

/** The sign-in before the one at `sessionStartMs`: its time and the place of its address. */
export type LastSignIn = { atMs: number; place: Place } | null;

export type LoginOutcome =
  | { state: 'authenticated'; customer: CustomerView; session: { token: string } }
  | { state: 'challenge'; attemptId: string; challenge: LoginChallenge; alternatives: LoginMethod[] }
  | { state: 'change_password'; attemptId: string };

/** Opens the session: remembers the device and network, tells the customer about a new device. */
export async function completeLogin(
  trx: Tx,
  ctx: AppContext,
  customer: CustomerRow,
  client: Client,
  risk: RiskDecision,
  /** The credential row when the caller has just read it (saves a read on the password-only path). */
  knownCredential?: CredentialRow,
): Promise<LoginOutcome> {
  const nowMs = ctx.clock.nowMs();
  const credential = knownCredential ?? (await credentialOf(trx, customer.id));
  // A known device was marked seen by the risk decision; a new one is remembered now.
  if (client.deviceId && risk.newDevice) {
    await rememberDevice(trx, {
      customerId: customer.id,
      deviceHash: deviceHash(client.deviceId),
      label: deviceLabel(client.userAgent),
      nowMs,
      ip: client.ip,
    });
  }
  if (risk.newDevice) {
    // The place of the address ("北京", "内网") helps the customer tell their own sign-in from a stranger's.
    const place = await placeOf(client.ip);
    const device = deviceLabel(client.userAgent);
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: customer.mobile,
        purpose: 'auth.new_device',
        text: smsText('auth.new_device', { at: chinaDateTime(nowMs), device, place: place.zh }),
      },
      nowMs,
    );
    await postInboxMessage(
      trx,
      { customerId: customer.id, kind: 'auth.new_device', params: { device, placeZh: place.zh, placeEn: place.en } },
      nowMs,
    );
  }
  const session = await createSession(trx, ctx, {
    customerId: customer.id,
    channel: client.channel,
    deviceId: client.deviceId,
    ip: client.ip,
    userAgent: client.userAgent,
    previousToken: client.previousToken,
  });
  await noteLastLogin(trx, customer.id, nowMs);
  await loginEvent(trx, customer.id, client, nowMs, 'success');
  await audit(trx, customer.id, client, nowMs, 'auth.login', { risk, sessionId: session.id });
  return {
    state: 'authenticated',
    customer: customerView(customer, credential, await lastSignInBefore(trx, customer.id, nowMs)),
    session: { token: session.token },
  };
}

/**
 * The customer's sign-in before the one that opened a session at `sessionStartMs`, from the sign-in
 * history: the time and address of the same row, so the overview's "上次登录：… 北京" is one event.
 */
export async function lastSignInBefore(
  db: Kysely<Database>,
  customerId: string,
  sessionStartMs: number,
): Promise<LastSignIn> {
  const [, previous] = await signInsUpTo(db, customerId, sessionStartMs, 2);
  return previous ? { atMs: Number(previous.at_ms), place: await placeOf(previous.ip) } : null;
}

/** The signed-in customer as the web app shows them; the last sign-in is the one before this. */
export function customerView(
  customer: CustomerRow,
  credential: CredentialRow | undefined,
  lastSignIn: LastSignIn,
): CustomerView {
  return {
    id: customer.id,
    name: customer.name,
    maskedMobile: maskMobile(customer.mobile),
    loginName: credential?.login_name ?? null,
    reservedMessage: credential?.reserved_message ?? null,
    lastLoginAt: lastSignIn ? isoTime(lastSignIn.atMs) : null,
    lastLoginPlace: lastSignIn?.place ?? null,
  };
}

/** A row of the customer's sign-in history (the security centre lists it). */
export function loginEvent(trx: Tx, customerId: string, client: Client, nowMs: number, result: string) {
  return insertLoginEvent(trx, {
    customerId,
    nowMs,
    channel: client.channel,
    device: deviceLabel(client.userAgent),
    ip: client.ip,
    network: networkOf(client.ip),
    result,
  });
}

export function audit(
  trx: Tx,
  customerId: string,
  client: Client,
  atMs: number,
  kind: string,
  details: Record<string, unknown>,
) {
  return appendAudit(trx, {
    kind,
    atMs,
    actor: { type: 'customer', id: customerId },
    subject: { type: 'customer', id: customerId },
    ip: client.ip,
    details: { channel: client.channel, ...details },
  });
}
