import type { TFunction } from 'i18next';

/**
 * Banks a customer can pay to. `''` is Jinku itself (no bank code is sent); the others carry their
 * CNAPS bank-type codes. Names come from the message catalogue (`banks.<code>`).
 */
export const BANKS = [
  { code: '' },
  { code: '102' },
  { code: '103' },
  { code: '104' },
  { code: '105' },
  { code: '301' },
  { code: '308' },
] as const;

/** The bank's name in the current language; an unknown code is shown as it is. */
export function bankName(code: string | null | undefined, t: TFunction<'banking'> | TFunction): string {
  const key = code ? code : 'same';
  return (t as TFunction)(`banks.${key}`, { ns: 'banking', defaultValue: code ?? '' });
}
