import type { Tx } from '../database.ts';
import { newId } from '../platform/ids.ts';
import { insertSmsMedium } from './store.ts';

/** Registers SMS verification on the customer's mobile as a security medium (counter or demo seed). */
export async function registerSmsMedium(trx: Tx, customerId: string, nowMs: number): Promise<string> {
  const id = newId<'Medium'>();
  await insertSmsMedium(trx, id, customerId, nowMs);
  return id;
}
