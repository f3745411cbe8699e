import { sleep } from './seed.ts';

export type ReadinessSample = { phase: string; status: number };

/**
 * Polls `/readyz` as a load balancer would, recording each answer with the test's phase when the answer
 * arrived (a probe in flight when the fault comes is not labelled with the phase before it).
 */
export function probeReadiness(
  baseUrl: string,
  phase: () => string,
): { samples: ReadinessSample[]; stop(): Promise<void> } {
  const samples: ReadinessSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const status = (await fetch(`${baseUrl}/readyz`)).status;
      samples.push({ phase: phase(), status });
      await sleep(50);
    }
  })();
  return {
    samples,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** The set of /readyz statuses seen in a phase. */
export function statusesIn(samples: ReadinessSample[], phase: string): Set<number> {
  return new Set(samples.filter((s) => s.phase === phase).map((s) => s.status));
}

/** Milliseconds until `/readyz` answers 200 (NaN if not within `timeoutMs`). */
export async function waitUntilReady(baseUrl: string, timeoutMs = 10_000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if ((await fetch(`${baseUrl}/readyz`)).status === 200) return Date.now() - start;
    await sleep(20);
  }
  return Number.NaN;
}
