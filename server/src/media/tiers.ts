import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { activeMediumKinds, type StoredMediumKind } from './store.ts';

/**
 * A customer's tier is their strongest active security medium (ARCHITECTURE.md, "Tiers and limits").
 * A customer with none is a static-password user. The media issue adds password cards, e-password
 * devices and U-shields; here a customer may hold an SMS-verification registration.
 */
export type MediumKind = StoredMediumKind;
/** A soft token (TOTP) stands with the e-password device; kinds not built yet give no tier. */
export type Tier = 'static' | 'sms' | 'password_card' | 'e_token' | 'u_shield';
const TIER_OF_KIND: Partial<Record<MediumKind, Tier>> = {
  sms: 'sms',
  password_card: 'password_card',
  e_token: 'e_token',
  totp: 'e_token',
  u_shield: 'u_shield',
};

const STRENGTH: readonly Tier[] = ['static', 'sms', 'password_card', 'e_token', 'u_shield'];

/** The strongest of a set of media kinds. */
export function strongestTier(kinds: readonly MediumKind[]): Tier {
  let best: Tier = 'static';
  for (const kind of kinds) {
    const tier = TIER_OF_KIND[kind];
    if (tier && STRENGTH.indexOf(tier) > STRENGTH.indexOf(best)) best = tier;
  }
  return best;
}

/** The customer's tier, from their active media. */
export async function tierOf(db: Kysely<Database>, customerId: string): Promise<Tier> {
  return strongestTier(await activeMediumKinds(db, customerId));
}
