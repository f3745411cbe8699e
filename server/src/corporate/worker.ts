import type { AppContext } from '../platform/context.ts';
import { expireLapsed } from './expiry.ts';
import { resumeBatches } from './payroll.ts';
import { answerDueClearing } from './clearing.ts';

/**
 * Corporate e-banking's job loop, run by every server instance (main.ts): expires lapsed instructions,
 * resumes payroll batches whose execution stopped (a crash, a restart, an instance gone), and answers
 * payroll lines and payments waiting in clearing. All state is in the database and every step locks what it
 * changes, so instances running it at once do each thing once.
 */

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock'>;

/** One run of every job; returns what each did. */
export async function sweepCorporate(ctx: Ctx): Promise<{ expired: number; resumed: number; answered: number }> {
  const expired = await expireLapsed(ctx);
  const resumed = await resumeBatches(ctx);
  const answered = await answerDueClearing(ctx);
  return { expired, resumed, answered };
}

/**
 * Runs the sweep at once and then every `intervalMs` until stopped; a failed run is reported and tried
 * again at the next tick. `stop()` resolves once a run in progress has finished.
 */
export function startCorporateWorker(ctx: Ctx, intervalMs: number, onError: (error: unknown) => void) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        await sweepCorporate(ctx);
      } catch (error) {
        onError(error);
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return {
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
