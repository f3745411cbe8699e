/**
 * Approval policies (授权策略), pure: per account and business type, amount tiers (ascending upper
 * bounds), each with ordered levels of k-of-m eligible operators and whether a releaser (授权人) must
 * release after the last level. An amount above the top tier walks the top tier's levels and is then
 * released by the administrator (主管) only. An account without a policy cannot pay.
 */

export type PolicyLevel = { required: number; operators: string[] };
export type PolicyTier = { upToFen: number; levels: PolicyLevel[]; release: boolean };
/** What one instruction must collect, fixed when it is submitted. */
export type ApprovalPlan = { levels: PolicyLevel[]; release: 'releaser' | 'admin' | null };

/** Most tiers, levels and operators per level a policy may hold. */
export const MAX_TIERS = 10;
export const MAX_LEVELS = 5;
export const MAX_LEVEL_OPERATORS = 20;

export type PolicyCheck = { ok: true } | { ok: false; zh: string; en: string };

/** Checks a policy's shape against the enterprise's eligible approvers (ids of active checkers or the admin). */
export function checkTiers(tiers: readonly PolicyTier[], eligible: ReadonlySet<string>): PolicyCheck {
  if (tiers.length === 0 || tiers.length > MAX_TIERS)
    return refuse(`须有 1–${MAX_TIERS} 个金额区间`, `give 1 to ${MAX_TIERS} amount tiers`);
  let previous = 0;
  for (const tier of tiers) {
    if (!(tier.upToFen > previous)) return refuse('金额区间的上限须逐级递增', 'tier upper bounds must increase');
    previous = tier.upToFen;
    if (tier.levels.length === 0 || tier.levels.length > MAX_LEVELS)
      return refuse(`每个区间须有 1–${MAX_LEVELS} 级复核`, `each tier needs 1 to ${MAX_LEVELS} levels`);
    for (const level of tier.levels) {
      const unique = new Set(level.operators);
      if (unique.size !== level.operators.length || unique.size > MAX_LEVEL_OPERATORS)
        return refuse('同一级的授权人不能重复', 'the operators of a level must be distinct');
      if (!Number.isInteger(level.required) || level.required < 1 || level.required > unique.size)
        return refuse(
          '每级所需人数须在 1 与该级授权人数之间',
          'each level needs between 1 and its number of operators',
        );
      for (const id of unique)
        if (!eligible.has(id))
          return refuse('复核人须为本企业的复核员或主管', 'approvers must be checkers or the administrator');
    }
  }
  return { ok: true };
}

/** The plan an amount must walk under these tiers (ascending): its tier, or the top tier and the administrator. */
export function planFor(tiers: readonly PolicyTier[], amountFen: number): ApprovalPlan {
  const tier = tiers.find((t) => amountFen <= t.upToFen);
  if (tier) return { levels: tier.levels, release: tier.release ? 'releaser' : null };
  const top = tiers[tiers.length - 1];
  return { levels: top ? top.levels : [], release: 'admin' };
}

/** Where an instruction stands after these approvals of its current version: the next level, release, or done. */
export function progress(
  plan: ApprovalPlan,
  approvedBy: ReadonlyArray<{ level: number; operatorId: string }>,
): { stage: 'level'; level: number; have: number } | { stage: 'release' } | { stage: 'done' } {
  for (const [index, level] of plan.levels.entries()) {
    const number = index + 1;
    const have = approvedBy.filter((a) => a.level === number && level.operators.includes(a.operatorId)).length;
    if (have < level.required) return { stage: 'level', level: number, have };
  }
  if (plan.release && !approvedBy.some((a) => a.level === 0)) return { stage: 'release' };
  return { stage: 'done' };
}

function refuse(zh: string, en: string): PolicyCheck {
  return { ok: false, zh, en };
}
