import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench [name…]`: runs each benchmark under bench/ (every *.ts but this file and helpers) in its
 * own process, one after another so they do not compete for the two cores; each prints its figures.
 */
const wanted = process.argv.slice(2);
const benches = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const result = spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', join(import.meta.dirname, file)],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
