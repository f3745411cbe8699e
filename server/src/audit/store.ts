import type { Database } from '../database.ts';
import type { Generated, Kysely } from 'kysely';

export type AuditTables = {
  audit_chain: { chain_id: number; last_seq: number; last_hash: string };
  audit_log: {
    id: string;
    chain_id: number;
    seq: number;
    at_ms: number;
    kind: string;
    actor_type: string;
    actor_id: string | null;
    subject_type: string | null;
    subject_id: string | null;
    ip: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  };
};

export type AuditRow = AuditTables['audit_log'];

/** Rows of one chain in order, `limit` at a time after `afterSeq`. */
export function chainRows(db: Kysely<Database>, chainId: number, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('chain_id', '=', chainId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/**
 * How many events of this kind about this subject were logged since a time (throttles that count what
 * the audit log already records, such as failed payee checks). Served by the (subject_id, at_ms) index.
 */
export async function countEventsSince(
  db: Kysely<Database>,
  event: { kind: string; subjectId: string; sinceMs: number },
): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject_id', '=', event.subjectId)
    .where('at_ms', '>=', event.sinceMs)
    .where('kind', '=', event.kind)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type { Generated };
