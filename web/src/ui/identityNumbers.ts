/**
 * Format checks the customer sees while typing a card number, a resident ID or a mobile number. They
 * are hints that catch a typo before a request is sent; the server checks everything again and decides.
 */

/** Keeps the digits of what was typed (spaces and dashes people put between groups are dropped). */
export function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** Luhn (ISO/IEC 7812-1) check of a bank card number: catches one wrong digit and most swaps of two. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Card numbers of the bank cards this bank accepts: 16 to 19 digits. */
export function isCardNumberShape(digits: string): boolean {
  return /^\d{16,19}$/.test(digits);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** GB 11643-1999: 18 characters whose last is the ISO 7064 MOD 11-2 check character (0–9 or X). */
export function isResidentIdValid(text: string): boolean {
  const number = text.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (number.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] === number[17];
}

/** A mainland mobile number: 11 digits starting 13–19. */
export function isMobileNumber(text: string): boolean {
  return /^1[3-9]\d{9}$/.test(text);
}

/** A card PIN: six digits. */
export function isCardPin(text: string): boolean {
  return /^\d{6}$/.test(text);
}
