import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { assert } from './assert.ts';

/**
 * Encryption at rest for secrets we must be able to read back (security-media seeds, password-card
 * matrices): AES-256-GCM under a key derived from JINKU_SECRET with HKDF, one key per purpose. The
 * purpose is also the associated data, so a value stored for one purpose does not decrypt as another.
 * Format: "v1." + base64url(iv ‖ tag ‖ ciphertext).
 */
export type SecretBox = {
  seal(purpose: string, plaintext: Buffer | string): string;
  open(purpose: string, sealed: string): Buffer;
};

/** A box keyed by the server secret. */
export function secretBox(secret: Buffer): SecretBox {
  const keys = new Map<string, Buffer>();
  const keyFor = (purpose: string) => {
    let key = keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `jinku/${purpose}`, 32));
      keys.set(purpose, key);
    }
    return key;
  };
  return {
    seal(purpose, plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyFor(purpose), iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(purpose, sealed) {
      assert(sealed.startsWith('v1.'), 'sealed secret has an unknown format');
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', keyFor(purpose), raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    },
  };
}
