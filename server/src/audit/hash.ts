import { createHash } from 'node:crypto';
import type { AuditRow } from './store.ts';

/** The hash that starts every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over the previous row's hash and every field of this row, in a fixed order and encoding, so
 * that changing, inserting or removing any row breaks the chain from that row on.
 */
export function rowHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.prev_hash,
    row.id,
    row.chain_id,
    row.seq,
    row.at_ms,
    row.kind,
    row.actor_type,
    row.actor_id,
    row.subject_type,
    row.subject_id,
    row.ip,
    row.details,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
