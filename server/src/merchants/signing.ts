import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * Gateway signing, as merchants know it from the page-pay gateways they already integrate (API.md
 * "Merchant gateway"): every parameter but `sign` and the empty ones, sorted by name, joined as `k=v&k=v`
 * with raw (not URL-encoded) values; RSA2 is SHA256withRSA over the UTF-8 bytes of that string, base64.
 */
export type SignType = 'RSA2';

export const SIGN_TYPES: readonly SignType[] = ['RSA2'];

export function isSignType(text: string): text is SignType {
  return (SIGN_TYPES as readonly string[]).includes(text);
}

/** The string to sign: all parameters but `sign` and empty values, sorted by name (code-unit order). */
export function stringToSign(params: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== undefined && params[name] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

/** Parses a PEM public key; null when it is not one (or not RSA, the only type RSA2 accepts). */
export function parsePublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'rsa' ? key : null;
  } catch {
    return null;
  }
}

export function parsePrivateKey(pem: string): KeyObject | null {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'rsa' ? key : null;
  } catch {
    return null;
  }
}

/** Signs a string with SHA256withRSA and returns base64. */
export function signText(text: string, privateKey: KeyObject | string): string {
  const signer = createSign('sha256');
  signer.update(text, 'utf8');
  return signer.sign(privateKey, 'base64');
}

/** Verifies a base64 SHA256withRSA signature; any malformed input is simply "not verified". */
export function verifyText(text: string, signature: string, publicKey: KeyObject | string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    const verifier = createVerify('sha256');
    verifier.update(text, 'utf8');
    return verifier.verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** Signs gateway parameters: the signature over their string to sign. */
export function signParams(params: Readonly<Record<string, string | undefined>>, privateKey: KeyObject | string) {
  return signText(stringToSign(params), privateKey);
}

/** Verifies the `sign` parameter of gateway parameters against the merchant's public key. */
export function verifyParams(params: Readonly<Record<string, string | undefined>>, publicKey: KeyObject | string) {
  const signature = params.sign;
  if (signature === undefined || signature === '') return false;
  return verifyText(stringToSign(params), signature, publicKey);
}
