import type { Database } from '../database.ts';
import type { Kysely } from 'kysely';

/**
 * The queries of the platform's one table: small operator-controlled settings shared by every
 * server instance (dev clock offset, maintenance, the demo seed's claim). The rules that use them live with
 * their users.
 */
export type PlatformTables = {
  platform_setting: { key: string; value: string; updated_at_ms: number };
};

/** Reads a setting; undefined when unset. */
export async function readSetting(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('platform_setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Sets (inserts or replaces) a setting. */
export async function writeSetting(db: Kysely<Database>, key: string, value: string, nowMs: number) {
  await db
    .insertInto('platform_setting')
    .values({ key, value, updated_at_ms: nowMs })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at_ms: nowMs }))
    .execute();
}

/**
 * Sets a setting only if it is unset; true when this call set it. Two instances claiming the same key
 * at once: exactly one gets true (on PostgreSQL the second waits for the first to commit).
 */
export async function claimSetting(db: Kysely<Database>, key: string, value: string, nowMs: number): Promise<boolean> {
  const result = await db
    .insertInto('platform_setting')
    .values({ key, value, updated_at_ms: nowMs })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return result.numInsertedOrUpdatedRows === 1n;
}

/** Deletes a setting. */
export async function deleteSetting(db: Kysely<Database>, key: string) {
  await db.deleteFrom('platform_setting').where('key', '=', key).execute();
}
