import type { Kysely } from 'kysely';
import { lockCustomer } from '../customers/index.ts';
import type { Database } from '../database.ts';
import { type Tier, tierOf } from '../media/index.ts';
import { chinaDayStartMs } from '../platform/business-day.ts';
import type { Config, TierLimits } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { formatMoney } from '../platform/money.ts';
import { paymentErrors as errors } from './errors.ts';
import { customerLimit, spentSinceFen } from './store.ts';

export type EffectiveLimits = TierLimits & { tier: Tier; ownPerPaymentFen: number | null; ownDailyFen: number | null };

/** The tier's limits (from configuration) narrowed by the customer's own lower limits. */
export async function limitsOf(
  db: Kysely<Database>,
  config: Pick<Config, 'tierLimits'>,
  customerId: string,
  tier: Tier,
): Promise<EffectiveLimits> {
  const own = await customerLimit(db, customerId);
  const base = config.tierLimits[tier];
  return {
    tier,
    perPaymentFen: Math.min(base.perPaymentFen, own?.per_payment_fen ?? Number.MAX_SAFE_INTEGER),
    dailyFen: Math.min(base.dailyFen, own?.daily_fen ?? Number.MAX_SAFE_INTEGER),
    lifetimeFen: base.lifetimeFen,
    ownPerPaymentFen: own?.per_payment_fen ?? null,
    ownDailyFen: own?.daily_fen ?? null,
  };
}

export type LimitUsage = { todayFen: number; lifetimeFen: number };

/** What a customer paid since an instant by a kind of payment another domain owns (bill payments). */
export type SpendingSource = (db: Kysely<Database>, customerId: string, sinceMs: number) => Promise<number>;

const spendingSources = new Map<string, SpendingSource>();

/**
 * Counts another domain's payments against the same limits as transfers (ARCHITECTURE.md, "Tiers and
 * limits": one daily limit for everything a customer pays out). The owning domain registers how to sum
 * its own table, so payments never reads it; registering a name again replaces its source.
 */
export function registerSpending(name: string, source: SpendingSource): void {
  spendingSources.set(name, source);
}

async function spentEverywhereSinceFen(db: Kysely<Database>, customerId: string, sinceMs: number) {
  let total = await spentSinceFen(db, customerId, sinceMs);
  for (const source of spendingSources.values()) total += await source(db, customerId, sinceMs);
  return total;
}

/** What the customer has paid today (daily limits reset at local midnight) and ever. */
export async function usageOf(db: Kysely<Database>, customerId: string, nowMs: number): Promise<LimitUsage> {
  return {
    todayFen: await spentEverywhereSinceFen(db, customerId, chinaDayStartMs(nowMs)),
    lifetimeFen: await spentEverywhereSinceFen(db, customerId, 0),
  };
}

/**
 * Refuses a payment of another domain (a bill payment) that would exceed the customer's limits, in the
 * caller's transaction: the customer's row is locked first, so two payments at once cannot both fit
 * under what is left.
 */
export async function checkPaymentLimits(
  trx: Kysely<Database>,
  config: Pick<Config, 'tierLimits'>,
  input: { customerId: string; amountFen: number; nowMs: number },
): Promise<void> {
  await lockCustomer(trx, input.customerId);
  const limits = await limitsOf(trx, config, input.customerId, await tierOf(trx, input.customerId));
  checkLimits(limits, await usageOf(trx, input.customerId, input.nowMs), input.amountFen);
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
