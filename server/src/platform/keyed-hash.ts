import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

// Node imports a raw key anew on every createHmac (about 10 µs here); a KeyObject made once costs a
// seventh of that, and several keyed hashes run in every request.
const keys = new WeakMap<Buffer, Map<string, KeyObject>>();

/**
 * The key for one purpose: a sub-key of the master secret derived by HKDF-SHA256 with the purpose as
 * its info, or (purpose null) the secret itself. Made once per process.
 */
export function keyFor(secret: Buffer, purpose: string | null): KeyObject {
  let byPurpose = keys.get(secret);
  if (!byPurpose) {
    byPurpose = new Map();
    keys.set(secret, byPurpose);
  }
  const name = purpose ?? '';
  let key = byPurpose.get(name);
  if (!key) {
    key = createSecretKey(
      purpose === null ? secret : Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), purpose, 32)),
    );
    byPurpose.set(name, key);
  }
  return key;
}

/** HMAC-SHA256 of `message` under the key for `purpose` (see keyFor). */
export function keyedHash(
  secret: Buffer,
  purpose: string | null,
  message: string,
  encoding: 'hex' | 'base64url' = 'hex',
): string {
  return createHmac('sha256', keyFor(secret, purpose)).update(message).digest(encoding);
}
