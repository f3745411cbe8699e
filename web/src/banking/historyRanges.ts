/**
 * The history's quick ranges as Beijing-time dates (`from` and `to` both included, as the API reads them).
 * Pure date arithmetic on `YYYY-MM-DD` strings, so the browser's own zone never shifts a day.
 */
export type QuickRange = 'all' | '7d' | 'month' | '3m' | 'custom';
export const QUICK_RANGES: readonly QuickRange[] = ['all', '7d', 'month', '3m', 'custom'];

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y ?? 1970, m ?? 1, d ?? 1];
}

function format(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `date` moved by whole days (negative: back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return format(Date.UTC(y, m - 1, d + days));
}

/** The same day `months` months back, clamped to the month's end (31 May − 3 months → 28/29 February). */
export function monthsBack(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const lastDay = new Date(Date.UTC(y, m - 1 - months + 1, 0)).getUTCDate();
  return format(Date.UTC(y, m - 1 - months, Math.min(d, lastDay)));
}

/** The dates a quick range stands for on `today` (a Beijing date); `all` and `custom` have none. */
export function rangeDates(range: QuickRange, today: string): { from: string; to: string } | undefined {
  switch (range) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case '3m':
      return { from: addDays(monthsBack(today, 3), 1), to: today };
    default:
      return undefined;
  }
}
