import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { assert } from '../platform/assert.ts';

/**
 * The password card (口令卡): a printed grid of columns A–H by rows 1–10, three digits a cell. A challenge
 * names two cells and the answer is their six digits, first cell first. The digits are not stored: each
 * cell is derived from the card's secret, so the database holds one encrypted secret per card and the
 * printed grid can be reproduced only from it.
 */

export const CARD_COLUMNS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export const CARD_ROWS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type CardColumn = (typeof CARD_COLUMNS)[number];
export type CardRow = (typeof CARD_ROWS)[number];
export type CardCell = `${CardColumn}${CardRow}`;

/** Successful uses a card is good for; after the last one it is expired. */
export const PASSWORD_CARD_USES = 1000;
/** Below this many uses left, the security centre warns the customer to fetch a new card. */
export const PASSWORD_CARD_LOW_USES = 50;
/** Cells a challenge names. */
export const PASSWORD_CARD_CELLS_ASKED = 2;
const DIGITS_PER_CELL = 3;
const SECRET_BYTES = 32;
// The HMAC message names the purpose and a version, so a card secret can never be confused with a key
// used elsewhere, and a future layout can change the derivation without reissuing the old cards' meaning.
const DERIVATION_LABEL = 'jinku/password-card/v1';

/** A fresh per-card secret: 256 bits from the CSPRNG, to be encrypted at rest with the card's other data. */
export function newPasswordCardSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** Reads a cell name such as "B7" or "A10"; anything else (lower case, "I1", "A0", "A11") is null. */
export function parseCardCell(text: string): CardCell | null {
  const match = /^([A-H])(10|[1-9])$/.exec(text);
  return match ? (text as CardCell) : null;
}

/**
 * The three digits printed in `cell`: the first four bytes of HMAC-SHA256(secret, label:cell) as an
 * unsigned integer, modulo 1000. The modulo bias (2^32 is not a multiple of 1000) shifts each value's
 * odds by under one part in four million, far below what guessing three digits could exploit.
 */
export function cellDigits(secret: Buffer, cell: CardCell): string {
  assert(parseCardCell(cell) !== null, `not a password-card cell: ${cell}`);
  assert(secret.length >= 16, 'a password-card secret has at least 128 bits');
  const mac = createHmac('sha256', secret).update(`${DERIVATION_LABEL}:${cell}`).digest();
  return String(mac.readUInt32BE(0) % 10 ** DIGITS_PER_CELL).padStart(DIGITS_PER_CELL, '0');
}

/**
 * Two distinct cells, uniformly among the 80×79 ordered pairs. `random(n)` returns an integer in [0, n);
 * it defaults to the CSPRNG and is a parameter only so tests can drive it.
 */
export function drawCells(random: (max: number) => number = randomInt): [CardCell, CardCell] {
  const count = CARD_COLUMNS.length * CARD_ROWS.length;
  const first = random(count);
  // Drawing the second from the 79 cells left, and skipping over the first, keeps the pair uniform
  // without a retry loop.
  const drawn = random(count - 1);
  const second = drawn >= first ? drawn + 1 : drawn;
  return [cellAt(first), cellAt(second)];
}

function cellAt(index: number): CardCell {
  const count = CARD_COLUMNS.length * CARD_ROWS.length;
  assert(Number.isInteger(index) && index >= 0 && index < count, `cell index out of range: ${index}`);
  const column = CARD_COLUMNS[index % CARD_COLUMNS.length] as CardColumn;
  const row = CARD_ROWS[Math.floor(index / CARD_COLUMNS.length)] as CardRow;
  return `${column}${row}`;
}

/** The answer to a challenge naming `cells`: their digits run together in the order named (6 digits for 2 cells). */
export function expectedAnswer(secret: Buffer, cells: readonly CardCell[]): string {
  assert(cells.length === PASSWORD_CARD_CELLS_ASKED, 'a password-card challenge names 2 cells');
  assert(new Set(cells).size === cells.length, 'a password-card challenge names distinct cells');
  return cells.map((cell) => cellDigits(secret, cell)).join('');
}

/**
 * Whether `answer` is the right answer for `cells`, compared in constant time so the time taken does not
 * reveal how many leading digits were right. Anything but exactly six digits is simply wrong.
 */
export function checkAnswer(secret: Buffer, cells: readonly CardCell[], answer: string): boolean {
  const expected = Buffer.from(expectedAnswer(secret, cells));
  if (!/^\d+$/.test(answer) || answer.length !== expected.length) return false;
  return timingSafeEqual(expected, Buffer.from(answer));
}

/** The whole card for printing: one array per row 1–10, each with the digits of columns A–H. */
export function passwordCardGrid(secret: Buffer): string[][] {
  return CARD_ROWS.map((row) => CARD_COLUMNS.map((column) => cellDigits(secret, `${column}${row}`)));
}

/** Whether the security centre should warn that the card is running out (fewer than 50 uses left). */
export function passwordCardRunningLow(usesLeft: number): boolean {
  return usesLeft < PASSWORD_CARD_LOW_USES;
}
