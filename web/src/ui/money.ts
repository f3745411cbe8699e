import { formatMoney as formatFen, parseMoney, toChineseCapital } from '../../../server/src/platform/money.ts';

/**
 * Display of API money values (`{"amount": "1234.56", "currency": "CNY"}`). Parsing and the Chinese
 * capitals come from the server's own money module, so the page and the receipt can never disagree;
 * nothing here turns an amount into a floating-point number.
 */
export type Money = { amount: string; currency: string };

const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', GBP: '£', JPY: '¥' };

/** The amount in fen, or undefined when it is not a decimal string with at most two fraction digits. */
export function toFen(amount: string): number | undefined {
  const result = parseMoney(amount.trim().replace(/^\+/, ''), { allowNegative: true, allowZero: true });
  return result.ok ? result.fen : undefined;
}

function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The currency symbol, or the ISO code for currencies without one. */
export function currencySymbol(currency: string): string {
  return SYMBOLS[currency] ?? currency;
}

/**
 * `"12345.67"` → `"12,345.67"`; with `sign: 'always'` a credit reads `"+12,345.67"`. Negative amounts
 * use a true minus sign (U+2212) so that screen readers and tabular figures line up.
 */
export function formatAmount(amount: string, options: { sign?: 'auto' | 'always' } = {}): string {
  const fen = toFen(amount);
  if (fen === undefined) return amount;
  const [integer = '0', fraction = '00'] = formatFen(Math.abs(fen)).split('.');
  const body = `${group(integer)}.${fraction}`;
  if (fen < 0) return `\u2212${body}`;
  return options.sign === 'always' && fen > 0 ? `+${body}` : body;
}

/** `{amount: "12345.67", currency: "CNY"}` → `"¥ 12,345.67"` (sign before the symbol when negative). */
export function formatMoney(money: Money, options: { sign?: 'auto' | 'always' } = {}): string {
  const text = formatAmount(money.amount, options);
  const symbol = currencySymbol(money.currency);
  if (text.startsWith('\u2212') || text.startsWith('+')) return `${text[0]}${symbol} ${text.slice(1)}`;
  return `${symbol} ${text}`;
}

/** True for amounts below zero. */
export function isNegative(amount: string): boolean {
  return (toFen(amount) ?? 0) < 0;
}

/**
 * The amount in Chinese financial capitals as printed on confirmations and receipts:
 * `"12345.67"` → `"壹万贰仟叁佰肆拾伍元陆角柒分"`, `"100.00"` → `"壹佰元整"`.
 */
export function toChineseCapitals(amount: string): string {
  const fen = toFen(amount);
  if (fen === undefined) return amount;
  return (fen < 0 ? '负' : '') + toChineseCapital(Math.abs(fen));
}

/**
 * What a customer typed into an amount field (`"1,234.5"`, `"１２３"` with full-width digits, `" 100 "`)
 * as the API's decimal string (`"1234.50"`), or an error reason. Positive amounts only.
 */
export function parseAmountInput(
  text: string,
): { ok: true; amount: string; fen: number } | { ok: false; reason: 'empty' | 'format' | 'zero' | 'too_large' } {
  const normalized = text
    .replace(/[\uFF10-\uFF19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/\uFF0E|\u3002/g, '.')
    .replace(/[,，\s]/g, '');
  if (normalized === '') return { ok: false, reason: 'empty' };
  const result = parseMoney(normalized);
  if (!result.ok) return { ok: false, reason: result.reason === 'negative' ? 'format' : result.reason };
  return { ok: true, amount: formatFen(result.fen), fen: result.fen };
}

/** Fen as an API money value: `123456, 'CNY'` → `{amount: "1234.56", currency: "CNY"}`. */
export function fenToMoney(fen: number, currency = 'CNY'): Money {
  return { amount: formatFen(fen), currency };
}
