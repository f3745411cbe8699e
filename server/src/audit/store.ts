import { type Generated, type Kysely, sql } from 'kysely';
import type { Database } from '../database.ts';
import { preparedQuery } from '../platform/db/prepared.ts';

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
export type ChainHead = AuditTables['audit_chain'];

// Prepared (compiled once): every security event appends a row and locks its chain head.
const insertAuditRow = preparedQuery((db: Kysely<Database>, args: AuditRow) =>
  db.insertInto('audit_log').values({
    id: args.id,
    chain_id: args.chain_id,
    seq: args.seq,
    at_ms: args.at_ms,
    kind: args.kind,
    actor_type: args.actor_type,
    actor_id: args.actor_id,
    subject_type: args.subject_type,
    subject_id: args.subject_id,
    ip: args.ip,
    details: args.details,
    prev_hash: args.prev_hash,
    hash: args.hash,
  }),
);
const chainHeadForUpdate = preparedQuery((db: Kysely<Database>, args: { chainId: number }) =>
  db.selectFrom('audit_chain').selectAll().where('chain_id', '=', args.chainId).forUpdate(),
);

/** Inserts linked rows in order; the row trigger audit_chain_advance (migration 0004) moves the head to each. */
export async function insertAuditRows(trx: Kysely<Database>, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 1) await insertAuditRow.run(trx, rows[0]!);
  else await trx.insertInto('audit_log').values(rows).execute();
}

/** Locks one chain's head until the transaction ends, waiting for it if another holds it. */
export function lockChainHead(trx: Kysely<Database>, chainId: number): Promise<ChainHead> {
  return chainHeadForUpdate.one(trx, { chainId });
}

/** Locks the first chain head no one holds, looking from `start` round the `chains`; null when all are held. */
export async function lockFreeChainHead(
  trx: Kysely<Database>,
  start: number,
  chains: number,
): Promise<ChainHead | null> {
  const free = await trx
    .selectFrom('audit_chain')
    .selectAll()
    .orderBy(sql`(chain_id + ${chains - start}) % ${chains}`)
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  return free ?? null;
}

/** Every chain's head, in chain order (the verifier). */
export function chainHeads(db: Kysely<Database>): Promise<ChainHead[]> {
  return db.selectFrom('audit_chain').selectAll().orderBy('chain_id').execute();
}

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

/** Most events one look at a subject's history shows (a limit on everything). */
export const MAX_RECENT_EVENTS = 50;

/**
 * The latest events about a subject (the counter's customer page), newest first. Served by the
 * (subject_id, at_ms) index.
 */
export function recentEventsAbout(db: Kysely<Database>, subjectId: string, limit: number): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('at_ms', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(limit, 1), MAX_RECENT_EVENTS))
    .execute();
}

export type { Generated };
