import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  generateAccountNumber,
  generateCardNumber,
  isAccountNumber,
  isCardNumber,
  isLuhnValid,
  luhnCheckDigit,
  maskMobile,
  maskNumber,
  normaliseCardNumber,
} from './numbers.ts';
import { makeResidentId, maskResidentId, parseResidentId, residentIdCheckChar } from './resident-id.ts';

describe('Luhn check digits', () => {
  test('known answers', () => {
    // ISO/IEC 7812 examples: 7992739871 → 3; a Visa test number.
    assert.equal(luhnCheckDigit('7992739871'), 3);
    assert.ok(isLuhnValid('79927398713'));
    assert.ok(isLuhnValid('4111111111111111'));
    assert.ok(!isLuhnValid('4111111111111112'));
  });

  test('generated card and account numbers are valid and carry the prefix', () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const card = generateCardNumber('622888');
        assert.equal(card.length, 19);
        assert.ok(card.startsWith('622888'));
        assert.ok(isCardNumber(card));
        const account = generateAccountNumber('0001');
        assert.equal(account.length, 17);
        assert.ok(account.startsWith('0001'));
        assert.ok(isAccountNumber(account));
      }),
      { numRuns: 200 },
    );
  });

  test('any single mistyped digit is caught', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 18 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const card = generateCardNumber('622888');
        const digit = (Number(card[position]) + delta) % 10;
        const typo = card.slice(0, position) + String(digit) + card.slice(position + 1);
        assert.ok(!isCardNumber(typo));
      }),
    );
  });

  test('spaces and dashes in a typed card number are ignored; masks hide the middle', () => {
    assert.equal(normaliseCardNumber('6228 8800 0000 0000 123'), '6228880000000000123');
    assert.equal(maskNumber('6228880000000001234'), '6228 **** **** 1234');
    assert.equal(maskMobile('13800000001'), '138****0001');
  });
});

describe('resident ID numbers (GB 11643)', () => {
  test('accepts a number with the right check character and parses birthday, region and sex', () => {
    // The standard's own example: 11010519491231002X.
    const parsed = parseResidentId('11010519491231002x');
    assert.deepEqual(parsed, {
      number: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
    assert.equal(residentIdCheckChar('44052418800101001'), '4');
    assert.equal(maskResidentId('11010519491231002X'), '110105********002X');
  });

  test('refuses a wrong check character, an impossible date and a future birthday', () => {
    assert.equal(parseResidentId('110105194912310021'), null);
    assert.equal(parseResidentId(makeResidentId('110105', '19490230', '002')), null);
    assert.equal(parseResidentId(makeResidentId('110105', '20300101', '002'), '2026-11-24'), null);
    assert.equal(parseResidentId('1101051949123100'), null);
  });

  test('every made-up valid number parses back to its parts', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (date, sequence) => {
          const compact = date.toISOString().slice(0, 10).replaceAll('-', '');
          const number = makeResidentId('310104', compact, String(sequence).padStart(3, '0'));
          const parsed = parseResidentId(number);
          assert.ok(parsed);
          assert.equal(parsed.birthDate.replaceAll('-', ''), compact);
          assert.equal(parsed.sex, sequence % 2 === 1 ? 'male' : 'female');
        },
      ),
    );
  });
});
