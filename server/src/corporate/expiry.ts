import { appendAudit } from '../audit/index.ts';
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { type InstructionRow, lapsedInstructions, lockInstruction, updateInstruction } from './store.ts';

/**
 * Pending instructions (payments and payroll batches alike) expire once the enterprise's approval time
 * has passed without the last signature: read by someone or not. The corporate job loop marks them, and
 * any step that opens one marks it first; either way the expiry is written once and audited.
 */

type Ctx = Pick<AppContext, 'db' | 'clock'>;
const IDS_PER_QUERY = 50;
const MAX_QUERIES_PER_RUN = 20;

/** Marks a locked instruction expired when its time has lapsed; true when it did. */
export async function expireIfLapsed(trx: Tx, row: InstructionRow, nowMs: number): Promise<boolean> {
  if ((row.state !== 'pending' && row.state !== 'pending_release') || row.expires_at_ms > nowMs) return false;
  await updateInstruction(trx, row.id, { state: 'expired', updated_at_ms: nowMs });
  await appendAudit(trx, {
    kind: 'corporate.payment_expired',
    atMs: nowMs,
    actor: { type: 'system', id: 'corporate' },
    subject: { type: 'corporate_instruction', id: row.id },
    details: { enterpriseId: row.enterprise_id, kind: row.kind, version: row.version, level: row.level },
  });
  return true;
}

/** Expires every lapsed instruction, each in its own transaction; returns how many. */
export async function expireLapsed(ctx: Ctx): Promise<number> {
  let expired = 0;
  for (let round = 0; round < MAX_QUERIES_PER_RUN; round++) {
    const ids = await lapsedInstructions(ctx.db.kysely, ctx.clock.nowMs(), IDS_PER_QUERY);
    for (const id of ids) {
      const done = await withTransaction(ctx.db.kysely, async (trx) => {
        const row = await lockInstruction(trx, id);
        return row ? expireIfLapsed(trx, row, ctx.clock.nowMs()) : false;
      });
      if (done) expired++;
    }
    if (ids.length < IDS_PER_QUERY) break;
  }
  return expired;
}
