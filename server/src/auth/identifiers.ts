import type { Kysely } from 'kysely';
import {
  accountBy,
  customerIdBy,
  isAccountNumber,
  isCardNumber,
  isMobileNumber,
  normaliseCardNumber,
} from '../customers/index.ts';
import type { Database } from '../database.ts';
import { customerIdByUsernameOrLoginName } from './store.ts';

export type IdentifierKind = 'card' | 'account' | 'mobile' | 'name';

/**
 * What a customer typed in the "account" field (seed 000): a 19-digit card number (spaces ignored,
 * Luhn-checked), a 17-digit account number, an 11-digit mobile number, or else a username or personal
 * login name (which can never be all digits, so the kinds cannot be confused).
 */
export function identifierKind(text: string): IdentifierKind {
  const digits = normaliseCardNumber(text);
  if (/^\d+$/.test(digits)) {
    if (isCardNumber(digits)) return 'card';
    if (isAccountNumber(digits)) return 'account';
    if (isMobileNumber(digits)) return 'mobile';
  }
  return 'name';
}

/** The customer an identifier names, or null. */
export async function resolveIdentifier(db: Kysely<Database>, text: string): Promise<string | null> {
  const kind = identifierKind(text);
  const digits = normaliseCardNumber(text);
  if (kind === 'card') return (await accountBy(db, 'card_number', digits))?.customer_id ?? null;
  if (kind === 'account') return (await accountBy(db, 'account_number', digits))?.customer_id ?? null;
  if (kind === 'mobile') return customerIdBy(db, 'mobile', digits);
  if (text.length > 30) return null;
  return customerIdByUsernameOrLoginName(db, text.trim().toLowerCase());
}
