import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import type { Database, Tx } from '../database.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { registerCounterSource } from '../platform/http/metrics.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney } from '../platform/money.ts';
import type { MerchantDeps } from './service.ts';
import { bankSigningKey, gatewayStamp } from './service.ts';
import { signParams } from './signing.ts';
import { isUnderPrefix } from './url-prefix.ts';
import { sweepExpiredOrders } from './expiry.ts';
import {
  claimDueNotifies,
  countExhaustedNotifies,
  insertNotify,
  merchantByAppId,
  type NotifyRow,
  type OrderRow,
  recordNotify,
} from './store.ts';

/**
 * Merchant notifications (API.md "Merchant gateway", Notify): on every status change of an order a row
 * is written in the change's own transaction (a transactional outbox of the gateway's own, since a
 * merchant's notify has its own schedule, signature and success word), and any instance's worker posts
 * it as a signed form until the merchant answers the body `success`. The row is leased while it is
 * sent, so a worker that dies mid-delivery leaves it to the next one: at least once, across restarts.
 */

/** The waits after each failed try, as API.md lists them; after the last one the bank gives up. */
export const NOTIFY_RETRY_SCHEDULE_MS: readonly number[] = [
  15_000, 15_000, 30_000, 180_000, 600_000, 1_200_000, 1_800_000, 1_800_000, 1_800_000, 3_600_000, 10_800_000,
  10_800_000, 10_800_000, 21_600_000, 21_600_000,
];
const BATCH_SIZE = 20;
const LEASE_MS = 60_000;
const SEND_TIMEOUT_MS = 10_000;
/** The longest answer body read from a merchant: `success` is 7 bytes. */
const MAX_ANSWER_CHARS = 1024;

// Counted in the database, not in this process: the figure survives restarts and every instance
// reports the same.
registerCounterSource({
  name: 'jinku_gateway_notify_exhausted_total',
  help: 'Merchant notifications given up after the last retry (each one also an operator alert in the audit log)',
  value: (db) => countExhaustedNotifies(db),
});

/** Where the gateway's worker reports what an operator must see; pino's logger fits. */
export type GatewayLog = { error(details: object, message: string): void };

/**
 * Queues the merchant's notification of an order's new status in the caller's transaction: it is sent
 * if and only if the change commits. An order without a notify_url has nobody to tell.
 */
export async function enqueueTradeNotify(trx: Tx, order: OrderRow, nowMs: number): Promise<void> {
  if (!order.notify_url) return;
  const id = newId<'GatewayNotify'>();
  const params: Record<string, string> = {
    notify_id: id,
    app_id: order.app_id,
    out_trade_no: order.out_trade_no,
    trade_no: order.trade_no,
    total_amount: formatMoney(order.total_fen),
    trade_status: order.status,
  };
  if (order.paid_at_ms !== null) params.gmt_payment = gatewayStamp(order.paid_at_ms);
  if (order.refunded_fen > 0) params.refund_amount = formatMoney(order.refunded_fen);
  await insertNotify(trx, {
    id,
    trade_no: order.trade_no,
    app_id: order.app_id,
    notify_url: order.notify_url,
    params: JSON.stringify(params),
    status: 'pending',
    attempts: 0,
    next_attempt_at_ms: nowMs,
    lease_until_ms: null,
    created_at_ms: nowMs,
    delivered_at_ms: null,
    last_error: null,
  });
}

// Loopback, private, link-local, CGNAT, unspecified and unique-local ranges: never a merchant's server
// in production (a notify URL must not reach into the bank's own network).
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1]) return PRIVATE.check(mapped[1], 'ipv4');
  // IPv4-mapped in hexadecimal (::ffff:7f00:1): checked as the IPv4 address it stands for.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(bare);
  if (hex?.[1] && hex[2]) {
    const high = Number.parseInt(hex[1], 16);
    const low = Number.parseInt(hex[2], 16);
    return PRIVATE.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  const family = isIP(bare);
  if (family === 4) return PRIVATE.check(bare, 'ipv4');
  if (family === 6) return PRIVATE.check(bare, 'ipv6');
  return false;
}

/** Resolves a host name to all its addresses; the DNS edge, replaced in tests. */
export type ResolveHost = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;
const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true });

/** The address a notify connects to: pinned in production to the one that was checked. */
export type PinnedAddress = { address: string; family: 4 | 6 };
export type NotifyTarget = { ok: true; pinned: PinnedAddress | null } | { ok: false; reason: string };

/**
 * Where a notify URL may be posted to now: it must lie under the prefix the merchant registered, and
 * in production never on a loopback or private address. In production the name is resolved here once
 * and the connection is pinned to the checked address, so a DNS answer that changes between the check
 * and the connection (DNS rebinding) cannot lead the post into the bank's own network.
 */
export async function notifyTarget(
  url: string,
  merchant: { notify_url_prefix: string | null },
  env: MerchantDeps['config']['env'],
  resolve: ResolveHost = systemResolve,
): Promise<NotifyTarget> {
  if (merchant.notify_url_prefix && !isUnderPrefix(url, merchant.notify_url_prefix)) {
    return { ok: false, reason: 'outside the registered prefix' };
  }
  if (env !== 'production') return { ok: true, pinned: null };
  if (!merchant.notify_url_prefix) return { ok: false, reason: 'no notify URL registered' };
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return { ok: false, reason: 'loopback address' };
  const family = isIP(host);
  const addresses = family !== 0 ? [{ address: host, family }] : [...(await resolve(host).catch(() => []))];
  if (addresses.length === 0) return { ok: false, reason: 'name does not resolve' };
  if (addresses.some((a) => isPrivateAddress(a.address))) return { ok: false, reason: 'private address' };
  const first = addresses[0] as { address: string; family: number };
  return { ok: true, pinned: { address: first.address, family: first.family === 6 ? 6 : 4 } };
}

/** Why a notify URL may not be posted to now, or null when it may (see notifyTarget). */
export async function notifyUrlRefusal(
  url: string,
  merchant: { notify_url_prefix: string | null },
  env: MerchantDeps['config']['env'],
  resolve: ResolveHost = systemResolve,
): Promise<string | null> {
  const target = await notifyTarget(url, merchant, env, resolve);
  return target.ok ? null : target.reason;
}

/** A `lookup` for node:net that answers the pinned address whatever name it is asked for. */
function pinnedLookup(pinned: PinnedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

/**
 * Posts a form to a URL, connecting to the pinned address when one is given while keeping the URL's
 * host name for the Host header and the TLS server name (node:https takes both from the URL). Redirects
 * are not followed (a redirect could lead anywhere, the bank's own network included).
 */
export function postForm(
  url: string,
  body: string,
  pinned: PinnedAddress | null,
): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        // A fresh connection each time: a pooled socket could have been opened to another address.
        agent: false,
        ...(pinned ? { lookup: pinnedLookup(pinned) } : {}),
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (text.length > MAX_ANSWER_CHARS) response.destroy();
        });
        response.on('close', () =>
          resolve({ status: response.statusCode ?? 0, text: text.slice(0, MAX_ANSWER_CHARS) }),
        );
        response.on('error', reject);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error('timed out')), SEND_TIMEOUT_MS);
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(body);
  });
}

/** Posts one signed notification; ok when the merchant answered the body `success`. */
async function send(
  row: NotifyRow,
  form: Record<string, string>,
  pinned: PinnedAddress | null,
): Promise<{ ok: boolean; error?: string }> {
  try {
    const response = await postForm(row.notify_url, new URLSearchParams(form).toString(), pinned);
    if (response.status >= 200 && response.status < 300 && response.text.trim() === 'success') return { ok: true };
    return { ok: false, error: `answered ${response.status}: ${response.text.slice(0, 100)}` };
  } catch (error) {
    return { ok: false, error: String(error instanceof Error ? error.message : error).slice(0, 200) };
  }
}

/**
 * Claims the due notifications, posts each one signed with the bank's key outside any transaction, and
 * records the outcome: delivered, the next try by the schedule, or given up (an operator alert). Returns
 * how many it handled.
 */
export async function deliverDueNotifies(
  db: Kysely<Database>,
  deps: MerchantDeps & { log?: GatewayLog },
  resolve: ResolveHost = systemResolve,
): Promise<number> {
  const claimed = await withTransaction(db, (trx) => claimDueNotifies(trx, deps.clock.nowMs(), BATCH_SIZE, LEASE_MS));
  if (claimed.length === 0) return 0;
  const signing = await bankSigningKey(db, deps);
  for (const row of claimed) {
    const merchant = await merchantByAppId(db, row.app_id);
    const target = merchant
      ? await notifyTarget(row.notify_url, merchant, deps.config.env, resolve)
      : ({ ok: false, reason: 'merchant gone' } as const);
    const refused = target.ok ? null : target.reason;
    const attempts = row.attempts + 1;
    let outcome: { ok: boolean; error?: string };
    if (refused) {
      outcome = { ok: false, error: `not sent: ${refused}` };
    } else {
      const params = JSON.parse(row.params) as Record<string, string>;
      const form: Record<string, string> = {
        ...params,
        notify_time: gatewayStamp(deps.clock.nowMs()),
        sign_type: merchant?.sign_type ?? 'RSA2',
        // Which bank key signed (an addition to API.md's fields, signed with them): during a rotation's
        // overlap the merchant picks the matching key from GET /gateway/v1/public-key?version=.
        sign_key_version: String(signing.version),
      };
      outcome = await send(row, { ...form, sign: signParams(form, signing.key) }, target.ok ? target.pinned : null);
    }
    const nowMs = deps.clock.nowMs();
    if (outcome.ok) {
      await recordNotify(db, row.id, { status: 'delivered', attempts, delivered_at_ms: nowMs, lease_until_ms: null });
      continue;
    }
    const waitMs = refused ? undefined : NOTIFY_RETRY_SCHEDULE_MS[attempts - 1];
    if (waitMs !== undefined) {
      await recordNotify(db, row.id, {
        status: 'pending',
        attempts,
        next_attempt_at_ms: nowMs + waitMs,
        lease_until_ms: null,
        last_error: outcome.error ?? null,
      });
      continue;
    }
    await withTransaction(db, async (trx) => {
      await recordNotify(trx, row.id, {
        status: 'failed',
        attempts,
        lease_until_ms: null,
        last_error: outcome.error ?? null,
      });
      // The operator alert: the merchant has not heard of this order's status and must be called.
      await appendAudit(trx, {
        kind: 'gateway.notify_exhausted',
        atMs: nowMs,
        actor: { type: 'system' },
        subject: { type: 'gateway_order', id: row.trade_no },
        ip: null,
        details: { appId: row.app_id, notifyId: row.id, attempts, lastError: (outcome.error ?? '').slice(0, 100) },
      });
    });
    deps.log?.error(
      { appId: row.app_id, tradeNo: row.trade_no, notifyId: row.id, attempts, lastError: outcome.error ?? null },
      'merchant notify given up after the last retry: call the merchant',
    );
  }
  return claimed.length;
}

/**
 * The gateway's background loop on this instance: closes unpaid orders past their time (queuing their
 * TRADE_CLOSED notify) and delivers due merchant notifications; `stop()` waits for it.
 */
export function startGatewayNotifier(
  db: Kysely<Database>,
  deps: MerchantDeps & { log?: GatewayLog },
  pollIntervalMs: number,
  onError: (error: unknown) => void,
): { kick(): void; stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      try {
        const closed = await sweepExpiredOrders(db, deps);
        if ((await deliverDueNotifies(db, deps)) > 0 || closed > 0) continue;
      } catch (error) {
        onError(error);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    kick: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
