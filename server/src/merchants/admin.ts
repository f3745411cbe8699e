import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.ts';
import type { Database, Tx } from '../database.ts';
import { isoTime } from '../platform/clock.ts';
import { type MerchantDeps, type NewMerchant, registerMerchant, settlementAccountNumber } from './service.ts';
import { listMerchants, type MerchantRow, merchantByAppId, setMerchantStatus } from './store.ts';

/**
 * Merchants as staff manage them in the counter's admin area (issue 17): the list, registration
 * through registerMerchant (the one the CLI uses), suspension and resumption, each with an audit row
 * naming the staff member. A suspended merchant's requests are refused at the gateway
 * (service.ts verifiedMerchant: an error page, no order).
 */

export type MerchantAdminActor = { staffId: string; branch: string; ip: string | null };

export type MerchantAdminView = {
  appId: string;
  name: string;
  status: MerchantRow['status'];
  signType: string;
  settlementAccountNumber: string;
  notifyUrlPrefix: string | null;
  createdAt: string;
};

async function viewOf(db: Kysely<Database>, row: MerchantRow): Promise<MerchantAdminView> {
  return {
    appId: row.app_id,
    name: row.name,
    status: row.status,
    signType: row.sign_type,
    settlementAccountNumber: await settlementAccountNumber(db, row),
    notifyUrlPrefix: row.notify_url_prefix,
    createdAt: isoTime(Number(row.created_at_ms)),
  };
}

/** Every merchant, oldest first (merchants are few; the list is the bank's whole register). */
export async function merchantsForAdmin(db: Kysely<Database>): Promise<{ items: MerchantAdminView[] }> {
  const rows = await listMerchants(db);
  return { items: await Promise.all(rows.map((row) => viewOf(db, row))) };
}

/** Registers a merchant at the counter, in the caller's transaction; its audit row names the staff member. */
export async function registerMerchantAtCounter(
  trx: Tx,
  deps: MerchantDeps,
  input: NewMerchant,
  actor: MerchantAdminActor,
): Promise<MerchantAdminView> {
  const appId = await registerMerchant(trx, deps, input);
  await appendAudit(trx, {
    kind: 'merchant.registered',
    atMs: deps.clock.nowMs(),
    actor: { type: 'staff', id: actor.staffId },
    subject: { type: 'merchant', id: appId },
    ip: actor.ip,
    details: { name: input.name.trim(), branch: actor.branch },
  });
  const row = await merchantByAppId(trx, appId);
  if (!row) throw new Error('the merchant just registered exists');
  return viewOf(trx, row);
}

/**
 * Suspends (`active: false`) or resumes a merchant (undefined when there is none); doing it twice changes nothing and writes
 * no second row.
 */
export async function switchMerchant(
  trx: Tx,
  deps: MerchantDeps,
  appId: string,
  active: boolean,
  actor: MerchantAdminActor,
): Promise<MerchantAdminView | undefined> {
  const row = /^\d{1,32}$/.test(appId) ? await merchantByAppId(trx, appId) : undefined;
  if (!row) return undefined;
  const status = active ? ('active' as const) : ('suspended' as const);
  if (row.status !== status) {
    await setMerchantStatus(trx, appId, status);
    await appendAudit(trx, {
      kind: active ? 'merchant.resumed' : 'merchant.suspended',
      atMs: deps.clock.nowMs(),
      actor: { type: 'staff', id: actor.staffId },
      subject: { type: 'merchant', id: appId },
      ip: actor.ip,
      details: { name: row.name, branch: actor.branch },
    });
  }
  return viewOf(trx, { ...row, status });
}
