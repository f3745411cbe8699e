/**
 * Formatting of API money values (`{"amount": "1234.56", "currency": "CNY"}`). Amounts stay decimal
 * strings end to end: nothing here turns them into floating-point numbers.
 */
export type Money = { amount: string; currency: string };

const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', GBP: '£', JPY: '¥' };
const AMOUNT = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/;

type Parts = { negative: boolean; integer: string; fraction: string };

function parse(amount: string): Parts | undefined {
  const match = AMOUNT.exec(amount.trim());
  if (!match) return undefined;
  const integer = (match[2] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').padEnd(2, '0');
  const negative = match[1] === '-' && /[1-9]/.test(integer + fraction);
  return { negative, integer, fraction };
}

function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The currency symbol, or the ISO code with a space for currencies without one. */
export function currencySymbol(currency: string): string {
  return SYMBOLS[currency] ?? currency;
}

/**
 * `"12345.67"` → `"12,345.67"`; with `sign: 'always'` a credit reads `"+12,345.67"`. Negative amounts
 * use a true minus sign (U+2212) so that screen readers and tabular figures line up.
 */
export function formatAmount(amount: string, options: { sign?: 'auto' | 'always' } = {}): string {
  const parts = parse(amount);
  if (!parts) return amount;
  const body = `${group(parts.integer)}.${parts.fraction}`;
  if (parts.negative) return `\u2212${body}`;
  return options.sign === 'always' && /[1-9]/.test(parts.integer + parts.fraction) ? `+${body}` : body;
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
  return parse(amount)?.negative ?? false;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/**
 * The amount in Chinese financial capitals as printed on confirmations and receipts:
 * `"12345.67"` → `"壹万贰仟叁佰肆拾伍元陆角柒分"`, `"100.00"` → `"壹佰元整"`.
 * Follows the usual banking conventions: one 零 for each run of zeros, 整 when there are no fen.
 */
export function toChineseCapitals(amount: string): string {
  const parts = parse(amount);
  if (!parts) return amount;
  const integer = parts.integer.replace(/^0+/, '');
  if (integer.length > 16) return amount;
  let yuan = '';
  const groups: string[] = [];
  for (let end = integer.length; end > 0; end -= 4) groups.unshift(integer.slice(Math.max(0, end - 4), end));
  let pendingZero = false;
  groups.forEach((block, index) => {
    const bigUnit = BIG_UNITS[groups.length - 1 - index] ?? '';
    let text = '';
    const digits = block.padStart(4, '0');
    for (let i = 0; i < 4; i += 1) {
      const d = Number(digits[i]);
      if (d === 0) {
        if (text || yuan) pendingZero = true;
        continue;
      }
      if (pendingZero) text += '零';
      pendingZero = false;
      text += DIGITS[d] + (SMALL_UNITS[3 - i] ?? '');
    }
    if (text) yuan += text + bigUnit;
  });
  const jiao = Number(parts.fraction[0]);
  const fen = Number(parts.fraction[1]);
  let result = yuan ? `${yuan}元` : '';
  if (jiao === 0 && fen === 0) return `${parts.negative ? '负' : ''}${result || '零元'}整`;
  if (jiao > 0) result += `${DIGITS[jiao]}角`;
  else if (yuan) result += '零';
  if (fen > 0) result += `${DIGITS[fen]}分`;
  else result += '整';
  return `${parts.negative ? '负' : ''}${result}`;
}
