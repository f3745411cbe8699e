/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a 31-character
 * alphabet (the digits and the capitals without I, O, Z, S, V): registration authority (1), organisation
 * type (1), administrative region (6), organisation code (9, GB 11714) and a check character (1). The
 * check character makes every single-character error and most swaps detectable: with weights
 * W_i = 3^(i-1) mod 31, C_18 = 31 − (Σ C_i·W_i mod 31), 31 being written 0. Pure functions.
 */

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character for the first 17 characters, or null when one is outside the alphabet. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i] as string);
    if (value < 0) return null;
    sum += value * (WEIGHTS[i] as number);
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[check] as string;
}

/**
 * The code in canonical form (trimmed, upper case) when it is 18 characters of the alphabet whose last
 * is the right check character; null otherwise.
 */
export function parseUscc(text: string): string | null {
  const code = text.trim().toUpperCase();
  if (!/^[0-9A-HJ-NP-RT-UW-Y]{18}$/.test(code)) return null;
  return usccCheckChar(code.slice(0, 17)) === code[17] ? code : null;
}
