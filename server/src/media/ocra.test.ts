import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  E_TOKEN_SUITE,
  eTokenChallenge,
  ocraResponse,
  ocraSuite,
  ocraTimeStep,
  parseOcraSuite,
  verifyOcraTimeWindow,
} from './ocra.ts';

// The keys of RFC 6287 appendix C: the ASCII digits "1234567890" repeated to 20, 32 and 64 bytes.
const KEY20 = Buffer.from('12345678901234567890');
const KEY32 = Buffer.from('12345678901234567890123456789012');
const KEY64 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234');
// Appendix C's PIN is "1234"; P carries its SHA-1 hash, 7110eda4d09e062aa5e4a390b0a572ac0d2c0220.
const PIN_SHA1 = createHash('sha1').update('1234').digest();

describe('OCRA (RFC 6287)', () => {
  test('appendix C.1 vectors for OCRA-1:HOTP-SHA1-6:QN08', () => {
    const suite = ocraSuite('OCRA-1:HOTP-SHA1-6:QN08');
    const expected = [
      '237653',
      '243178',
      '653583',
      '740991',
      '608993',
      '388898',
      '816933',
      '224598',
      '750600',
      '294470',
    ];
    for (const [i, answer] of expected.entries()) {
      assert.equal(ocraResponse(suite, { key: KEY20, challenge: String(i).repeat(8) }), answer, `Q=${i}`);
    }
  });

  test('appendix C.1 vectors for OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1', () => {
    assert.equal(PIN_SHA1.toString('hex'), '7110eda4d09e062aa5e4a390b0a572ac0d2c0220');
    const suite = ocraSuite('OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1');
    const expected = [
      '65347737',
      '86775851',
      '78192410',
      '71565254',
      '10104329',
      '65983500',
      '70069104',
      '91771096',
      '75011558',
      '08522129',
    ];
    for (const [counter, answer] of expected.entries()) {
      const input = { key: KEY32, challenge: '12345678', counter, passwordHash: PIN_SHA1 };
      assert.equal(ocraResponse(suite, input), answer, `C=${counter}`);
    }
  });

  test('appendix C.1 vectors for OCRA-1:HOTP-SHA256-8:QN08-PSHA1', () => {
    const suite = ocraSuite('OCRA-1:HOTP-SHA256-8:QN08-PSHA1');
    const expected = ['83238735', '01501458', '17957585', '86776967', '86807031'];
    for (const [i, answer] of expected.entries()) {
      const input = { key: KEY32, challenge: String(i).repeat(8), passwordHash: PIN_SHA1 };
      assert.equal(ocraResponse(suite, input), answer, `Q=${i}`);
    }
  });

  test('appendix C.1 vectors for OCRA-1:HOTP-SHA512-8:C-QN08', () => {
    const suite = ocraSuite('OCRA-1:HOTP-SHA512-8:C-QN08');
    const expected = [
      '07016083',
      '63947962',
      '70123924',
      '25341727',
      '33203315',
      '34205738',
      '44343969',
      '51946085',
      '20403879',
      '31409299',
    ];
    for (const [i, answer] of expected.entries()) {
      assert.equal(ocraResponse(suite, { key: KEY64, challenge: String(i).repeat(8), counter: i }), answer, `C=${i}`);
    }
  });

  test('appendix C.1 vectors for OCRA-1:HOTP-SHA512-8:QN08-T1M', () => {
    const suite = ocraSuite('OCRA-1:HOTP-SHA512-8:QN08-T1M');
    // T = 0x132d0b6 minutes after the epoch, 2008-03-25T12:06:00Z.
    const timeStep = 0x132d0b6;
    assert.equal(ocraTimeStep(suite, timeStep * 60_000 + 59_999), timeStep);
    const expected = ['95209754', '55907591', '22048402', '24218844', '36209546'];
    for (const [i, answer] of expected.entries()) {
      assert.equal(ocraResponse(suite, { key: KEY64, challenge: String(i).repeat(8), timeStep }), answer, `Q=${i}`);
    }
  });

  test("parses the bank's e-token suite", () => {
    assert.deepEqual(parseOcraSuite(E_TOKEN_SUITE), {
      ok: true,
      suite: {
        text: E_TOKEN_SUITE,
        hash: 'sha256',
        digits: 6,
        counter: false,
        challengeMaxDigits: 8,
        passwordHash: null,
        timeStepSeconds: 60,
      },
    });
    assert.equal(ocraSuite('OCRA-1:HOTP-SHA1-6:QN08-T30S').timeStepSeconds, 30);
    assert.equal(ocraSuite('OCRA-1:HOTP-SHA1-6:QN08-T2H').timeStepSeconds, 7200);
  });

  test('refuses suites it cannot compute', () => {
    for (const text of [
      'OCRA-2:HOTP-SHA1-6:QN08',
      'OCRA-1:HOTP-MD5-6:QN08',
      'OCRA-1:HOTP-SHA1-0:QN08',
      'OCRA-1:HOTP-SHA1-3:QN08',
      'OCRA-1:HOTP-SHA1-11:QN08',
      'OCRA-1:HOTP-SHA256-8:QA08',
      'OCRA-1:HOTP-SHA256-8:QH08',
      'OCRA-1:HOTP-SHA256-8:QN08-S064',
      'OCRA-1:HOTP-SHA256-8:QN03',
      'OCRA-1:HOTP-SHA256-8:QN65',
      'OCRA-1:HOTP-SHA256-8:QN08-T0M',
      'OCRA-1:HOTP-SHA256-8:QN08-T60S',
      'OCRA-1:HOTP-SHA256-8:QN08-T49H',
      'OCRA-1:HOTP-SHA256-8',
      'ocra-1:hotp-sha1-6:qn08',
    ]) {
      assert.equal(parseOcraSuite(text).ok, false, text);
    }
  });

  test('a field the suite does not name, or a missing one, is a bug', () => {
    const suite = ocraSuite(E_TOKEN_SUITE);
    assert.throws(() => ocraResponse(suite, { key: KEY32, challenge: '12345678' }), /T given iff named/);
    assert.throws(
      () => ocraResponse(suite, { key: KEY32, challenge: '12345678', timeStep: 1, counter: 0 }),
      /counter given iff C/,
    );
    assert.throws(() => ocraResponse(suite, { key: KEY32, challenge: '123456789', timeStep: 1 }), /longer than QN/);
    assert.throws(() => ocraResponse(suite, { key: KEY32, challenge: '1234x678', timeStep: 1 }), /decimal digits/);
    const withPin = ocraSuite('OCRA-1:HOTP-SHA256-8:QN08-PSHA1');
    assert.throws(
      () => ocraResponse(withPin, { key: KEY32, challenge: '1', passwordHash: Buffer.alloc(32) }),
      /wrong length/,
    );
  });

  test('an answer has exactly the suite length in digits, and the challenge changes it', () => {
    const suite = ocraSuite(E_TOKEN_SUITE);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.stringMatching(/^\d{8}$/),
        fc.stringMatching(/^\d{8}$/),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (key, q1, q2, timeStep) => {
          fc.pre(q1 !== q2);
          const k = Buffer.from(key);
          const a1 = ocraResponse(suite, { key: k, challenge: q1, timeStep });
          assert.match(a1, /^\d{6}$/);
          // Two challenges may share an answer by chance (one in a million); over several keys they do not.
          const a2s = [0, 1, 2].map((i) =>
            ocraResponse(suite, { key: Buffer.concat([k, Buffer.from([i])]), challenge: q2, timeStep }),
          );
          const a1s = [0, 1, 2].map((i) =>
            ocraResponse(suite, { key: Buffer.concat([k, Buffer.from([i])]), challenge: q1, timeStep }),
          );
          assert.notDeepEqual(a1s, a2s);
        },
      ),
    );
  });

  test('every supported answer length is respected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 10 }), fc.stringMatching(/^\d{1,8}$/), (digits, challenge) => {
        const suite = ocraSuite(`OCRA-1:HOTP-SHA1-${digits}:QN08`);
        assert.match(ocraResponse(suite, { key: KEY20, challenge }), new RegExp(`^\\d{${digits}}$`));
      }),
    );
  });
});

describe('e-token challenge and time window', () => {
  test("puts the payee account's last 4 digits before 4 random digits", () => {
    assert.equal(eTokenChallenge('6222 0212 3456 7890', 42), '78900042');
    assert.equal(eTokenChallenge('6217-0000-0000-1234', 9999), '12349999');
    assert.equal(eTokenChallenge('00001234', 0), '12340000');
    assert.throws(() => eTokenChallenge('123', 1));
    assert.throws(() => eTokenChallenge('12345678', 10_000));
    assert.throws(() => eTokenChallenge('12345678', 1.5));
    fc.assert(
      fc.property(fc.stringMatching(/^\d{4,30}$/), fc.integer({ min: 0, max: 9999 }), (account, random4) => {
        const challenge = eTokenChallenge(account, random4);
        assert.match(challenge, /^\d{8}$/);
        assert.equal(challenge.slice(0, 4), account.slice(-4));
        assert.equal(Number(challenge.slice(4)), random4);
      }),
    );
  });

  const suite = ocraSuite(E_TOKEN_SUITE);
  const key = KEY32;
  const challenge = eTokenChallenge('6222021234567890', 1357);
  const nowMs = Date.UTC(2026, 4, 1, 9, 30, 20);
  const step = ocraTimeStep(suite, nowMs);
  const answerAt = (timeStep: number) => ocraResponse(suite, { key, challenge, timeStep });

  test('accepts the current minute and one either side, and says which matched', () => {
    for (const delta of [-1, 0, 1]) {
      assert.deepEqual(verifyOcraTimeWindow(suite, { key, challenge, nowMs, response: answerAt(step + delta) }), {
        ok: true,
        timeStep: step + delta,
      });
    }
  });

  test('refuses an answer two minutes off, for another challenge, or malformed', () => {
    for (const delta of [-2, 2]) {
      const response = answerAt(step + delta);
      assert.deepEqual(verifyOcraTimeWindow(suite, { key, challenge, nowMs, response }), {
        ok: false,
        reason: 'wrong',
      });
    }
    const other = eTokenChallenge('6222021234560000', 1357);
    const response = ocraResponse(suite, { key, challenge: other, timeStep: step });
    assert.deepEqual(verifyOcraTimeWindow(suite, { key, challenge, nowMs, response }), { ok: false, reason: 'wrong' });
    for (const bad of ['', '12345', '1234567', 'abcdef', ` ${answerAt(step).slice(1)}`]) {
      assert.deepEqual(verifyOcraTimeWindow(suite, { key, challenge, nowMs, response: bad }), {
        ok: false,
        reason: 'wrong',
      });
    }
  });

  test('refuses a step already accepted, a second time', () => {
    const response = answerAt(step);
    const first = verifyOcraTimeWindow(suite, { key, challenge, nowMs, response, lastAcceptedStep: step - 1 });
    assert.deepEqual(first, { ok: true, timeStep: step });
    const again = verifyOcraTimeWindow(suite, { key, challenge, nowMs, response, lastAcceptedStep: step });
    assert.deepEqual(again, { ok: false, reason: 'replayed' });
    const later = verifyOcraTimeWindow(suite, {
      key,
      challenge,
      nowMs: nowMs + 60_000,
      response,
      lastAcceptedStep: step,
    });
    assert.deepEqual(later, { ok: false, reason: 'replayed' });
  });

  test('a wrong answer is refused at any time (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 42 }), fc.stringMatching(/^\d{6}$/), (atMs, response) => {
        const s = ocraTimeStep(suite, atMs);
        fc.pre(![s - 1, s, s + 1].some((t) => t >= 0 && answerAt(t) === response));
        assert.deepEqual(verifyOcraTimeWindow(suite, { key, challenge, nowMs: atMs, response }), {
          ok: false,
          reason: 'wrong',
        });
      }),
    );
  });
});
