import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run soak -- --runs N [--seed S]` (issue 20, item 4): repeats the fault scenarios N times with
 * random timings drawn from a seed — PostgreSQL crashed and restarted under keyed transfers
 * (platform/db/outage.test.ts), the server killed mid-load on both databases (payments/crash.test.ts) and
 * the primary crashed and its synchronous standby promoted behind HAProxy (platform/db/failover.test.ts).
 * Each run's seed is printed; `JINKU_SOAK_SEED=<seed> npm test -- <test file>` replays it (the timings
 * come from testing/faults/seed.ts).
 */
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(option('runs') ?? 1);
const firstSeed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
const root = join(import.meta.dirname, '..');
const files = [
  'server/src/platform/db/outage.test.ts',
  'server/src/payments/crash.test.ts',
  'server/src/platform/db/failover.test.ts',
];
let passed = 0;
const failedSeeds: number[] = [];
for (let run = 0; run < runs; run++) {
  const seed = firstSeed + run;
  process.stdout.write(`▶ soak run ${run + 1}/${runs}, seed ${seed}\n`);
  const result = spawnSync(process.execPath, [join(root, 'scripts/test.ts'), '--skip-checks', ...files], {
    cwd: root,
    env: { ...process.env, JINKU_SOAK_SEED: String(seed) },
    encoding: 'utf8',
  });
  const summary = (result.stdout ?? '')
    .split('\n')
    .filter((l) => /ℹ (pass|fail) |answers by phase|answered|in doubt/.test(l));
  process.stdout.write(`${summary.join('\n')}\n`);
  if (result.status === 0) passed++;
  else {
    failedSeeds.push(seed);
    process.stdout.write(`${result.stdout}\n${result.stderr}\n`);
  }
}
process.stdout.write(
  `soak: ${passed} of ${runs} runs passed${failedSeeds.length ? `; failed seeds: ${failedSeeds.join(', ')}` : ''}\n`,
);
process.exit(passed === runs ? 0 : 1);
