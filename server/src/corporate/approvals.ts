import { accountBy, isCardNumber } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { BANK_ACCOUNTS, bankAccountId } from '../ledger/index.ts';
import { postEntryAndTell } from '../payments/index.ts';
import { chinaDayStartMs } from '../platform/business-day.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { formatMoney } from '../platform/money.ts';
import { askOperatorKey, checkOperatorKey, type Signed, sha256Hex } from './common.ts';
import { corporateErrors as errors } from './errors.ts';
import { runBatch, startBatch } from './payroll.ts';
import { progress } from './policy.ts';
import { audit, type CorpSession } from './sessions.ts';
import {
  type ApprovalRow,
  approvalsOf,
  approvedSince,
  type EnterpriseRow,
  executedSince,
  type InstructionRow,
  insertApproval,
  instructionById,
  lockEnterprise,
  lockOperator,
  type OperatorRow,
  updateInstruction,
} from './store.ts';
import {
  type Ctx,
  SIGN_PURPOSE,
  OWN_BANK_CODE,
  canonicalForm,
  checkOperatorLimit,
  openInstruction,
  instructionStep,
  checkSigner,
  current,
  batchIdOf,
} from './instruction-rules.ts';
import { viewOf } from './instruction-view.ts';

/**
 * Payment instructions (付款指令) and their approval chain: a maker enters one, it walks the levels of
 * the policy its amount falls in (k of m eligible checkers at each), a releaser or, above the top tier,
 * the administrator releases it, and it executes as one ledger entry. Each signature is the signer's
 * own key over the instruction's canonical form (dynamic linking: account, payee, amount, purpose,
 * version); the maker never signs, nobody signs one version twice, an edit makes a new version whose
 * approvals start again. Every step locks in one order — enterprise, operator, instruction, then the
 * ledger's accounts — so concurrent approvals cannot both spend the enterprise's daily limit.
 */

/**
 * Approves (a level's signature or the release) by the authorization pattern: without an answer the
 * signer's key is asked for a challenge over the canonical form (202); with the right answer the
 * signature is recorded, the instruction moves on, and the last one executes it in the same transaction.
 */
export async function approvePayment(
  ctx: Ctx,
  session: CorpSession,
  id: string,
  authorization: Signed | undefined,
  ip: string | null,
) {
  const outcome = await instructionStep(ctx, async (trx) => {
    const enterprise = await lockEnterprise(trx, session.enterprise.id);
    const signer = await lockOperator(trx, session.operator.id);
    if (!enterprise || signer?.status !== 'active') throw new AppError(errors['corporate.session_required']);
    const row = await openInstruction(trx, ctx, enterprise, id, ['pending', 'pending_release']);
    const approvals = await approvalsOf(trx, row.id);
    const { plan, stage } = checkSigner(row, signer, approvals);
    const nowMs = ctx.clock.nowMs();
    checkOperatorLimit(signer, row.amount_fen, await approvedSince(trx, signer.id, chinaDayStartMs(nowMs)));
    const binding = await canonicalForm(trx, enterprise, row);
    if (!authorization) {
      const asked = await askOperatorKey(trx, ctx, signer, SIGN_PURPOSE, binding);
      return {
        status: 202 as const,
        body: { status: 'authorization_required' as const, ...asked, canonicalHash: sha256Hex(binding) },
      };
    }
    const refused = await checkOperatorKey(trx, ctx, signer, SIGN_PURPOSE, binding, authorization, ip);
    if (refused) return { status: 'refused' as const, error: refused };
    const level = stage.stage === 'level' ? stage.level : 0;
    const approval: ApprovalRow = {
      id: newId<'Approval'>(),
      instruction_id: row.id,
      version: row.version,
      level,
      operator_id: signer.id,
      decision: 'approve',
      amount_fen: row.amount_fen,
      signed_hash: sha256Hex(binding),
      reason: null,
      created_at_ms: nowMs,
    };
    await insertApproval(trx, approval);
    await audit(trx, signer, level === 0 ? 'corporate.payment_released' : 'corporate.payment_approved', nowMs, ip, {
      instructionId: row.id,
      version: row.version,
      level,
      signedHash: approval.signed_hash,
    });
    const next = progress(plan, current(row, [...approvals, approval]));
    if (next.stage === 'done') await execute(trx, ctx, enterprise, signer, row, ip);
    else
      await updateInstruction(trx, row.id, {
        state: next.stage === 'release' ? 'pending_release' : 'pending',
        level: next.stage === 'level' ? next.level : row.level,
        updated_at_ms: nowMs,
      });
    return { status: 200 as const };
  });
  if (outcome.status === 'refused') throw outcome.error;
  if (outcome.status === 202) return outcome;
  const instruction = await instructionById(ctx.db.kysely, id);
  if (instruction?.kind === 'payroll' && instruction.state === 'executed') await runBatch(ctx, batchIdOf(instruction));
  return { status: 200 as const, body: await viewOf(ctx, session, id) };
}

/** Rejects by the same pattern: the signer's key signs the rejection; the instruction stops there. */
export async function rejectPayment(
  ctx: Ctx,
  session: CorpSession,
  id: string,
  input: { reason: string; authorization?: Signed | undefined },
  ip: string | null,
) {
  const outcome = await instructionStep(ctx, async (trx) => {
    const enterprise = await lockEnterprise(trx, session.enterprise.id);
    const signer = await lockOperator(trx, session.operator.id);
    if (!enterprise || signer?.status !== 'active') throw new AppError(errors['corporate.session_required']);
    const row = await openInstruction(trx, ctx, enterprise, id, ['pending', 'pending_release']);
    const approvals = await approvalsOf(trx, row.id);
    const { stage } = checkSigner(row, signer, approvals);
    const binding = `reject:${input.reason}:${await canonicalForm(trx, enterprise, row)}`;
    if (!input.authorization) {
      const asked = await askOperatorKey(trx, ctx, signer, SIGN_PURPOSE, binding);
      return {
        status: 202 as const,
        body: { status: 'authorization_required' as const, ...asked, canonicalHash: sha256Hex(binding) },
      };
    }
    const refused = await checkOperatorKey(trx, ctx, signer, SIGN_PURPOSE, binding, input.authorization, ip);
    if (refused) return { status: 'refused' as const, error: refused };
    const nowMs = ctx.clock.nowMs();
    await insertApproval(trx, {
      id: newId<'Approval'>(),
      instruction_id: row.id,
      version: row.version,
      level: stage.stage === 'level' ? stage.level : 0,
      operator_id: signer.id,
      decision: 'reject',
      amount_fen: row.amount_fen,
      signed_hash: sha256Hex(binding),
      reason: input.reason,
      created_at_ms: nowMs,
    });
    await updateInstruction(trx, row.id, { state: 'rejected', reason: input.reason, updated_at_ms: nowMs });
    await audit(trx, signer, 'corporate.payment_rejected', nowMs, ip, { instructionId: row.id, version: row.version });
    return { status: 200 as const };
  });
  if (outcome.status === 'refused') throw outcome.error;
  if (outcome.status === 202) return outcome;
  return { status: 200 as const, body: await viewOf(ctx, session, id) };
}

/**
 * Executes an approved instruction as one ledger entry (to the payee's account here, or to clearing for
 * another bank), within the enterprise's daily limit, which is summed under the enterprise's lock.
 */
async function execute(
  trx: Tx,
  ctx: Ctx,
  enterprise: EnterpriseRow,
  signer: OperatorRow,
  row: InstructionRow,
  ip: string | null,
): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const used = await executedSince(trx, enterprise.id, chinaDayStartMs(nowMs));
  if (used + row.amount_fen > enterprise.daily_limit_fen)
    throw new AppError(errors['corporate.enterprise_limit'], {
      daily: formatMoney(enterprise.daily_limit_fen),
      used: formatMoney(used),
    });
  if (row.kind === 'payroll') {
    // The lines post one by one after this transaction (payroll.ts): here the batch is released to run.
    await startBatch(trx, batchIdOf(row), nowMs);
    await updateInstruction(trx, row.id, { state: 'executed', executed_at_ms: nowMs, updated_at_ms: nowMs });
    await audit(trx, signer, 'corporate.batch_released', nowMs, ip, {
      instructionId: row.id,
      amountFen: row.amount_fen,
    });
    return;
  }
  const payee =
    row.payee_bank === OWN_BANK_CODE
      ? await accountBy(trx, isCardNumber(row.payee_account) ? 'card_number' : 'account_number', row.payee_account)
      : undefined;
  if (row.payee_bank === OWN_BANK_CODE && payee?.status !== 'active')
    throw new AppError(errors['corporate.payee_invalid']);
  const to = payee ? payee.id : await bankAccountId(trx, BANK_ACCOUNTS.clearing.code);
  let entryId: string;
  try {
    const posted = await postEntryAndTell(trx, {
      kind: 'corporate_payment',
      reference: `corporate:${row.id}`,
      memo: row.purpose,
      postedAtMs: nowMs,
      postings: [
        { accountId: row.from_account_id, amountFen: -row.amount_fen, counterparty: row.payee_name, memo: row.purpose },
        { accountId: to, amountFen: row.amount_fen, counterparty: enterprise.name, memo: row.purpose },
      ],
    });
    entryId = posted.entryId;
  } catch (error) {
    if (error instanceof AppError && error.code === 'payment.insufficient_funds')
      throw new AppError(errors['corporate.insufficient_funds']);
    throw error;
  }
  await updateInstruction(trx, row.id, {
    state: 'executed',
    entry_id: entryId,
    executed_at_ms: nowMs,
    updated_at_ms: nowMs,
    // Another bank's payee: the money waits in clearing for its answer (clearing.ts).
    ...(payee
      ? {}
      : { clearing: 'pending' as const, clearing_due_at_ms: nowMs + ctx.config.clearingSettleDelaySeconds * 1000 }),
  });
  await audit(trx, signer, 'corporate.payment_executed', nowMs, ip, {
    instructionId: row.id,
    entryId,
    amountFen: row.amount_fen,
    payeeBank: row.payee_bank,
  });
}
