import type { Kysely } from 'kysely';
import { nextChinaMidnightMs } from '../customers/index.ts';
import type { Database } from '../database.ts';
import type { Tier } from '../media/index.ts';
import { AppError } from '../platform/errors.ts';
import { formatMoney } from '../platform/money.ts';
import { paymentErrors as errors } from './errors.ts';
import { customerLimit, spentSinceFen } from './store.ts';

/**
 * Payment limits per tier. A static-password user may pay 300 yuan in total, ever, until they get a
 * stronger medium at the counter (seed 001); the others have per-payment and per-day limits, the
 * U-shield's so high that it is, as the bank says, "not controlled by the transaction limit".
 */
export type TierLimits = { perPaymentFen: number; dailyFen: number; lifetimeFen: number | null };

export const TIER_LIMITS: Readonly<Record<Tier, TierLimits>> = {
  static: { perPaymentFen: 30_000, dailyFen: 30_000, lifetimeFen: 30_000 },
  sms: { perPaymentFen: 500_000, dailyFen: 1_000_000, lifetimeFen: null },
  password_card: { perPaymentFen: 1_000_000, dailyFen: 5_000_000, lifetimeFen: null },
  e_token: { perPaymentFen: 50_000_000, dailyFen: 100_000_000, lifetimeFen: null },
  u_shield: { perPaymentFen: 100_000_000, dailyFen: 500_000_000, lifetimeFen: null },
};

export type EffectiveLimits = TierLimits & { tier: Tier; ownPerPaymentFen: number | null; ownDailyFen: number | null };

/** The tier's limits narrowed by the customer's own lower limits. */
export async function limitsOf(db: Kysely<Database>, customerId: string, tier: Tier): Promise<EffectiveLimits> {
  const own = await customerLimit(db, customerId);
  const base = TIER_LIMITS[tier];
  return {
    tier,
    perPaymentFen: Math.min(base.perPaymentFen, own?.per_payment_fen ?? Number.MAX_SAFE_INTEGER),
    dailyFen: Math.min(base.dailyFen, own?.daily_fen ?? Number.MAX_SAFE_INTEGER),
    lifetimeFen: base.lifetimeFen,
    ownPerPaymentFen: own?.per_payment_fen ?? null,
    ownDailyFen: own?.daily_fen ?? null,
  };
}

/** Start of today in China (UTC+8): daily limits reset at local midnight. */
export function chinaDayStartMs(nowMs: number): number {
  return nextChinaMidnightMs(nowMs) - 86_400_000;
}

export type LimitUsage = { todayFen: number; lifetimeFen: number };

export async function usageOf(db: Kysely<Database>, customerId: string, nowMs: number): Promise<LimitUsage> {
  return {
    todayFen: await spentSinceFen(db, customerId, chinaDayStartMs(nowMs)),
    lifetimeFen: await spentSinceFen(db, customerId, 0),
  };
}

/** Refuses a payment that would exceed any limit, naming which one and what is left. Pure. */
export function checkLimits(limits: EffectiveLimits, usage: LimitUsage, amountFen: number): void {
  const checks: Array<[string, string, number, number]> = [
    ['单笔限额', 'per-payment limit', limits.perPaymentFen, 0],
    ['日累计限额', 'daily limit', limits.dailyFen, usage.todayFen],
  ];
  if (limits.lifetimeFen !== null)
    checks.push([
      '静态密码用户累计限额',
      'total limit for static-password users',
      limits.lifetimeFen,
      usage.lifetimeFen,
    ]);
  for (const [which, whichEn, limit, used] of checks) {
    if (used + amountFen > limit) {
      const left = Math.max(0, limit - used);
      throw new AppError(errors['payment.limit_exceeded'], {
        which,
        whichEn,
        limit: formatMoney(limit),
        left: formatMoney(left),
      });
    }
  }
}
