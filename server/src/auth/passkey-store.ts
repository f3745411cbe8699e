import type { Kysely, Selectable } from 'kysely';
import type { Database, Tx } from '../database.ts';

/** Passkey sign-in's table (auth/passkey-login.ts). */
export type PasskeyLoginTables = {
  passkey_login: {
    id: string;
    /** The WebAuthn challenge (base64url) the assertion must sign. */
    challenge: string;
    channel: string;
    created_at_ms: number;
    expires_at_ms: number;
    /** Set when an assertion was tried: each attempt is answered once, right or wrong. */
    used_at_ms: number | null;
  };
};
export type PasskeyLoginRow = Selectable<PasskeyLoginTables['passkey_login']>;

export async function insertPasskeyLogin(db: Kysely<Database>, row: PasskeyLoginRow): Promise<void> {
  await db.insertInto('passkey_login').values(row).execute();
}

export function lockedPasskeyLogin(trx: Tx, id: string): Promise<PasskeyLoginRow | undefined> {
  return trx.selectFrom('passkey_login').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Marks the attempt used; false when another request used it first. */
export async function markPasskeyLoginUsed(db: Kysely<Database>, id: string, nowMs: number): Promise<boolean> {
  const result = await db
    .updateTable('passkey_login')
    .set({ used_at_ms: nowMs })
    .where('id', '=', id)
    .where('used_at_ms', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deletePasskeyLoginsBefore(db: Kysely<Database>, beforeMs: number): Promise<number> {
  const result = await db.deleteFrom('passkey_login').where('expires_at_ms', '<', beforeMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}
