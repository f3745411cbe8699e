/**
 * Times a person reads are the bank's local time, whatever the browser's zone: a customer abroad, a
 * teller's misconfigured PC and a receipt all show the same `2026-12-04 21:45:06` (Asia/Shanghai).
 */
export const BANK_TIME_ZONE = 'Asia/Shanghai';

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: BANK_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function pieces(iso: string): Record<string, string> | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const out: Record<string, string> = {};
  for (const part of parts.formatToParts(date)) out[part.type] = part.value;
  return out;
}

/** `2026-12-04T13:45:06Z` → `2026-12-04 21:45:06`, Beijing time; empty for nothing, the input for garbage. */
export function formatBankDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = pieces(iso);
  if (!p) return iso;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `2026-12-04T17:00:00Z` → `2026-12-05`, the bank's calendar date. */
export function formatBankDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = pieces(iso);
  if (!p) return iso;
  return `${p.year}-${p.month}-${p.day}`;
}
