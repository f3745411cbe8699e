import { canonicalJson } from '../ledger/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { money, parseMoney } from '../platform/money.ts';
import { askOperatorKey, checkOperatorKey, type Signed, sha256Hex } from './common.ts';
import { corporateErrors as errors } from './errors.ts';
import { requireAdmin } from './operators.ts';
import { checkTiers, type PolicyTier } from './policy.ts';
import { audit, type CorpSession } from './sessions.ts';
import {
  accountsOfEnterprise,
  type BusinessType,
  lockEnterprise,
  operatorsOf,
  type PolicyRow,
  policiesOf,
  replacePolicies,
} from './store.ts';

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock'>;
const CHANGE_PURPOSE = 'corporate.policies';

export type PolicyInput = {
  accountId: string;
  businessType: BusinessType;
  tiers: Array<{
    upTo: { amount: string };
    levels: Array<{ required: number; operators: string[] }>;
    release: boolean;
  }>;
};

/** The stored tiers of a policy row. */
export function tiersOf(row: PolicyRow): PolicyTier[] {
  return JSON.parse(row.tiers) as PolicyTier[];
}

/** The enterprise's approval policies. */
export async function listPolicies(ctx: Ctx, session: CorpSession) {
  const rows = await policiesOf(ctx.db.kysely, session.enterprise.id);
  return {
    items: rows.map((row) => ({
      accountId: row.account_id,
      businessType: row.business_type,
      tiers: tiersOf(row).map((t) => ({ upTo: money(t.upToFen), levels: t.levels, release: t.release })),
      updatedAt: isoTime(row.updated_at_ms),
    })),
  };
}

/**
 * Replaces the enterprise's policies (a PUT of the whole set) by the authorization pattern: the
 * administrator's key signs exactly this set; the change is audited with its hash.
 */
export async function putPolicies(
  ctx: Ctx,
  session: CorpSession,
  input: { policies: PolicyInput[]; authorization?: Signed | undefined },
  ip: string | null,
) {
  requireAdmin(session);
  const binding = `corp-policies:${session.enterprise.id}:${canonicalJson(input.policies)}`;
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    await lockEnterprise(trx, session.enterprise.id);
    const rows = await checkedPolicies(trx, ctx, session, input.policies);
    if (!input.authorization) {
      const asked = await askOperatorKey(trx, ctx, session.operator, CHANGE_PURPOSE, binding);
      return {
        status: 202 as const,
        body: { status: 'authorization_required' as const, ...asked, canonicalHash: sha256Hex(binding) },
      };
    }
    const refused = await checkOperatorKey(
      trx,
      ctx,
      session.operator,
      CHANGE_PURPOSE,
      binding,
      input.authorization,
      ip,
    );
    if (refused) return { status: 'refused' as const, error: refused };
    await replacePolicies(trx, session.enterprise.id, rows);
    await audit(trx, session.operator, 'corporate.policies_changed', ctx.clock.nowMs(), ip, {
      policies: rows.length,
      hash: sha256Hex(binding),
    });
    return { status: 200 as const };
  });
  if (outcome.status === 'refused') throw outcome.error;
  if (outcome.status === 202) return outcome;
  return { status: 200 as const, body: await listPolicies(ctx, session) };
}

async function checkedPolicies(
  trx: Parameters<typeof accountsOfEnterprise>[0],
  ctx: Ctx,
  session: CorpSession,
  policies: PolicyInput[],
): Promise<PolicyRow[]> {
  const own = new Set(await accountsOfEnterprise(trx, session.enterprise.id));
  const operators = await operatorsOf(trx, session.enterprise.id);
  const eligible = new Set(
    operators.filter((o) => o.status === 'active' && (o.role === 'checker' || o.role === 'admin')).map((o) => o.id),
  );
  const seen = new Set<string>();
  const nowMs = ctx.clock.nowMs();
  return policies.map((policy) => {
    if (!own.has(policy.accountId)) throw new AppError(errors['corporate.account_not_allowed']);
    const key = `${policy.accountId}:${policy.businessType}`;
    if (seen.has(key))
      throw new AppError(errors['corporate.policy_invalid'], {
        reason: '同一账户同一业务只能有一条策略',
        reasonEn: 'one policy per account and business type',
      });
    seen.add(key);
    const tiers: PolicyTier[] = policy.tiers.map((t) => {
      const upTo = parseMoney(t.upTo.amount);
      if (!upTo.ok)
        throw new AppError(errors['corporate.policy_invalid'], { reason: '金额有误', reasonEn: 'bad amount' });
      return { upToFen: upTo.fen, levels: t.levels, release: t.release };
    });
    const check = checkTiers(tiers, eligible);
    if (!check.ok) throw new AppError(errors['corporate.policy_invalid'], { reason: check.zh, reasonEn: check.en });
    return {
      account_id: policy.accountId,
      business_type: policy.businessType,
      enterprise_id: session.enterprise.id,
      tiers: JSON.stringify(tiers),
      updated_by: session.operator.id,
      updated_at_ms: nowMs,
    };
  });
}
