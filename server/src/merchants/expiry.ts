import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { closeExpiredOrder } from './checkout.ts';
import type { MerchantDeps } from './service.ts';
import { expiredOrders } from './store.ts';

/** The most orders one sweep closes; the loop comes back at once while there are more. */
const SWEEP_BATCH = 50;

/**
 * Closes unpaid orders past their time_expire and queues each one's TRADE_CLOSED notify, so a merchant
 * hears of the close even when nobody looks at the order again. Every instance sweeps: the close is a
 * conditional update (still waiting, still expired), so of two instances that pick the same order one
 * closes it and notifies, and the other changes nothing. Returns how many this sweep found.
 */
export async function sweepExpiredOrders(db: Kysely<Database>, deps: MerchantDeps): Promise<number> {
  const due = await expiredOrders(db, deps.clock.nowMs(), SWEEP_BATCH);
  for (const order of due) await closeExpiredOrder(db, deps, order);
  return due.length;
}
