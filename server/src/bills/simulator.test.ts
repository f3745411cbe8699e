import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BILL_CATEGORIES, type BillCategory } from './catalogue.ts';
import { checkAmount } from './payment.ts';
import { billingPeriod, simulatedBill } from './simulator.ts';

const at = (iso: string) => Date.parse(iso);

test('the billing period is last month in Beijing, across the year and the UTC date line', () => {
  assert.equal(billingPeriod(at('2026-12-05T06:00:00Z')), '2026-11');
  assert.equal(billingPeriod(at('2026-01-15T00:00:00Z')), '2025-12');
  // 23:30 UTC on 31 January is already 1 February in Beijing.
  assert.equal(billingPeriod(at('2026-01-31T23:30:00Z')), '2026-01');
});

test('a simulated bill is the same for the same account and period, within its category’s range', () => {
  const nowMs = at('2026-12-05T06:00:00Z');
  fc.assert(
    fc.property(
      fc.constantFrom(...BILL_CATEGORIES.filter((c) => c !== 'mobile')),
      fc.stringMatching(/^\d{8,10}$/).filter((s) => !s.endsWith('0000')),
      (category: BillCategory, account: string) => {
        const biller = { id: `test-${category}`, category };
        const bill = simulatedBill(biller, account, nowMs);
        assert.deepEqual(simulatedBill(biller, account, nowMs), bill);
        assert.ok(bill.found && bill.billedFen !== null && Number.isSafeInteger(bill.billedFen));
        assert.ok(bill.billedFen >= 2_000 && bill.billedFen <= 600_000);
        assert.match(bill.holderName, /^\p{Script=Han}{1,2}\*{1,2}$/u);
        assert.equal(bill.period, '2026-11');
      },
    ),
  );
});

test('an account ending in 0000 does not exist; a top-up has no amount due and no period', () => {
  const nowMs = at('2026-12-05T06:00:00Z');
  assert.deepEqual(simulatedBill({ id: 'sgcc-beijing', category: 'electricity' }, '1234560000', nowMs), {
    found: false,
  });
  const topUp = simulatedBill({ id: 'china-mobile', category: 'mobile' }, '13800138000', nowMs);
  assert.ok(topUp.found);
  assert.equal(topUp.billedFen, null);
  assert.equal(topUp.period, null);
});

test('a bill takes part of what is due or all of it, never more, and nothing once paid', () => {
  assert.doesNotThrow(() => checkAmount({ amountDueFen: 10_000 }, 10_000));
  assert.doesNotThrow(() => checkAmount({ amountDueFen: 10_000 }, 1));
  assert.throws(() => checkAmount({ amountDueFen: 10_000 }, 10_001), { code: 'bills.amount_above_due' });
  assert.throws(() => checkAmount({ amountDueFen: 0 }, 1), { code: 'bills.nothing_due' });
  assert.throws(() => checkAmount({ amountDueFen: null }, 999), { code: 'bills.top_up_amount_invalid' });
  assert.doesNotThrow(() => checkAmount({ amountDueFen: null }, 3_000));
  assert.throws(() => checkAmount({ amountDueFen: null }, 50_001), { code: 'bills.top_up_amount_invalid' });
});
