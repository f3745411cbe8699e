import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import { type CustomerRow, maskMobile } from '../customers/index.ts';
import type { Database } from '../database.ts';
import { enqueueMessage } from '../notify/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { preparedQuery } from '../platform/db/prepared.ts';
import { newId } from '../platform/ids.ts';
import { deviceHash, deviceLabel, networkOf, type RiskDecision } from './risk.ts';
import { createSession } from './sessions.ts';
import { type CredentialRow, credentialOf } from './store.ts';

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
  reservedMessage: string | null;
  lastLoginAt: string | null;
};

export type LoginOutcome =
  | { state: 'authenticated'; customer: CustomerView; session: { token: string } }
  | { state: 'challenge'; attemptId: string; challenge: Record<string, unknown>; alternatives: string[] }
  | { state: 'change_password'; attemptId: string };

// Prepared (compiled once): every sign-in runs them.
const noteLastLogin = preparedQuery((db: Kysely<Database>, args: { customerId: string; nowMs: number }) =>
  db.updateTable('login_credential').set({ last_login_at_ms: args.nowMs }).where('customer_id', '=', args.customerId),
);
const insertLoginEvent = preparedQuery(
  (
    db: Kysely<Database>,
    args: {
      id: string;
      customerId: string;
      nowMs: number;
      channel: string;
      device: string;
      ip: string;
      network: string;
      result: string;
    },
  ) =>
    db.insertInto('login_event').values({
      id: args.id,
      customer_id: args.customerId,
      at_ms: args.nowMs,
      channel: args.channel,
      device: args.device,
      ip: args.ip,
      network: args.network,
      result: args.result,
    }),
);

/** Opens the session: remembers the device and network, tells the customer about a new device. */
export async function completeLogin(
  trx: Kysely<Database>,
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
    await trx
      .insertInto('known_device')
      .values({
        id: newId<'Device'>(),
        customer_id: customer.id,
        device_hash: deviceHash(client.deviceId),
        label: deviceLabel(client.userAgent),
        first_seen_at_ms: nowMs,
        last_seen_at_ms: nowMs,
      })
      .onConflict((oc) => oc.columns(['customer_id', 'device_hash']).doUpdateSet({ last_seen_at_ms: nowMs }))
      .execute();
  }
  if (risk.newDevice) {
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: customer.mobile,
        purpose: 'auth.new_device',
        text: `【金库】您的网上银行于 ${isoTime(nowMs)} 在新设备（${deviceLabel(client.userAgent)}）登录。如非本人操作，请立即修改密码并致电 400-000-9555。`,
      },
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
  await noteLastLogin.run(trx, { customerId: customer.id, nowMs });
  await loginEvent(trx, customer.id, client, nowMs, 'success');
  await audit(trx, customer.id, client, nowMs, 'auth.login', { risk, sessionId: session.id });
  return {
    state: 'authenticated',
    customer: customerView(customer, credential?.reserved_message ?? null, credential?.last_login_at_ms ?? null),
    session: { token: session.token },
  };
}

export function customerView(
  customer: CustomerRow,
  reservedMessage: string | null,
  lastLoginAtMs: number | null,
): CustomerView {
  return {
    id: customer.id,
    name: customer.name,
    maskedMobile: maskMobile(customer.mobile),
    reservedMessage,
    lastLoginAt: lastLoginAtMs === null ? null : isoTime(lastLoginAtMs),
  };
}

export async function loginEvent(
  trx: Kysely<Database>,
  customerId: string,
  client: Client,
  nowMs: number,
  result: string,
) {
  await insertLoginEvent.run(trx, {
    id: newId<'LoginEvent'>(),
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
  trx: Kysely<Database>,
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
