import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { checkLimits, type EffectiveLimits } from './limits.ts';

/** A day of payments as the service makes them: each checked against what the ones before it used. */
function acceptedOf(limits: EffectiveLimits, amounts: readonly number[], usedBefore = { today: 0, ever: 0 }) {
  const usage = { todayFen: usedBefore.today, lifetimeFen: usedBefore.ever };
  const accepted: number[] = [];
  for (const amount of amounts) {
    try {
      checkLimits(limits, usage, amount);
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === 'payment.limit_exceeded', String(error));
      continue;
    }
    accepted.push(amount);
    usage.todayFen += amount;
    usage.lifetimeFen += amount;
  }
  return accepted;
}

const limitsArb = fc
  .record({
    perPaymentFen: fc.integer({ min: 1, max: 10_000_000 }),
    dailyFen: fc.integer({ min: 1, max: 50_000_000 }),
    lifetimeFen: fc.option(fc.integer({ min: 1, max: 50_000_000 }), { nil: null }),
  })
  .map(
    (l): EffectiveLimits => ({
      ...l,
      tier: l.lifetimeFen === null ? 'sms' : 'static',
      ownPerPaymentFen: null,
      ownDailyFen: null,
    }),
  );

test('no sequence of payments exceeds the per-payment, daily or lifetime limit', () => {
  fc.assert(
    fc.property(
      limitsArb,
      fc.array(fc.integer({ min: 1, max: 12_000_000 }), { maxLength: 60 }),
      fc.record({ today: fc.integer({ min: 0, max: 1_000_000 }), ever: fc.integer({ min: 0, max: 1_000_000 }) }),
      (limits, amounts, before) => {
        const used = { today: before.today, ever: Math.max(before.ever, before.today) };
        const accepted = acceptedOf(limits, amounts, used);
        const sum = accepted.reduce((a, b) => a + b, 0);
        for (const amount of accepted) assert.ok(amount <= limits.perPaymentFen);
        assert.ok(used.today + sum <= limits.dailyFen || accepted.length === 0);
        if (limits.lifetimeFen !== null) assert.ok(used.ever + sum <= limits.lifetimeFen || accepted.length === 0);
      },
    ),
  );
});

test('a payment that fits is never refused: the limits are exact, not rounded', () => {
  fc.assert(
    fc.property(limitsArb, fc.integer({ min: 0, max: 50_000_000 }), (limits, usedToday) => {
      const room = Math.min(
        limits.perPaymentFen,
        limits.dailyFen - usedToday,
        limits.lifetimeFen === null ? Number.MAX_SAFE_INTEGER : limits.lifetimeFen - usedToday,
      );
      fc.pre(room >= 1);
      assert.doesNotThrow(() => checkLimits(limits, { todayFen: usedToday, lifetimeFen: usedToday }, room));
      assert.throws(() => checkLimits(limits, { todayFen: usedToday, lifetimeFen: usedToday }, room + 1), {
        code: 'payment.limit_exceeded',
      });
    }),
  );
});

test('李娜, static password only, pays ¥200 and ¥100, and then not one fen more', () => {
  const staticTier: EffectiveLimits = {
    tier: 'static',
    perPaymentFen: 30_000,
    dailyFen: 30_000,
    lifetimeFen: 30_000,
    ownPerPaymentFen: null,
    ownDailyFen: null,
  };
  assert.deepEqual(acceptedOf(staticTier, [20_000, 10_000, 1]), [20_000, 10_000]);
});
