import type { TFunction } from 'i18next';
import { parseResidentId } from '../../../../server/src/customers/resident-id.ts';
import { parseAmountInput } from '../../ui/money';
import type { Values } from './types';

/**
 * Checks for operation fields, each returning the message to show beside the field or undefined. They
 * catch typing slips before the customer is asked to confirm; the server checks everything again.
 */
export function checks(t: TFunction<'counter'>) {
  return {
    required: (value: string) => (value.trim() ? undefined : t('form.required')),
    digits6: (value: string) => (/^\d{6}$/.test(value) ? undefined : t('form.digits6')),
    digits6to8: (value: string) => (/^\d{6,8}$/.test(value) ? undefined : t('form.digits6to8')),
    /** The second entry of a PIN or password must equal the first (`field`). */
    same: (field: string) => (value: string, values: Values) =>
      value === (values[field] ?? '') ? undefined : t('form.mismatch'),
    // GB 11643: 17 digits and the ISO 7064 MOD 11-2 check character, with a real birth date.
    idNumber: (value: string) => (parseResidentId(value) ? undefined : t('form.idNumber')),
    /** A device's serial as printed on it: 4–32 letters and digits. */
    serial: (value: string) => (/^[A-Za-z0-9]{4,32}$/.test(value.trim()) ? undefined : t('form.serialFormat')),
    mobile: (value: string) => (/^1\d{10}$/.test(value.trim()) ? undefined : t('form.mobileFormat')),
    amount: (value: string) => {
      const parsed = parseAmountInput(value);
      if (parsed.ok) return undefined;
      if (parsed.reason === 'zero') return t('form.amountZero');
      if (parsed.reason === 'too_large') return t('form.amountTooLarge');
      return parsed.reason === 'empty' ? t('form.required') : t('form.amountFormat');
    },
  };
}

/** The API's decimal string for a typed amount (`"1,000"` → `"1000.00"`); the form checked it already. */
export function amountOf(value: string | undefined): string {
  const parsed = parseAmountInput(value ?? '');
  return parsed.ok ? parsed.amount : '0.00';
}

/** Fen of a typed amount, 0 when it does not parse. */
export function fenOf(value: string | undefined): number {
  const parsed = parseAmountInput(value ?? '');
  return parsed.ok ? parsed.fen : 0;
}
