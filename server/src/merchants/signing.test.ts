import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { signParams, signText, stringToSign, verifyParams, verifyText } from './signing.ts';

/**
 * Known-answer vectors made with the openssl command line (fixtures/): a 2048-bit test key pair,
 * `openssl dgst -sha256 -sign test-private.pem signed-string.txt | base64 -w0` → expected-signature.txt.
 */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const privatePem = fixture('test-private.pem');
const publicPem = fixture('test-public.pem');
const otherPublicPem = fixture('other-public.pem');
const signedString = fixture('signed-string.txt');
const expectedSignature = fixture('expected-signature.txt').trim();

const params = {
  version: '1.0',
  timestamp: '2026-12-04 20:00:00',
  sign_type: 'RSA2',
  method: 'jinku.trade.page.pay',
  charset: 'utf-8',
  biz_content: '{"out_trade_no":"T-1","total_amount":"88.00","subject":"茶叶 一盒"}',
  app_id: '2026120400000001',
  notify_url: '',
};

describe('gateway signing (RSA2)', () => {
  test('the string to sign drops sign and empty values, sorts by name and keeps raw values', () => {
    assert.equal(stringToSign({ ...params, sign: 'xyz' }), signedString);
    assert.equal(stringToSign({ b: '2', a: '1', c: '', sign: 's' }), 'a=1&b=2');
    assert.equal(stringToSign({ z: 'a&b=c', A: ' x' }), 'A= x&z=a&b=c');
  });

  test('matches the signature openssl made (SHA256withRSA is deterministic)', () => {
    assert.equal(signText(signedString, privatePem), expectedSignature);
    assert.equal(signParams(params, privatePem), expectedSignature);
    assert.equal(verifyText(signedString, expectedSignature, publicPem), true);
  });

  test('verifies parameters in any order', () => {
    const reversed = Object.fromEntries(Object.entries({ ...params, sign: expectedSignature }).reverse());
    assert.equal(verifyParams(reversed, publicPem), true);
    assert.equal(verifyParams({ ...params, sign: expectedSignature }, publicPem), true);
  });

  test('refuses a tampered parameter, a missing or malformed signature and the wrong key', () => {
    assert.equal(
      verifyParams({ ...params, sign: expectedSignature, timestamp: '2026-12-04 20:00:01' }, publicPem),
      false,
    );
    const bizTampered = params.biz_content.replace('88.00', '8.00');
    assert.equal(verifyParams({ ...params, biz_content: bizTampered, sign: expectedSignature }, publicPem), false);
    assert.equal(verifyParams({ ...params, extra: 'x', sign: expectedSignature }, publicPem), false);
    assert.equal(verifyParams(params, publicPem), false);
    assert.equal(verifyParams({ ...params, sign: 'not base64!' }, publicPem), false);
    assert.equal(verifyParams({ ...params, sign: 'AAAA' }, publicPem), false);
    assert.equal(verifyParams({ ...params, sign: expectedSignature }, otherPublicPem), false);
  });
});
