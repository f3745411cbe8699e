import { randomInt } from 'node:crypto';

/**
 * Card and account numbers. Debit cards are 19 digits: the bank identification number (JINKU_CARD_PREFIX),
 * 12 random digits and a Luhn check digit (ISO/IEC 7812-1). Account numbers are 17 digits: the branch
 * code (4), 12 random digits and a Luhn check digit, so a mistyped digit is caught before any lookup.
 */
export const CARD_NUMBER_LENGTH = 19;
export const ACCOUNT_NUMBER_LENGTH = 17;

/** The Luhn check digit for a string of digits (the digit to append). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit counting from the right of the number once the check digit is appended.
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a string of digits ends in its correct Luhn check digit. */
export function isLuhnValid(number: string): boolean {
  if (!/^\d{2,}$/.test(number)) return false;
  return luhnCheckDigit(number.slice(0, -1)) === Number(number.at(-1));
}

function randomDigits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** A new random 19-digit card number with the bank's prefix. */
export function generateCardNumber(bankPrefix: string): string {
  const body = bankPrefix + randomDigits(CARD_NUMBER_LENGTH - 1 - bankPrefix.length);
  return body + String(luhnCheckDigit(body));
}

/** A new random 17-digit account number at a branch. */
export function generateAccountNumber(branchCode: string): string {
  const body = branchCode + randomDigits(ACCOUNT_NUMBER_LENGTH - 1 - branchCode.length);
  return body + String(luhnCheckDigit(body));
}

/** A card number as typed by a person: spaces and dashes are ignored. */
export function normaliseCardNumber(text: string): string {
  return text.replace(/[\s-]/g, '');
}

/** Whether `text` (normalised) is a well-formed card number. */
export function isCardNumber(text: string): boolean {
  return text.length === CARD_NUMBER_LENGTH && isLuhnValid(text);
}

/** Whether `text` (normalised) is a well-formed account number. */
export function isAccountNumber(text: string): boolean {
  return text.length === ACCOUNT_NUMBER_LENGTH && isLuhnValid(text);
}

/** A number as shown to anyone but its owner asking for it: `6222 **** **** 1234` (API.md, "Conventions"). */
export function maskNumber(number: string): string {
  return `${number.slice(0, 4)} **** **** ${number.slice(-4)}`;
}

/** A mainland mobile number: 11 digits starting 1[3-9]. */
export function isMobileNumber(text: string): boolean {
  return /^1[3-9]\d{9}$/.test(text);
}

/** A mobile number for messages and screens: `138****0001`. */
export function maskMobile(mobile: string): string {
  return `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
}
