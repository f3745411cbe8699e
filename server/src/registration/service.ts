import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { awaitsCardBinding } from './store.ts';

/**
 * The one predicate of card binding: whether a customer may see their accounts and move money. Every
 * customer may, except one who registered on the phone (POST /registration/mobile) and has not bound a
 * card yet (POST /accounts/bind). The accounts and payments routes ask it through the platform's
 * account-access gate (routes.ts provides it; platform/http/require-customer.ts).
 */
export async function hasBoundCard(db: Kysely<Database>, customerId: string): Promise<boolean> {
  return !(await awaitsCardBinding(db, customerId));
}
