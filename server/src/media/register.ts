import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { newId } from '../platform/ids.ts';

/** Registers SMS verification on the customer's mobile as a security medium (counter or demo seed). */
export async function registerSmsMedium(trx: Kysely<Database>, customerId: string, nowMs: number): Promise<string> {
  const id = newId<'Medium'>();
  await trx
    .insertInto('security_medium')
    .values({ id, customer_id: customerId, kind: 'sms', status: 'active', serial: null, created_at_ms: nowMs })
    .execute();
  return id;
}
