import { hash, verify } from '@node-rs/argon2';
import type { Config } from './config.ts';

/**
 * Argon2id for every human secret we must check later (login passwords, card PINs, staff passwords):
 * OWASP's parameters by default (m=19 MiB, t=2, p=1), configurable. The encoded hash carries its own
 * parameters, so a change of configuration is noticed at the next successful check (see needsRehash).
 */
export type HashParams = Pick<Config, 'argon2MemoryKib' | 'argon2TimeCost' | 'argon2Parallelism' | 'argon2Concurrency'>;

// Argon2id; @node-rs/argon2's Algorithm is a const enum, which erasable TypeScript cannot import.
const ARGON2ID = 2;

/**
 * Argon2id runs on libuv's thread pool (one thread per core, platform/thread-pool.ts), which also reads
 * files and resolves names. Handing it every hash at once would queue a file read behind all of them
 * under a burst of logins; so at most `argon2Concurrency` hashes are running or queued there (default
 * twice the cores: the pool always has the next hash at hand, and a file read waits for about one hash),
 * and the rest wait their turn here, in order.
 */
const running = { count: 0, waiting: [] as Array<() => void> };

/** Argon2id computations running and waiting in this process now (for /metrics). */
export function hashQueue(): { running: number; waiting: number } {
  return { running: running.count, waiting: running.waiting.length };
}

async function withHashSlot<T>(params: HashParams, work: () => Promise<T>): Promise<T> {
  if (running.count >= params.argon2Concurrency) await new Promise<void>((resolve) => running.waiting.push(resolve));
  else running.count++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, so the count stays right without a re-check.
    const next = running.waiting.shift();
    if (next) next();
    else running.count--;
  }
}

/** Hashes a secret with Argon2id and a fresh random salt. */
export function hashSecret(params: HashParams, secret: string): Promise<string> {
  return withHashSlot(params, () =>
    hash(secret, {
      algorithm: ARGON2ID,
      memoryCost: params.argon2MemoryKib,
      timeCost: params.argon2TimeCost,
      parallelism: params.argon2Parallelism,
    }),
  );
}

/** Whether `secret` matches `encoded`; false (never a throw) for a malformed hash. */
export async function verifySecret(params: HashParams, encoded: string, secret: string): Promise<boolean> {
  try {
    return await withHashSlot(params, () => verify(encoded, secret));
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
  await verifySecret(params, await dummyHash.hash, secret);
  return false;
}
