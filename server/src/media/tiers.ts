import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { activeMediumKinds } from './store.ts';

/**
 * A customer's tier is their strongest active security medium (ARCHITECTURE.md, "Tiers and limits").
 * A customer with none is a static-password user. The media issue adds password cards, e-password
 * devices and U-shields; here a customer may hold an SMS-verification registration.
 */
export type MediumKind = 'sms' | 'password_card' | 'e_token' | 'u_shield';
export type Tier = 'static' | MediumKind;

const STRENGTH: readonly Tier[] = ['static', 'sms', 'password_card', 'e_token', 'u_shield'];

/** The strongest of a set of media kinds. */
export function strongestTier(kinds: readonly MediumKind[]): Tier {
  let best: Tier = 'static';
  for (const kind of kinds) if (STRENGTH.indexOf(kind) > STRENGTH.indexOf(best)) best = kind;
  return best;
}

/** The customer's tier, from their active media. */
export async function tierOf(db: Kysely<Database>, customerId: string): Promise<Tier> {
  return strongestTier(await activeMediumKinds(db, customerId));
}
