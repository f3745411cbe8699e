import type { AppContext } from '../platform/context.ts';

export type SeedResult = { created: boolean; identities: string[] };

/**
 * Seeds the demo bank of API.md ("Demo bank") on an empty database: the bank's own ledger accounts and
 * the fixed demo identities. Each domain contributes its part; a later issue that adds a feature a demo
 * identity needs (media, counter staff) completes the seed here.
 */
export async function seedDemoBank(_ctx: AppContext): Promise<SeedResult> {
  return { created: false, identities: [] };
}
