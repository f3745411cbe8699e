import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'web', 'dist', 'index.html');

/** Newest modification time of any file under the web sources and the Vite config. */
function newestSourceMs(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'dist' || name === 'node_modules') continue;
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else newest = Math.max(newest, stat.mtimeMs);
    }
  };
  walk(join(root, 'web'));
  for (const file of ['vite.config.ts', 'package.json']) {
    if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  }
  return newest;
}

/** Builds the web app with Vite when web/dist is missing or older than the sources. */
export async function ensureWebBuilt(): Promise<void> {
  if (!existsSync(join(root, 'web', 'index.html'))) return;
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestSourceMs()) return;
  process.stdout.write('▶ building the web app (vite build)\n');
  const result = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('vite build failed');
}

if (import.meta.main) await ensureWebBuilt();
