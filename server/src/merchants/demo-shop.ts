import { generateKeyPairSync, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createCustomer, makeResidentId, openAccount } from '../customers/index.ts';
import type { Database } from '../database.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { secretBox } from '../platform/secret-box.ts';
import { claimSetting, readSetting } from '../platform/settings-store.ts';
import { bankPublicKeyPem, gatewayStamp, type MerchantDeps, PAGE_PAY_METHOD, registerMerchant } from './service.ts';
import { parsePrivateKey, signParams, verifyParams } from './signing.ts';

/**
 * The demo shop at /dev/shop (outside production only): a merchant of its own, registered on first need
 * with its own key pair (the private half sealed with JINKU_SECRET), a product whose pay button submits
 * the signed page-pay form, and a notify receiver that verifies Jinku's signature and keeps what it got.
 * It plays the merchant's side exactly as a real shop would, through the public gateway routes.
 */

const SHOP_SETTING = 'merchants.demo_shop';
const SHOP_KEY_PURPOSE = 'merchants/demo-shop-key';
/** The demo shop's branch and holder: an account at the demo bank's branch 0001 in the shop's name. */
const SHOP_BRANCH = '0001';
export const DEMO_SHOP_NAME = '金库演示商城';
export const DEMO_PRODUCT = { name: '金库纪念茶杯', nameEn: 'Jinku tea cup', amount: '88.00' } as const;

type StoredShop = { appId: string; privateKeySealed: string };

/** The demo shop's app id and private key, registering it on first use (once, across instances). */
export async function demoShop(db: Kysely<Database>, deps: MerchantDeps) {
  let stored = await readSetting(db, SHOP_SETTING);
  if (stored === undefined) {
    await registerDemoShop(db, deps).catch(async (error: unknown) => {
      // Instances starting together race to register it: the loser meets the winner's shop holder (its ID
      // number taken), and by then the winner has committed the setting too, which is all this needs.
      if ((await readSetting(db, SHOP_SETTING)) === undefined) throw error;
    });
    stored = await readSetting(db, SHOP_SETTING);
  }
  const shop = JSON.parse(stored as string) as StoredShop;
  const privateKey = parsePrivateKey(
    secretBox(deps.config.secret).open(SHOP_KEY_PURPOSE, shop.privateKeySealed).toString(),
  );
  if (!privateKey) throw new Error("the demo shop's stored key is not an RSA private key");
  return { appId: shop.appId, privateKey };
}

/** Registers the demo shop's holder, account, merchant and sealed key in one transaction. */
async function registerDemoShop(db: Kysely<Database>, deps: MerchantDeps): Promise<void> {
  await withTransaction(db, async (trx) => {
    const nowMs = deps.clock.nowMs();
    if (await readSetting(trx, SHOP_SETTING)) return;
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const holder = await createCustomer(trx, deps, {
      name: DEMO_SHOP_NAME,
      idNumber: makeResidentId('110105', '19900101', '207'),
      mobile: '13800000020',
      branchCode: SHOP_BRANCH,
      status: 'active',
    });
    const account = await openAccount(trx, deps, {
      customerId: holder,
      kind: 'debit_card',
      branchCode: SHOP_BRANCH,
      withCard: false,
    });
    const appId = await registerMerchant(trx, deps, {
      name: DEMO_SHOP_NAME,
      settlementAccountNumber: account.account_number,
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    const made: StoredShop = {
      appId,
      privateKeySealed: secretBox(deps.config.secret).seal(
        SHOP_KEY_PURPOSE,
        pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      ),
    };
    await claimSetting(trx, SHOP_SETTING, JSON.stringify(made), nowMs);
  });
}

/** The signed page-pay form of one new order of the product, as the shop's page posts it. */
export async function demoOrderForm(db: Kysely<Database>, deps: MerchantDeps, origin: string) {
  const shop = await demoShop(db, deps);
  const nowMs = deps.clock.nowMs();
  const outTradeNo = `DEMO${gatewayStamp(nowMs).replace(/\D/g, '')}${String(randomInt(1_000_000)).padStart(6, '0')}`;
  const params: Record<string, string> = {
    app_id: shop.appId,
    method: PAGE_PAY_METHOD,
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: gatewayStamp(nowMs),
    version: '1.0',
    notify_url: `${origin}/dev/shop/notify`,
    return_url: `${origin}/dev/shop/return`,
    biz_content: JSON.stringify({
      out_trade_no: outTradeNo,
      total_amount: DEMO_PRODUCT.amount,
      subject: DEMO_PRODUCT.name,
    }),
  };
  return { outTradeNo, fields: { ...params, sign: signParams(params, shop.privateKey) } };
}

export type DemoNotify = {
  outTradeNo: string;
  tradeStatus: string;
  totalAmount: string;
  refundAmount: string | null;
  verified: boolean;
  receivedAtMs: number;
};

/** What the demo shop's receiver got, newest first (in the database, so any instance shows it). */
export async function demoNotifications(db: Kysely<Database>, outTradeNo?: string): Promise<DemoNotify[]> {
  let query = db.selectFrom('demo_shop_notify').selectAll().orderBy('received_at_ms', 'desc').limit(20);
  if (outTradeNo) query = query.where('out_trade_no', '=', outTradeNo);
  return (await query.execute()).map((row) => ({
    outTradeNo: row.out_trade_no,
    tradeStatus: row.trade_status,
    totalAmount: row.total_amount,
    refundAmount: row.refund_amount,
    verified: Boolean(Number(row.verified)),
    receivedAtMs: Number(row.received_at_ms),
  }));
}

/**
 * The shop's notify receiver: verifies Jinku's signature with the bank's public key (as a merchant
 * fetches it from GET /gateway/v1/public-key) and keeps what it got; `success` only when it verified.
 */
export async function receiveDemoNotify(db: Kysely<Database>, deps: MerchantDeps, form: Record<string, string>) {
  const verified = verifyParams(form, await bankPublicKeyPem(db, deps));
  await db
    .insertInto('demo_shop_notify')
    .values({
      id: `${form.notify_id ?? 'unknown'}:${deps.clock.nowMs()}:${randomInt(1_000_000)}`.slice(0, 120),
      out_trade_no: (form.out_trade_no ?? '').slice(0, 64),
      trade_status: (form.trade_status ?? '').slice(0, 32),
      total_amount: (form.total_amount ?? '').slice(0, 20),
      refund_amount: form.refund_amount?.slice(0, 20) ?? null,
      verified: verified ? 1 : 0,
      received_at_ms: deps.clock.nowMs(),
    })
    .execute();
  return verified ? 'success' : 'fail';
}

/** Whether the return's parameters carry Jinku's valid signature (the return is for display only). */
export async function verifyDemoReturn(db: Kysely<Database>, deps: MerchantDeps, query: Record<string, string>) {
  return verifyParams(query, await bankPublicKeyPem(db, deps));
}
