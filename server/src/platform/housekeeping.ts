import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

export type Purge = (db: Kysely<Database>, nowMs: number) => Promise<number>;

/**
 * Runs each domain's purge of expired rows every `intervalMs` (an hour in production), so tables that
 * grow with every request (idempotency keys, captchas, codes, attempts) stay bounded. Safe to run on
 * every instance at once: each purge is a plain DELETE of rows no one can use.
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
  const run = async () => {
    for (const purge of purges) {
      if (stopped) return;
      try {
        await purge(db, nowMs());
      } catch (error) {
        onError(error);
      }
    }
  };
  const tick = async () => {
    await run();
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, Math.min(intervalMs, 60_000));
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
