import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseUscc, USCC_ALPHABET, usccCheckChar } from './uscc.ts';

describe('unified social credit code (GB 32100-2015)', () => {
  test('accepts known codes: the standard’s example and published codes of real enterprises', () => {
    for (const code of [
      '91350100M000100Y43',
      '914403001922038216',
      '9144030071526726XG',
      '91330100716105852F',
      '91110108551385082Q',
    ]) {
      assert.equal(parseUscc(code), code);
    }
    assert.equal(usccCheckChar('91350100M000100Y4'), '3');
    assert.equal(usccCheckChar('9144030071526726X'), 'G');
    assert.equal(parseUscc(' 9144030071526726xg '), '9144030071526726XG', 'trimmed and upper-cased');
  });

  test('refuses a wrong check character, a wrong length and letters outside the alphabet', () => {
    assert.equal(parseUscc('91350100M000100Y44'), null);
    assert.equal(parseUscc('91350100M000100Y4'), null);
    assert.equal(parseUscc('91350100I000100Y43'), null);
    assert.equal(usccCheckChar('91350100O000100Y4'), null);
  });

  test('any single changed character is detected', () => {
    const body = fc.array(fc.constantFrom(...USCC_ALPHABET), { minLength: 17, maxLength: 17 }).map((c) => c.join(''));
    fc.assert(
      fc.property(body, fc.nat(16), fc.constantFrom(...USCC_ALPHABET), (first17, at, replacement) => {
        const code = first17 + usccCheckChar(first17);
        assert.equal(parseUscc(code), code);
        fc.pre(first17[at] !== replacement);
        const changed = first17.slice(0, at) + replacement + first17.slice(at + 1) + code[17];
        assert.equal(parseUscc(changed), null);
      }),
    );
  });
});
