import { appendAudit } from '../audit/index.ts';
import { type CustomerRow, maskMobile } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { enqueueMessage, postInboxMessage, smsText } from '../notify/index.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { deviceHash, deviceLabel, networkOf, type RiskDecision } from './risk.ts';
import type { LoginChallenge, LoginMethod } from './schema.ts';
import { createSession } from './sessions.ts';
import { type CredentialRow, credentialOf, insertLoginEvent, noteLastLogin, rememberDevice } from './store.ts';

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
};

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
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: customer.mobile,
        purpose: 'auth.new_device',
        text: smsText('auth.new_device', { at: chinaDateTime(nowMs), device: deviceLabel(client.userAgent) }),
      },
      nowMs,
    );
    await postInboxMessage(
      trx,
      { customerId: customer.id, kind: 'auth.new_device', params: { device: deviceLabel(client.userAgent) } },
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
    customer: customerView(customer, credential),
    session: { token: session.token },
  };
}

/** The signed-in customer as the web app shows them; the last sign-in is the one before this. */
export function customerView(customer: CustomerRow, credential: CredentialRow | undefined): CustomerView {
  const lastLoginAtMs = credential?.last_login_at_ms ?? null;
  return {
    id: customer.id,
    name: customer.name,
    maskedMobile: maskMobile(customer.mobile),
    loginName: credential?.login_name ?? null,
    reservedMessage: credential?.reserved_message ?? null,
    lastLoginAt: lastLoginAtMs === null ? null : isoTime(lastLoginAtMs),
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
