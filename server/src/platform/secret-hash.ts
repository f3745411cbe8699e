import { hash, verify } from '@node-rs/argon2';
import type { Config } from './config.ts';

/**
 * Argon2id for every human secret we must check later (login passwords, card PINs, staff passwords):
 * OWASP's parameters by default (m=19 MiB, t=2, p=1), configurable. The encoded hash carries its own
 * parameters, so a change of configuration is noticed at the next successful check (see needsRehash).
 */
export type HashParams = Pick<Config, 'argon2MemoryKib' | 'argon2TimeCost' | 'argon2Parallelism'>;

// Argon2id; @node-rs/argon2's Algorithm is a const enum, which erasable TypeScript cannot import.
const ARGON2ID = 2;

/** Hashes a secret with Argon2id and a fresh random salt. */
export function hashSecret(params: HashParams, secret: string): Promise<string> {
  return hash(secret, {
    algorithm: ARGON2ID,
    memoryCost: params.argon2MemoryKib,
    timeCost: params.argon2TimeCost,
    parallelism: params.argon2Parallelism,
  });
}

/** Whether `secret` matches `encoded`; false (never a throw) for a malformed hash. */
export async function verifySecret(encoded: string, secret: string): Promise<boolean> {
  try {
    return await verify(encoded, secret);
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with other parameters than the configured ones. */
export function needsRehash(params: HashParams, encoded: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded);
  if (!match) return true;
  return (
    Number(match[1]) !== params.argon2MemoryKib ||
    Number(match[2]) !== params.argon2TimeCost ||
    Number(match[3]) !== params.argon2Parallelism
  );
}

let dummyHash: { key: string; hash: Promise<string> } | null = null;

/**
 * Verifies against a hash of a random secret, so that a login for an unknown identifier costs the same
 * time as one with a wrong password (no account enumeration by timing).
 */
export async function verifyDummy(params: HashParams, secret: string): Promise<false> {
  const key = `${params.argon2MemoryKib}/${params.argon2TimeCost}/${params.argon2Parallelism}`;
  if (dummyHash?.key !== key) dummyHash = { key, hash: hashSecret(params, crypto.randomUUID()) };
  await verifySecret(await dummyHash.hash, secret);
  return false;
}
