import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  CARD_COLUMNS,
  CARD_ROWS,
  type CardCell,
  cellDigits,
  checkAnswer,
  drawCells,
  expectedAnswer,
  newPasswordCardSecret,
  PASSWORD_CARD_LOW_USES,
  PASSWORD_CARD_USES,
  parseCardCell,
  passwordCardGrid,
  passwordCardRunningLow,
} from './password-card.ts';

// A fixed secret, bytes 00..1f. The values below were computed once and checked independently with
// Python's hmac module (HMAC-SHA256 of "jinku/password-card/v1:<cell>", first 4 bytes mod 1000); a
// change here means every printed card in circulation would stop matching.
const SECRET = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const ALL_CELLS = CARD_ROWS.flatMap((row) => CARD_COLUMNS.map((column): CardCell => `${column}${row}`));
const secrets = fc.uint8Array({ minLength: 16, maxLength: 64 }).map((bytes) => Buffer.from(bytes));

describe('password card', () => {
  test('cells are stable for a secret (known answers)', () => {
    assert.equal(cellDigits(SECRET, 'A1'), '945');
    assert.equal(cellDigits(SECRET, 'B7'), '084');
    assert.equal(cellDigits(SECRET, 'E3'), '248');
    assert.equal(cellDigits(SECRET, 'H1'), '668');
    assert.equal(cellDigits(SECRET, 'A10'), '554');
    assert.equal(cellDigits(SECRET, 'H10'), '257');
    assert.equal(expectedAnswer(SECRET, ['B7', 'E3']), '084248');
    assert.equal(expectedAnswer(SECRET, ['E3', 'B7']), '248084');
  });

  test('the printed grid is rows 1-10 by columns A-H and agrees with each cell', () => {
    const grid = passwordCardGrid(SECRET);
    assert.deepEqual(grid[0], ['945', '625', '524', '795', '266', '603', '239', '668']);
    assert.deepEqual(grid[9], ['554', '496', '810', '004', '557', '745', '964', '257']);
    assert.equal(grid.length, 10);
    for (const [r, row] of grid.entries()) {
      assert.equal(row.length, 8);
      for (const [c, digits] of row.entries()) {
        assert.equal(digits, cellDigits(SECRET, `${CARD_COLUMNS[c]}${CARD_ROWS[r]}` as CardCell));
      }
    }
  });

  test('every cell of every card is 3 digits, and the same secret gives the same card', () => {
    fc.assert(
      fc.property(secrets, (secret) => {
        const grid = passwordCardGrid(secret);
        for (const digits of grid.flat()) assert.match(digits, /^\d{3}$/);
        assert.deepEqual(passwordCardGrid(Buffer.from(secret)), grid);
      }),
      { numRuns: 50 },
    );
  });

  test('different secrets give different cards', () => {
    const a = passwordCardGrid(newPasswordCardSecret());
    const b = passwordCardGrid(newPasswordCardSecret());
    assert.notDeepEqual(a, b);
  });

  test('two drawn cells always differ, and every cell can be drawn', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 79 }), fc.integer({ min: 0, max: 78 }), (i, j) => {
        const draws = [i, j];
        const [first, second] = drawCells(() => draws.shift() ?? assert.fail('drew more than twice'));
        assert.notEqual(first, second);
        assert.ok(parseCardCell(first) && parseCardCell(second));
      }),
    );
    const seen = new Set<string>();
    for (let i = 0; i < 80; i++) {
      const draws = [i, i % 79];
      for (const cell of drawCells(() => draws.shift() ?? 0)) seen.add(cell);
    }
    assert.equal(seen.size, 80);
    for (let n = 0; n < 200; n++) {
      const [a, b] = drawCells();
      assert.notEqual(a, b);
    }
  });

  test('the right answer is accepted and a wrong one refused', () => {
    assert.equal(checkAnswer(SECRET, ['B7', 'E3'], '084248'), true);
    for (const wrong of ['084249', '248084', '08424', '0842480', '', '084 248', '０８４２４８', '-84248']) {
      assert.equal(checkAnswer(SECRET, ['B7', 'E3'], wrong), false, wrong);
    }
    fc.assert(
      fc.property(secrets, fc.stringMatching(/^\d{6}$/), (secret, guess) => {
        const cells = drawCells();
        const right = expectedAnswer(secret, cells);
        assert.equal(checkAnswer(secret, cells, right), true);
        assert.equal(checkAnswer(secret, cells, guess), guess === right);
      }),
    );
  });

  test('reads cell names and refuses anything off the card', () => {
    for (const cell of ALL_CELLS) assert.equal(parseCardCell(cell), cell);
    for (const text of ['', 'a1', 'I1', 'A0', 'A11', 'B07', ' B7', 'B7 ', 'BB7', '7B']) {
      assert.equal(parseCardCell(text), null, text);
    }
    assert.throws(() => cellDigits(SECRET, 'I1' as CardCell));
    assert.throws(() => expectedAnswer(SECRET, ['B7', 'B7']));
    assert.throws(() => expectedAnswer(SECRET, ['B7']));
  });

  test('a card is good for 1000 uses and warns below 50 left', () => {
    assert.equal(PASSWORD_CARD_USES, 1000);
    assert.equal(PASSWORD_CARD_LOW_USES, 50);
    assert.equal(passwordCardRunningLow(50), false);
    assert.equal(passwordCardRunningLow(49), true);
    assert.equal(passwordCardRunningLow(0), true);
  });
});
