// Renders the PWA's PNG icons from the SVGs in web/public/pwa/icons with the installed Chromium, so the
// icons need no image library. Run from the repository root: node web/tools/make-icons.mjs
// (CHROMIUM=/path/to/chromium to override). The PNGs are committed; rerun only when the mark changes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const dir = new URL('../public/pwa/icons/', import.meta.url).pathname;
const jobs = [
  { svg: 'icon.svg', size: 192, out: 'icon-192.png', transparent: true },
  { svg: 'icon.svg', size: 512, out: 'icon-512.png', transparent: true },
  { svg: 'icon-maskable.svg', size: 512, out: 'icon-maskable-512.png', transparent: false },
  // iOS ignores transparency and rounds the corners itself: give it the full-bleed square.
  { svg: 'icon-maskable.svg', size: 180, out: 'apple-touch-icon.png', transparent: false },
];

for (const job of jobs) {
  const work = mkdtempSync(join(tmpdir(), 'jinku-icon-'));
  const svg = readFileSync(join(dir, job.svg), 'utf8');
  const html = `<!doctype html><html><head><style>html,body{margin:0;padding:0;background:transparent;overflow:hidden}
svg{display:block;width:${job.size}px;height:${job.size}px}</style></head><body>${svg}</body></html>`;
  writeFileSync(join(work, 'icon.html'), html);
  execFileSync(chromium, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${join(work, 'profile')}`,
    ...(job.transparent ? ['--default-background-color=00000000'] : []),
    `--window-size=${job.size},${job.size}`,
    `--screenshot=${join(dir, job.out)}`,
    `file://${join(work, 'icon.html')}`,
  ], { stdio: 'ignore', timeout: 60_000 });
  rmSync(work, { recursive: true, force: true });
  console.log(`wrote ${job.out}`);
}
