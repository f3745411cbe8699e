import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { mediaOf, type StoredMediumKind } from './store.ts';

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

/**
 * The customer's tier, from their active media. One exception: a static-password customer handed a
 * U-shield at the counter, whose certificate is not downloaded yet (`issued`), is in the U-shield's tier
 * at once: issuing it voided their payment password (counter.ts), and issue 15 says it lifts the ¥300
 * lifetime limit to the new tier. A customer who already holds an active medium keeps that medium's
 * tier until the U-shield is active (its higher amounts could not be authorized before). An `issued`
 * soft token (enrolment not confirmed) gives nothing.
 */
export async function tierOf(db: Kysely<Database>, customerId: string): Promise<Tier> {
  const media = await mediaOf(db, customerId);
  const active = strongestTier(media.filter((m) => m.status === 'active').map((m) => m.kind));
  if (active === 'static' && media.some((m) => m.kind === 'u_shield' && m.status === 'issued')) return 'u_shield';
  return active;
}
