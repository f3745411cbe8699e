/**
 * Card and account numbers for display: groups of four, masked in the middle (DESIGN.md, "Amounts").
 * Numbers the server already masked (`6222 **** **** 1234`) are regrouped, never unmasked.
 */

/** `"6222021234567890123"` → `"6222 0212 3456 7890 123"`. */
export function groupCardNumber(number: string): string {
  const compact = number.replace(/\s+/g, '');
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

/** `"6222021234567890123"` → `"6222 **** **** 0123"`: the first four and last four digits only. */
export function maskCardNumber(number: string): string {
  const compact = number.replace(/\s+/g, '');
  if (compact.includes('*')) {
    const head = compact.slice(0, 4);
    const tail = compact.slice(-4);
    return `${head} **** **** ${tail}`;
  }
  if (compact.length <= 8) return groupCardNumber(compact);
  return `${compact.slice(0, 4)} **** **** ${compact.slice(-4)}`;
}

/** The last four digits, for "尾号 0123" labels. */
export function cardTail(number: string): string {
  return number.replace(/\s+/g, '').slice(-4);
}

/** `"13800000001"` → `"138****0001"`. */
export function maskMobile(mobile: string): string {
  const compact = mobile.replace(/\s+/g, '');
  if (compact.includes('*') || compact.length < 7) return compact;
  return `${compact.slice(0, 3)}****${compact.slice(-4)}`;
}
