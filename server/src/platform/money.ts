import { Type } from 'typebox';
import { assert } from './assert.ts';

/**
 * Money is an integer number of fen (1 yuan = 100 fen) everywhere inside Jinku; the only place that knows
 * about decimal points is this file. JavaScript numbers hold integers exactly up to 2^53, i.e. 90 trillion
 * yuan, far above any balance a retail bank keeps; MAX_FEN keeps every sum of two amounts exact too.
 */
export type Fen = number & { readonly __unit: 'fen' };

/** The largest single amount accepted on the wire: 1 trillion yuan. */
export const MAX_FEN = 100_000_000_000_000 as Fen;

export type Money = { amount: string; currency: 'CNY' };

export type ParseMoneyResult =
  | { ok: true; fen: Fen }
  | { ok: false; reason: 'format' | 'negative' | 'zero' | 'too_large' };

const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d{1,2}))?$/;

/**
 * Parses a decimal string like "1234.56" into fen. At most two fraction digits, no exponent, no spaces,
 * no thousands separators. Negative values only when `allowNegative`; zero only when `allowZero`.
 */
export function parseMoney(
  text: string,
  options: { allowNegative?: boolean; allowZero?: boolean } = {},
): ParseMoneyResult {
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, reason: 'format' };
  const [, sign, whole, fraction = ''] = match;
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (fen > MAX_FEN) return { ok: false, reason: 'too_large' };
  if (sign && fen !== 0 && !options.allowNegative) return { ok: false, reason: 'negative' };
  if (fen === 0 && !options.allowZero) return { ok: false, reason: 'zero' };
  return { ok: true, fen: (sign && fen !== 0 ? -fen : fen) as Fen };
}

/** Formats fen as the wire's decimal string with exactly two fraction digits: 123456 → "1234.56". */
export function formatMoney(fen: number): string {
  assert(Number.isSafeInteger(fen), `amount must be an integer number of fen, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const cents = abs % 100;
  return `${sign}${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}

/** The wire form of an amount in CNY. */
export function money(fen: number): Money {
  return { amount: formatMoney(fen), currency: 'CNY' };
}

/** The response schema of `Money` (API.md, "Conventions"); signed, since a posting's amount is. */
export const MoneySchema = Type.Object({
  amount: Type.String({ pattern: '^-?\\d+\\.\\d{2}$' }),
  currency: Type.Literal('CNY'),
});

/** An amount as printed on receipts and statements, thousands grouped: 1234512 → "12,345.12". */
export function formatMoneyGrouped(fen: number): string {
  const [whole = '0', fraction = '00'] = formatMoney(fen).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** Checks that `fen` is a usable amount: a safe integer, positive unless zero is allowed. */
export function assertFen(fen: number, what = 'amount'): asserts fen is Fen {
  assert(Number.isSafeInteger(fen), `${what} must be an integer number of fen, got ${fen}`);
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/**
 * Writes an amount in Chinese capital numerals the way banks print it on confirmations and receipts
 * (大写金额): 12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分; whole amounts end in 整.
 */
export function toChineseCapital(fen: number): string {
  assertFen(fen);
  assert(fen >= 0, 'capital amounts are written for non-negative values');
  const yuan = Math.trunc(fen / 100);
  const jiao = Math.trunc(fen / 10) % 10;
  const cent = fen % 10;
  let text = yuan === 0 ? '' : `${yuanToCapital(yuan)}元`;
  if (jiao === 0 && cent === 0) return yuan === 0 ? '零元整' : `${text}整`;
  if (jiao > 0) text += `${DIGITS[jiao]}角`;
  else if (yuan > 0) text += '零';
  if (cent > 0) text += `${DIGITS[cent]}分`;
  return text;
}

function yuanToCapital(yuan: number): string {
  const groups: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.trunc(rest / 10_000)) groups.push(rest % 10_000);
  let text = '';
  let pendingZero = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g]!;
    if (group === 0) {
      pendingZero = text !== '';
      continue;
    }
    if (text !== '' && (pendingZero || group < 1000)) text += '零';
    text += groupToCapital(group) + BIG_UNITS[g];
    pendingZero = false;
  }
  return text;
}

function groupToCapital(group: number): string {
  let text = '';
  let zero = false;
  for (let position = 3; position >= 0; position--) {
    const digit = Math.trunc(group / 10 ** position) % 10;
    if (digit === 0) {
      zero = text !== '';
      continue;
    }
    if (zero) text += '零';
    text += DIGITS[digit]! + SMALL_UNITS[position];
    zero = false;
  }
  return text;
}
