import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  chinaStamp,
  chinaDate,
  chinaDateStartMs,
  chinaDateTime,
  chinaDay,
  chinaDayStartMs,
  chinaIso,
  nextChinaMidnightMs,
} from './business-day.ts';

test('the local day turns over at midnight in China, 16:00 UTC', () => {
  const before = Date.parse('2026-12-04T15:59:59.999Z');
  const after = Date.parse('2026-12-04T16:00:00.000Z');
  assert.equal(chinaDate(before), '2026-12-04');
  assert.equal(chinaDate(after), '2026-12-05');
  assert.equal(chinaDay(after) - chinaDay(before), 1);
  assert.equal(nextChinaMidnightMs(before), after);
  assert.equal(chinaDayStartMs(after), after);
  assert.equal(chinaDateStartMs('2026-12-05'), after);
});

test('times people read are local', () => {
  const ms = Date.parse('2026-12-04T08:05:09Z');
  assert.equal(chinaDateTime(ms), '2026-12-04 16:05');
  assert.equal(chinaIso(ms), '2026-12-04T16:05:09+08:00');
  assert.equal(Date.parse(chinaIso(ms)), ms);
});

test('every instant lies in [its day start, the next midnight)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
      const start = chinaDayStartMs(ms);
      const next = nextChinaMidnightMs(ms);
      assert.ok(start <= ms && ms < next);
      assert.equal(next - start, 86_400_000);
      assert.equal(chinaDateStartMs(chinaDate(ms)), start);
    }),
  );
});

test('a document stamp is Beijing time to the second with the offset written out', () => {
  assert.equal(chinaStamp(Date.UTC(2026, 11, 4, 13, 45, 6)), '2026-12-04 21:45:06 +08:00');
  assert.equal(chinaStamp(Date.UTC(2026, 11, 31, 16, 0, 0)), '2027-01-01 00:00:00 +08:00');
});
