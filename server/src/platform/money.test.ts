import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatMoney, MAX_FEN, parseMoney, toChineseCapital } from './money.ts';

describe('money', () => {
  test('parses decimal strings into integer fen', () => {
    assert.deepEqual(parseMoney('1234.56'), { ok: true, fen: 123456 });
    assert.deepEqual(parseMoney('0.01'), { ok: true, fen: 1 });
    assert.deepEqual(parseMoney('7'), { ok: true, fen: 700 });
    assert.deepEqual(parseMoney('7.5'), { ok: true, fen: 750 });
  });

  test('rejects more than two decimals, exponents, separators, spaces and signs', () => {
    for (const text of [
      '1.234',
      '1e3',
      '1,000.00',
      ' 1.00',
      '1.00 ',
      '+1.00',
      '.5',
      '1.',
      '',
      'NaN',
      '0x10',
      '１.00',
    ]) {
      assert.equal(parseMoney(text).ok, false, text);
    }
  });

  test('rejects negative amounts unless allowed, and zero unless allowed', () => {
    assert.deepEqual(parseMoney('-1.00'), { ok: false, reason: 'negative' });
    assert.deepEqual(parseMoney('-1.00', { allowNegative: true }), { ok: true, fen: -100 });
    assert.deepEqual(parseMoney('0.00'), { ok: false, reason: 'zero' });
    assert.deepEqual(parseMoney('0.00', { allowZero: true }), { ok: true, fen: 0 });
  });

  test('rejects amounts over the maximum', () => {
    assert.deepEqual(parseMoney('1000000000000.01'), { ok: false, reason: 'too_large' });
    assert.deepEqual(parseMoney('1000000000000.00'), { ok: true, fen: MAX_FEN });
  });

  test('formats with exactly two fraction digits', () => {
    assert.equal(formatMoney(123456), '1234.56');
    assert.equal(formatMoney(5), '0.05');
    assert.equal(formatMoney(-5), '-0.05');
    assert.equal(formatMoney(0), '0.00');
    assert.throws(() => formatMoney(1.5), /integer/);
  });

  test('format then parse is the identity for every amount in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_FEN, max: MAX_FEN }), (fen) => {
        assert.deepEqual(parseMoney(formatMoney(fen), { allowNegative: true, allowZero: true }), { ok: true, fen });
      }),
    );
  });

  test('parse never accepts a string whose value it cannot represent exactly', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (text) => {
        const result = parseMoney(text, { allowNegative: true, allowZero: true });
        if (result.ok) assert.equal(Number(formatMoney(result.fen)), Number(text));
      }),
    );
  });

  test('writes amounts in Chinese capitals as banks print them', () => {
    assert.equal(toChineseCapital(1234567), '壹万贰仟叁佰肆拾伍元陆角柒分');
    assert.equal(toChineseCapital(12345), '壹佰贰拾叁元肆角伍分');
    assert.equal(toChineseCapital(10000), '壹佰元整');
    assert.equal(toChineseCapital(0), '零元整');
    assert.equal(toChineseCapital(5), '伍分');
    assert.equal(toChineseCapital(100005), '壹仟元零伍分');
    assert.equal(toChineseCapital(10010000), '壹拾万零壹佰元整');
    assert.equal(toChineseCapital(1000000000000), '壹佰亿元整');
    assert.equal(toChineseCapital(1_001_000_000_00), '壹拾亿零壹佰万元整');
    assert.equal(toChineseCapital(2_000_030_000_00), '贰拾亿零叁万元整');
  });
});
