import { createHash, generateKeyPairSync, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import { accountBy, accountById } from '../customers/index.ts';
import type { Database } from '../database.ts';
import { CHINA_OFFSET_MS, chinaDate } from '../platform/business-day.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { assert } from '../platform/assert.ts';
import { AppError } from '../platform/errors.ts';
import { parseMoney } from '../platform/money.ts';
import { secretBox } from '../platform/secret-box.ts';
import { merchantErrors } from './errors.ts';
import { notifyUrlRefusal } from './notify.ts';
import { isUnderPrefix, urlPrefixRefusal } from './url-prefix.ts';
import { isSignType, parsePrivateKey, parsePublicKey, type SignType, verifyParams } from './signing.ts';
import {
  type BankKeyRow,
  bankKeyByVersion,
  insertBankKeyIfAbsent,
  insertMerchant,
  latestBankKey,
  insertOrder,
  type MerchantRow,
  merchantByAppId,
  type OrderRow,
  orderByOutTradeNo,
} from './store.ts';

export type MerchantDeps = { config: Config; clock: Clock };

/** How far a request's timestamp may be from the bank's clock. */
export const TIMESTAMP_WINDOW_MS = 10 * 60_000;
/** An order's life when the merchant names no `time_expire`. */
export const DEFAULT_ORDER_LIFE_MS = 15 * 60_000;
/** The longest life an order may ask for. */
export const MAX_ORDER_LIFE_MS = 24 * 3_600_000;
export const PAGE_PAY_METHOD = 'jinku.trade.page.pay';

// ---------------------------------------------------------------------------------------------------
// Merchants

export type NewMerchant = {
  name: string;
  settlementAccountNumber: string;
  publicKeyPem: string;
  signType?: string;
  notifyUrlPrefix?: string;
};

/** Registers a merchant (the operator's CLI, later the counter): returns the new app_id. */
export async function registerMerchant(db: Kysely<Database>, deps: MerchantDeps, input: NewMerchant): Promise<string> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) throw new AppError(merchantErrors['merchant.name_invalid']);
  const signType = input.signType ?? 'RSA2';
  if (!isSignType(signType)) throw new AppError(merchantErrors['merchant.sign_type_invalid']);
  const key = parsePublicKey(input.publicKeyPem);
  if (!key) throw new AppError(merchantErrors['merchant.public_key_invalid']);
  const notifyUrlPrefix = input.notifyUrlPrefix?.trim() || null;
  if (notifyUrlPrefix !== null && urlPrefixRefusal(notifyUrlPrefix, deps.config.env) !== null) {
    throw new AppError(merchantErrors['merchant.notify_url_prefix_invalid']);
  }
  const account = await accountBy(db, 'account_number', input.settlementAccountNumber.trim());
  if (account?.status !== 'active') {
    throw new AppError(merchantErrors['merchant.settlement_account_invalid']);
  }
  const appId = newAppId();
  await insertMerchant(db, {
    app_id: appId,
    name,
    public_key_pem: key.export({ type: 'spki', format: 'pem' }).toString(),
    sign_type: signType,
    settlement_account_id: account.id,
    status: 'active',
    notify_url_prefix: notifyUrlPrefix,
    created_at_ms: deps.clock.nowMs(),
  });
  return appId;
}

/** A random 16-digit app id. */
function newAppId(): string {
  return `2${Array.from({ length: 15 }, () => randomInt(10)).join('')}`;
}

/** The settlement account's number, for listings. */
export async function settlementAccountNumber(db: Kysely<Database>, merchant: MerchantRow): Promise<string> {
  return (await accountById(db, merchant.settlement_account_id))?.account_number ?? '?';
}

// ---------------------------------------------------------------------------------------------------
// The bank's own key pairs: made on first need, rotated by the operator, the private halves sealed
// under JINKU_SECRET. The newest version signs; an older one stays available to merchants for
// BANK_KEY_OVERLAP_MS after its successor was made, so they can switch without a gap.

const BANK_KEY_PURPOSE = 'merchants/bank-key';
/** How long a replaced bank key is still served (`GET /gateway/v1/public-key?version=`) after rotation. */
export const BANK_KEY_OVERLAP_MS = 7 * 86_400_000;

function newBankKey(deps: MerchantDeps, version: number): BankKeyRow {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    version,
    public_key_pem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    private_key_sealed: secretBox(deps.config.secret).seal(
      BANK_KEY_PURPOSE,
      pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    ),
    created_at_ms: deps.clock.nowMs(),
  };
}

/** The newest bank key, made on first need (a key of the time before versions: migration 0808). */
async function currentBankKey(db: Kysely<Database>, deps: MerchantDeps): Promise<BankKeyRow> {
  const latest = await latestBankKey(db);
  if (latest) return latest;
  // Two instances making one at once: the first stored wins, the other reads it.
  await insertBankKeyIfAbsent(db, newBankKey(deps, 1));
  const made = await latestBankKey(db);
  assert(made, 'a bank key exists once one was stored');
  return made;
}

/** Makes a new bank key the current one (`npm run merchant -- rotate-bank-key`); returns its version. */
export async function rotateBankKey(db: Kysely<Database>, deps: MerchantDeps): Promise<number> {
  const current = await currentBankKey(db, deps);
  const next = newBankKey(deps, current.version + 1);
  if (!(await insertBankKeyIfAbsent(db, next)))
    throw new Error('another rotation of the bank key ran at the same time');
  return next.version;
}

/**
 * The bank's public key that merchants verify Jinku's signatures with: the current one, or the given
 * version while it is current or within the overlap after its successor was made; null otherwise.
 */
export async function bankPublicKey(
  db: Kysely<Database>,
  deps: MerchantDeps,
  version?: number,
): Promise<{ version: number; pem: string } | null> {
  const current = await currentBankKey(db, deps);
  if (version === undefined || version === current.version) {
    return { version: current.version, pem: current.public_key_pem };
  }
  const row = await bankKeyByVersion(db, version);
  const successor = row && (await bankKeyByVersion(db, version + 1));
  if (!row || !successor || successor.created_at_ms + BANK_KEY_OVERLAP_MS <= deps.clock.nowMs()) return null;
  return { version: row.version, pem: row.public_key_pem };
}

/** The bank's current public key (PEM). */
export async function bankPublicKeyPem(db: Kysely<Database>, deps: MerchantDeps): Promise<string> {
  return (await currentBankKey(db, deps)).public_key_pem;
}

/** The bank's current private key and its version, opened from its sealed form (for signing). */
export async function bankSigningKey(db: Kysely<Database>, deps: MerchantDeps) {
  const stored = await currentBankKey(db, deps);
  const pem = secretBox(deps.config.secret).open(BANK_KEY_PURPOSE, stored.private_key_sealed).toString();
  const key = parsePrivateKey(pem);
  if (!key) throw new Error('the stored bank key is not an RSA private key');
  return { version: stored.version, key };
}

/** The bank's current private key (for signing returns and notifications). */
export async function bankPrivateKey(db: Kysely<Database>, deps: MerchantDeps) {
  return (await bankSigningKey(db, deps)).key;
}

// ---------------------------------------------------------------------------------------------------
// Page-pay orders

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, the gateway's timestamp format. */
export function gatewayStamp(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

const STAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses `yyyy-MM-dd HH:mm:ss` in Beijing time; null when malformed or not a real instant. */
export function parseChinaTimestamp(text: string): number | null {
  const match = STAMP.exec(text);
  if (!match) return null;
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    return null;
  }
  return utc - CHINA_OFFSET_MS;
}

const invalid = (field: string) => new AppError(merchantErrors['gateway.param_invalid'], { field });

const OUT_TRADE_NO = /^[\x21-\x7e]{1,64}$/;
const AMOUNT = /^\d{1,12}\.\d{2}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A notify or return URL: absolute http(s), no credentials, at most 1024 characters; https only in
 * production, where the customer's browser is sent back to it with the signed result.
 */
function checkUrl(
  params: Record<string, string>,
  field: 'notify_url' | 'return_url',
  env: MerchantDeps['config']['env'],
): string | null {
  const text = params[field];
  if (text === undefined || text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(field);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || text.length > 1024 || url.username || url.password) {
    throw invalid(field);
  }
  if (env === 'production' && url.protocol !== 'https:') throw invalid(field);
  return text;
}

export type PagePayResult = { tradeNo: string; created: boolean };

/**
 * Checks what every signed gateway request must be: a known active app, its sign type, the signature
 * over all parameters (a forged one in a known merchant's name is audited) and the ±10 minute timestamp.
 * Answers the merchant.
 */
export async function verifiedMerchant(
  db: Kysely<Database>,
  deps: MerchantDeps,
  params: Record<string, string>,
  request: { ip?: string } = {},
): Promise<MerchantRow> {
  const nowMs = deps.clock.nowMs();
  const appId = params.app_id ?? '';
  const merchant = /^\d{1,32}$/.test(appId) ? await merchantByAppId(db, appId) : undefined;
  if (merchant?.status !== 'active') throw new AppError(merchantErrors['gateway.app_unknown']);
  if (params.sign_type !== merchant.sign_type) throw invalid('sign_type');
  const publicKey = parsePublicKey(merchant.public_key_pem);
  if (!publicKey || !verifyParams(params, publicKey)) {
    // A forged or broken request in a known merchant's name: a security event.
    await withTransaction(db, (trx) =>
      appendAudit(trx, {
        kind: 'gateway.signature_refused',
        atMs: nowMs,
        actor: { type: 'anonymous' },
        subject: { type: 'merchant', id: merchant.app_id },
        ip: request.ip ?? null,
        details: { method: (params.method ?? '').slice(0, 64) },
      }),
    );
    throw new AppError(merchantErrors['gateway.sign_invalid']);
  }

  const stampMs = parseChinaTimestamp(params.timestamp ?? '');
  if (stampMs === null || Math.abs(nowMs - stampMs) > TIMESTAMP_WINDOW_MS) {
    throw new AppError(merchantErrors['gateway.timestamp_invalid']);
  }
  return merchant;
}

/**
 * `POST /gateway/v1/pay`: verifies the app, the signature, the timestamp window and the fields, then
 * creates the order or finds the one the same out_trade_no made with the same parameters.
 */
export async function pagePay(
  db: Kysely<Database>,
  deps: MerchantDeps,
  params: Record<string, string>,
  request: { ip?: string } = {},
): Promise<PagePayResult> {
  const nowMs = deps.clock.nowMs();
  const merchant = await verifiedMerchant(db, deps, params, request);
  if (params.method !== PAGE_PAY_METHOD) throw invalid('method');
  if (params.charset !== undefined && params.charset.toLowerCase() !== 'utf-8') throw invalid('charset');
  if (params.version !== '1.0') throw invalid('version');
  const notifyUrl = checkUrl(params, 'notify_url', deps.config.env);
  const returnUrl = checkUrl(params, 'return_url', deps.config.env);
  if (notifyUrl && merchant.notify_url_prefix && !isUnderPrefix(notifyUrl, merchant.notify_url_prefix)) {
    throw invalid('notify_url');
  }
  // In production a notify URL goes only under what the merchant registered, never to a private address.
  if (notifyUrl && deps.config.env === 'production' && (await notifyUrlRefusal(notifyUrl, merchant, 'production'))) {
    throw invalid('notify_url');
  }

  let biz: unknown;
  try {
    biz = JSON.parse(params.biz_content ?? '');
  } catch {
    throw invalid('biz_content');
  }
  if (typeof biz !== 'object' || biz === null || Array.isArray(biz)) throw invalid('biz_content');
  const fields = biz as Record<string, unknown>;
  const outTradeNo = fields.out_trade_no;
  if (typeof outTradeNo !== 'string' || !OUT_TRADE_NO.test(outTradeNo)) throw invalid('out_trade_no');
  const amountText = fields.total_amount;
  if (typeof amountText !== 'string' || !AMOUNT.test(amountText)) throw invalid('total_amount');
  const amount = parseMoney(amountText);
  if (!amount.ok) throw invalid('total_amount');
  const subject = fields.subject;
  if (typeof subject !== 'string' || subject.trim() === '' || subject.length > 256 || CONTROL.test(subject)) {
    throw invalid('subject');
  }
  const timeExpire = fields.time_expire;
  let expiresAtMs = nowMs + DEFAULT_ORDER_LIFE_MS;
  if (timeExpire !== undefined && timeExpire !== '') {
    const at = typeof timeExpire === 'string' ? parseChinaTimestamp(timeExpire) : null;
    if (at === null || at <= nowMs || at > nowMs + MAX_ORDER_LIFE_MS) throw invalid('time_expire');
    expiresAtMs = at;
  }

  const requestHash = createHash('sha256')
    .update(
      JSON.stringify([outTradeNo, amount.fen, subject, timeExpire ?? '', notifyUrl ?? '', returnUrl ?? '']),
      'utf8',
    )
    .digest('base64url');
  const row: OrderRow = {
    trade_no: newTradeNo(nowMs),
    app_id: merchant.app_id,
    out_trade_no: outTradeNo,
    subject,
    total_fen: amount.fen,
    notify_url: notifyUrl,
    return_url: returnUrl,
    request_hash: requestHash,
    status: 'WAIT_BUYER_PAY',
    expires_at_ms: expiresAtMs,
    created_at_ms: nowMs,
    customer_id: null,
    from_account_id: null,
    auth_method: null,
    auth_ref: null,
    authorize_by_ms: null,
    entry_id: null,
    paid_at_ms: null,
    closed_at_ms: null,
    refunded_fen: 0,
  };
  if (await insertOrder(db, row)) return { tradeNo: row.trade_no, created: true };
  const existing = await orderByOutTradeNo(db, merchant.app_id, outTradeNo);
  if (!existing || existing.request_hash !== requestHash) throw new AppError(merchantErrors['gateway.order_conflict']);
  if (existing.status !== 'WAIT_BUYER_PAY' || existing.expires_at_ms <= nowMs) {
    throw new AppError(merchantErrors['gateway.order_closed']);
  }
  return { tradeNo: existing.trade_no, created: false };
}

/** The bank's order number: the Beijing date and 16 random digits. */
function newTradeNo(nowMs: number): string {
  return `${chinaDate(nowMs).replaceAll('-', '')}${Array.from({ length: 16 }, () => randomInt(10)).join('')}`;
}

export type { SignType };
