import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

/** The first retry of a failed run comes this soon; later ones wait twice as long each, up to the interval. */
const RETRY_FIRST_MS = 1000;

export type Purge = (db: Kysely<Database>, nowMs: number) => Promise<number>;

/**
 * Runs each domain's purge of expired rows every `intervalMs` (an hour in production), so tables that
 * grow with every request (idempotency keys, captchas, codes, attempts) stay bounded. Safe to run on
 * every instance at once: each purge is a plain DELETE of rows no one can use. A run that fails (the
 * database away) is retried with a growing pause, so the loop resumes when the database returns.
 */
export function startHousekeeping(
  db: Kysely<Database>,
  nowMs: () => number,
  purges: readonly Purge[],
  intervalMs: number,
  onError: (error: unknown) => void,
) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let failedRunsInARow = 0;
  /** Runs every purge; false when one failed (the database away, say). */
  const run = async (): Promise<boolean> => {
    let allDone = true;
    for (const purge of purges) {
      if (stopped) break;
      try {
        await purge(db, nowMs());
      } catch (error) {
        allDone = false;
        // One line per failed run while the database is away, not one per purge.
        if (failedRunsInARow === 0) onError(error);
      }
    }
    return allDone;
  };
  const tick = async () => {
    failedRunsInARow = (await run()) ? 0 : failedRunsInARow + 1;
    // A failed run is tried again soon (doubling from a second) rather than an interval later.
    const nextMs =
      failedRunsInARow === 0
        ? intervalMs
        : Math.min(intervalMs, RETRY_FIRST_MS * 2 ** Math.min(failedRunsInARow - 1, 20));
    if (!stopped) timer = setTimeout(tick, nextMs);
  };
  timer = setTimeout(tick, Math.min(intervalMs, 60_000));
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
