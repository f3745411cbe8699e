/**
 * The bank's local time: China Standard Time, UTC+8 all year (no daylight saving since 1991). Daily
 * limits, PIN blocks, statements, the balance chart and the counter's business day all turn over at
 * local midnight, and every time a person reads (an SMS, an error, a PDF) is local. This is the one
 * place that knows the offset.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The local day number of an instant (days since 1970-01-01 in China). */
export function chinaDay(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** The instant the local day `day` (a chinaDay number) begins. */
export function chinaDayNumberStartMs(day: number): number {
  return day * DAY_MS - CHINA_OFFSET_MS;
}

/** The instant today (local) began: daily limits reset here. */
export function chinaDayStartMs(nowMs: number): number {
  return chinaDayNumberStartMs(chinaDay(nowMs));
}

/** The next local midnight after `nowMs`: the end of the business day. */
export function nextChinaMidnightMs(nowMs: number): number {
  return chinaDayNumberStartMs(chinaDay(nowMs) + 1);
}

/** The local calendar date of an instant, `YYYY-MM-DD`. */
export function chinaDate(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local calendar date (`YYYY-MM-DD`, already validated) begins. */
export function chinaDateStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS;
}

/** Local date and time to the minute, as a person reads it: `2026-12-04 16:05`. */
export function chinaDateTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * An instant as a document states it: Beijing time to the second with the offset written out,
 * `2026-12-04 16:05:09 +08:00`, so that a receipt read anywhere names one instant.
 */
export function chinaStamp(ms: number): string {
  return `${new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ')} +08:00`;
}

/** An instant as ISO 8601 with the bank's offset: `2026-12-04T16:05:09+08:00` (API.md's times). */
export function chinaIso(ms: number): string {
  return `${new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
