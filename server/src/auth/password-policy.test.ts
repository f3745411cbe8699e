import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dictionary } from '@zxcvbn-ts/language-common';
import { checkPasswordPolicy, checkTemporaryPassword, describePasswordPolicy } from './password-policy.ts';

const rule = (password: string, facts = {}) => {
  const result = checkPasswordPolicy(password, facts);
  return result.ok ? 'ok' : result.rule;
};

describe('login password policy', () => {
  test('accepts 6–30 characters mixing letters and digits, case-sensitively distinct', () => {
    assert.equal(rule('Jinku2026'), 'ok');
    assert.equal(rule('jinku2026'), 'ok');
    assert.equal(rule(`a1${'x'.repeat(28)}`), 'ok');
  });

  test('refuses too short, too long, letters only, digits only and spaces', () => {
    assert.equal(rule('ab1'), 'length');
    assert.equal(rule(`a1${'x'.repeat(29)}`), 'length');
    assert.equal(rule('abcdefgh'), 'mix');
    assert.equal(rule('12345678'), 'mix');
    assert.equal(rule('abc 12345'), 'characters');
  });

  test('refuses the most common passwords whatever their case', () => {
    assert.equal(rule('abc123'), 'common');
    assert.equal(rule('Password1'), 'common');
    assert.equal(rule('1qaz2wsx'), 'common');
  });

  test('refuses the 3,000 most common passwords the other rules would let through (ASVS 5.0 6.2.4)', () => {
    // The rules before the dictionary, so that the list is the one a guesser would try against this policy.
    const shaped = (p: string) =>
      p.length >= 6 && p.length <= 30 && /^[\x21-\x7E]+$/.test(p) && /[A-Za-z]/.test(p) && /\d/.test(p);
    const likely = (dictionary['passwords-common'] as string[]).filter(shaped).slice(0, 3000);
    assert.equal(likely.length, 3000);
    const accepted = likely.filter((p) => rule(p) !== 'common');
    assert.deepEqual(accepted, []);
    assert.equal(rule('Jinku2026'), 'ok', "the demo bank's password is not among them");
  });

  test('refuses the customer’s own mobile, ID number and birthday', () => {
    assert.equal(rule('a13800000001', { mobile: '13800000001' }), 'personal');
    assert.equal(rule('zw19850315', { birthDate: '1985-03-15' }), 'personal');
    assert.equal(rule('zw850315', { birthDate: '1985-03-15' }), 'personal');
    assert.equal(rule('11010519491231002x', { idNumber: '11010519491231002X' }), 'personal');
    assert.equal(rule('zw19850316', { birthDate: '1985-03-15' }), 'ok');
  });

  test('temporary passwords are 6–8 digits', () => {
    assert.ok(checkTemporaryPassword('20261122').ok);
    assert.ok(checkTemporaryPassword('2026112').ok);
    assert.ok(!checkTemporaryPassword('12345').ok);
    assert.ok(!checkTemporaryPassword('123456789').ok);
    assert.ok(!checkTemporaryPassword('abc123').ok);
  });

  test('the description the web shows names every rule the check applies, with the same bounds', () => {
    const described = describePasswordPolicy();
    const checked = new Set([
      rule('a1'),
      rule('a1'.repeat(20)),
      rule('ab 12345'),
      rule('abcdefgh'),
      rule('password1'),
      rule('a13800000001', { mobile: '13800000001' }),
    ]);
    for (const name of checked)
      assert.ok(
        described.rules.some((r) => r.rule === name),
        `${name} is described`,
      );
    assert.equal(rule('a1'.padEnd(described.minLength, 'b')), 'ok');
    assert.equal(rule('a1'.padEnd(described.minLength - 1, 'b')), 'length');
    assert.equal(rule('a1'.padEnd(described.maxLength, 'b')), 'ok');
    assert.equal(rule('a1'.padEnd(described.maxLength + 1, 'b')), 'length');
  });
});
