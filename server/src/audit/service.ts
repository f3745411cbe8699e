import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { assert } from '../platform/assert.ts';
import { hasSingleWriter } from '../platform/db/capabilities.ts';
import { newId } from '../platform/ids.ts';
import { GENESIS_HASH, rowHash } from './hash.ts';
import { chainHeads, chainRows, insertAuditRows, lockChainHead, lockFreeChainHead } from './store.ts';

/**
 * On PostgreSQL the log is kept as a few independent chains so that concurrent transactions do not all
 * queue on one chain head: each append locks whichever head is free (SKIP LOCKED). SQLite has one
 * writer at a time and one chain. The verifier checks every chain.
 */
export const POSTGRES_CHAINS = 8;

export type AuditEvent = {
  kind: string;
  atMs: number;
  actor: { type: 'customer' | 'staff' | 'system' | 'anonymous'; id?: string | null };
  subject?: { type: string; id: string };
  ip?: string | null;
  details?: Record<string, unknown>;
};

// Never store secrets in the audit log (they would be readable for ever): a caller that passes one is a bug.
const FORBIDDEN_DETAIL_KEYS =
  /^(password|newPassword|currentPassword|pin|cardPin|otp|code|smsCode|cardNumber|idNumber|secret|token)$/i;

/**
 * Appends an event to the audit log inside the caller's transaction, linked to the previous row of its
 * chain by hash. Call it last in a transaction: the chain head stays locked until commit.
 */
export async function appendAudit(trx: Kysely<Database>, event: AuditEvent): Promise<void> {
  await appendAudits(trx, [event]);
}

/** Most events one call appends (a batch of payments that arrived together). */
export const MAX_EVENTS_PER_APPEND = 64;

/**
 * Appends several events in order to one chain, in one statement: the batch of payments that arrived
 * together is audited by one insert instead of one per payment. Same rules as appendAudit.
 */
export async function appendAudits(trx: Kysely<Database>, events: readonly AuditEvent[]): Promise<void> {
  assert(events.length > 0 && events.length <= MAX_EVENTS_PER_APPEND, `audit batch of ${events.length}`);
  for (const event of events) {
    for (const key of Object.keys(event.details ?? {})) {
      assert(!FORBIDDEN_DETAIL_KEYS.test(key), `audit details must not carry secrets (key "${key}")`);
    }
  }
  const head = await lockAppendChain(trx);
  let prevHash = head.last_hash;
  const rows = events.map((event, i) => {
    const row = {
      id: newId<'AuditEntry'>(),
      chain_id: head.chain_id,
      seq: head.last_seq + 1 + i,
      at_ms: event.atMs,
      kind: event.kind,
      actor_type: event.actor.type,
      actor_id: event.actor.id ?? null,
      subject_type: event.subject?.type ?? null,
      subject_id: event.subject?.id ?? null,
      ip: event.ip ?? null,
      details: JSON.stringify(event.details ?? {}),
      prev_hash: prevHash,
    };
    prevHash = rowHash(row);
    return { ...row, hash: prevHash };
  });
  await insertAuditRows(trx, rows);
}

/** Locks the head of the chain this append extends: the one chain of a single writer, else a free one. */
async function lockAppendChain(trx: Kysely<Database>) {
  if (hasSingleWriter(trx)) return lockChainHead(trx, 0);
  // A random start spreads concurrent appends over the chains.
  const start = Math.floor(Math.random() * POSTGRES_CHAINS);
  // Every head is busy: wait for the one we drew.
  return (await lockFreeChainHead(trx, start, POSTGRES_CHAINS)) ?? lockChainHead(trx, start);
}

export type VerifyResult =
  | { ok: true; rows: number; chains: number }
  | { ok: false; rows: number; broken: { chainId: number; seq: number; id: string | null; reason: string } };

/** Walks every chain from its first row and names the first row whose hash or link does not hold. */
export async function verifyAuditLog(db: Kysely<Database>): Promise<VerifyResult> {
  const heads = await chainHeads(db);
  let rows = 0;
  for (const head of heads) {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    for (;;) {
      const batch = await chainRows(db, head.chain_id, expectedSeq - 1, 1000);
      for (const row of batch) {
        const broken = (reason: string) =>
          ({ ok: false, rows, broken: { chainId: head.chain_id, seq: row.seq, id: row.id, reason } }) as const;
        if (row.seq !== expectedSeq) return broken(`row ${expectedSeq} is missing`);
        if (row.prev_hash !== prevHash) return broken('link to the previous row does not match');
        if (rowHash(row) !== row.hash) return broken('row content does not match its hash');
        prevHash = row.hash;
        expectedSeq++;
        rows++;
      }
      if (batch.length < 1000) break;
    }
    if (head.last_seq !== expectedSeq - 1 || head.last_hash !== prevHash) {
      return {
        ok: false,
        rows,
        broken: {
          chainId: head.chain_id,
          seq: expectedSeq,
          id: null,
          reason: 'rows at the end of the chain are missing',
        },
      };
    }
  }
  return { ok: true, rows, chains: heads.length };
}
