/**
 * Seeded timings for the fault tests. `npm run soak` sets JINKU_SOAK_SEED for each run; a test draws its
 * timings from it (how long the load runs before the fault, how long the database stays away, …), so a
 * failing run is replayed exactly by setting the seed it printed. Without a seed the tests use fixed
 * timings, the short form that `npm test` runs.
 */
export const SOAK_SEED = process.env.JINKU_SOAK_SEED;

/** A small seeded generator (mulberry32): `next(n)` is an integer in [0, n). */
export function seededRandom(seed: string | number): (n: number) => number {
  let state = Number(seed) >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}

/**
 * `fixed` under `npm test`; under the soak, `min` plus a seeded draw below `spread`. Each test file draws
 * its timings in a fixed order from its own generator, so one seed gives each file the same timings every time.
 */
export function soakTimings(): (fixed: number, min: number, spread: number) => number {
  const next = SOAK_SEED ? seededRandom(SOAK_SEED) : null;
  return (fixed, min, spread) => (next ? min + next(spread) : fixed);
}

/** A note for a test's diagnostics naming the seed, so a soak failure can be replayed. */
export function seedNote(): string {
  return SOAK_SEED ? `, soak seed ${SOAK_SEED}` : '';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
