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

export type { Generated };
