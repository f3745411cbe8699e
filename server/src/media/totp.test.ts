import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Secret, URI } from 'otpauth';
import {
  newTotpSecret,
  SOFT_TOKEN,
  type TotpAlgorithm,
  totpCode,
  totpEnrolmentUrl,
  totpTimeStep,
  verifyTotp,
} from './totp.ts';

// RFC 6238 appendix B: 8-digit codes, 30-second steps, T0 = 0. The seed is "1234567890" repeated to the
// hash's block-related length (20 bytes for SHA-1, 32 for SHA-256, 64 for SHA-512), as in the RFC's
// reference code in appendix A (the table's prose names only the 20-byte seed; see erratum 2866).
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  SHA1: Buffer.from('12345678901234567890'),
  SHA256: Buffer.from('12345678901234567890123456789012'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: readonly [seconds: number, step: number, sha1: string, sha256: string, sha512: string][] = [
  [59, 0x1, '94287082', '46119246', '90693936'],
  [1111111109, 0x23523ec, '07081804', '68084774', '25091201'],
  [1111111111, 0x23523ed, '14050471', '67062674', '99943326'],
  [1234567890, 0x273ef07, '89005924', '91819424', '93441116'],
  [2000000000, 0x3f940aa, '69279037', '90698825', '38618901'],
  [20000000000, 0x27bc86aa, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  test('appendix B vectors for SHA-1, SHA-256 and SHA-512', () => {
    for (const [seconds, step, ...codes] of VECTORS) {
      for (const [i, algorithm] of (['SHA1', 'SHA256', 'SHA512'] as const).entries()) {
        const params = { algorithm, digits: 8, periodSeconds: 30 };
        assert.equal(totpTimeStep(seconds * 1000, params), step, `T at ${seconds}`);
        assert.equal(totpCode(SEEDS[algorithm], seconds * 1000, params), codes[i], `${algorithm} at ${seconds}`);
        const check = verifyTotp({
          secret: SEEDS[algorithm],
          code: codes[i] ?? '',
          nowMs: seconds * 1000,
          lastAcceptedStep: null,
          params,
        });
        assert.deepEqual(check, { ok: true, timeStep: step });
      }
    }
  });

  test('the soft token is the 6 last digits of the SHA-1 vector (RFC 4226 truncation)', () => {
    // 6 and 8 digits come from the same 31-bit number, so the 6-digit code is the 8-digit one's tail.
    for (const [seconds, , sha1] of VECTORS) assert.equal(totpCode(SEEDS.SHA1, seconds * 1000), sha1.slice(2));
  });

  const secret = SEEDS.SHA1;
  const nowMs = Date.UTC(2026, 4, 1, 9, 30, 10);
  const step = totpTimeStep(nowMs);
  const codeAt = (s: number) => totpCode(secret, s * 30_000);

  test('accepts the current step and one either side, and says which matched', () => {
    for (const delta of [-1, 0, 1]) {
      assert.deepEqual(verifyTotp({ secret, code: codeAt(step + delta), nowMs, lastAcceptedStep: null }), {
        ok: true,
        timeStep: step + delta,
      });
    }
  });

  test('refuses a code two steps off, malformed, or from another secret', () => {
    for (const delta of [-2, 2]) {
      const code = codeAt(step + delta);
      assert.deepEqual(verifyTotp({ secret, code, nowMs, lastAcceptedStep: null }), { ok: false, reason: 'wrong' });
    }
    for (const code of ['', '12345', '1234567', 'abcdef', '１２３４５６', ` ${codeAt(step).slice(1)}`]) {
      assert.deepEqual(verifyTotp({ secret, code, nowMs, lastAcceptedStep: null }), { ok: false, reason: 'wrong' });
    }
    // Another secret's code matches only by a one-in-a-million chance, which the expectation allows for.
    const other = totpCode(newTotpSecret(), nowMs);
    const byChance = [step - 1, step, step + 1].some((s) => codeAt(s) === other);
    assert.equal(verifyTotp({ secret, code: other, nowMs, lastAcceptedStep: null }).ok, byChance);
  });

  test('an accepted step is never accepted again', () => {
    const code = codeAt(step);
    const first = verifyTotp({ secret, code, nowMs, lastAcceptedStep: null });
    assert.deepEqual(first, { ok: true, timeStep: step });
    assert.deepEqual(verifyTotp({ secret, code, nowMs, lastAcceptedStep: step }), { ok: false, reason: 'replayed' });
    // The previous step's code, still inside the window, is refused too once a later step was accepted.
    const earlier = codeAt(step - 1);
    assert.deepEqual(verifyTotp({ secret, code: earlier, nowMs, lastAcceptedStep: step }), {
      ok: false,
      reason: 'replayed',
    });
    assert.deepEqual(verifyTotp({ secret, code: codeAt(step + 1), nowMs: nowMs + 30_000, lastAcceptedStep: step }), {
      ok: true,
      timeStep: step + 1,
    });
  });

  test('codes are always 6 digits and verify at the moment they were made (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.integer({ min: 30_000, max: 2 ** 42 }),
        (bytes, atMs) => {
          const key = Buffer.from(bytes);
          const code = totpCode(key, atMs);
          assert.match(code, /^\d{6}$/);
          assert.deepEqual(verifyTotp({ secret: key, code, nowMs: atMs, lastAcceptedStep: null }), {
            ok: true,
            timeStep: totpTimeStep(atMs),
          });
        },
      ),
    );
  });

  test('the enrolment URL names 金库 Jinku and the account, and carries the secret', () => {
    const key = newTotpSecret();
    const url = totpEnrolmentUrl(key, 'zhangwei');
    assert.match(url, /^otpauth:\/\/totp\//);
    const parsed = URI.parse(url);
    assert.equal(parsed.issuer, '金库 Jinku');
    assert.equal(parsed.label, 'zhangwei');
    assert.equal(parsed.secret.hex, Secret.fromHex(key.toString('hex')).hex);
    assert.ok('period' in parsed && parsed.period === SOFT_TOKEN.periodSeconds);
    assert.equal(parsed.digits, 6);
    assert.equal(parsed.algorithm, 'SHA1');
    assert.throws(() => totpEnrolmentUrl(key, 'a:b'));
    assert.throws(() => totpEnrolmentUrl(Buffer.alloc(8), 'zhangwei'));
  });
});
