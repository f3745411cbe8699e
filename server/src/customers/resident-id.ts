/**
 * The 18-character resident identity card number of GB 11643-1999: a 6-digit region code, the birth
 * date (YYYYMMDD), a 3-digit sequence whose last digit is odd for men and even for women, and a check
 * character computed with ISO 7064 MOD 11-2 (0–9 or X).
 */
export type ResidentId = {
  readonly number: string;
  readonly regionCode: string;
  /** `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
};

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

/** Parses and checks a resident ID number; null when it is malformed, has a bad date or a bad check character. */
export function parseResidentId(text: string, todayIso?: string): ResidentId | null {
  const number = text.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(number)) return null;
  if (residentIdCheckChar(number.slice(0, 17)) !== number[17]) return null;
  const year = Number(number.slice(6, 10));
  const month = Number(number.slice(10, 12));
  const day = Number(number.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  if (todayIso && birthDate > todayIso) return null;
  return {
    number,
    regionCode: number.slice(0, 6),
    birthDate,
    sex: Number(number[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** An ID number for screens: the region and the last four, the birthday hidden (`110101********123X`). */
export function maskResidentId(number: string): string {
  return `${number.slice(0, 6)}********${number.slice(-4)}`;
}

/** Makes a valid ID number from its parts (demo data and tests). */
export function makeResidentId(regionCode: string, birthDateCompact: string, sequence: string): string {
  const first17 = regionCode + birthDateCompact + sequence;
  return first17 + residentIdCheckChar(first17);
}
