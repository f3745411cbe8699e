import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt } from '../scripts/web-build.ts';
import { startServerProcess } from '../server/src/testing/server-process.ts';

/**
 * `npm run bench -- web`: Lighthouse's performance score for the phone app (`/m/`) and the web login
 * (`/`) with its default profile — a mid-range phone on slow 4G with 4× CPU slowdown, simulated — against
 * Debian's Chromium, and the gzipped weight of the JavaScript and CSS each first screen loads. Each page
 * is measured RUNS times (the machine is shared: CPU contention lowers a score, never raises it), each
 * run after waiting up to BENCH_WEB_QUIET_SECONDS for the load average to fall below the number of cores;
 * the load is printed beside each run, and the best and the median score per page.
 */
const PAGES = ['/m/', '/'];
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 3);
const QUIET_WAIT_SECONDS = Number(process.env.BENCH_WEB_QUIET_SECONDS ?? 120);
const CORES = availableParallelism();
const ROOT = join(import.meta.dirname, '..');
const CHROME = process.env.CHROME_PATH ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type NetworkRequest = { url: string; resourceType?: string; transferSize?: number; finished?: boolean };
type Report = {
  categories: { performance: { score: number | null } };
  audits: Record<string, { numericValue?: number; details?: { items?: NetworkRequest[] } }>;
};

/** One Lighthouse run in its own process (its CLI), the report read back as JSON. */
function lighthouse(url: string, dir: string, index: number): Report | undefined {
  const output = join(dir, `report-${index}.json`);
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/lighthouse/cli/index.js'),
      url,
      '--only-categories=performance',
      '--output=json',
      `--output-path=${output}`,
      '--quiet',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
    ],
    { env: { ...process.env, CHROME_PATH: CHROME }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (result.status !== 0) return undefined;
  return JSON.parse(readFileSync(output, 'utf8')) as Report;
}

/** A run that Lighthouse could not record (a trace lost under load: NO_NAVSTART) is tried again, twice. */
function lighthouseWithRetry(url: string, dir: string, index: number): Report {
  for (let attempt = 0; attempt < 3; attempt++) {
    const report = lighthouse(url, dir, index * 10 + attempt);
    if (report) return report;
    console.log(`${url}: Lighthouse could not record the run; trying again`);
  }
  throw new Error(`lighthouse failed three times for ${url}`);
}

/** The first screen's scripts and stylesheets (what Lighthouse saw load), each fetched and gzipped. */
async function firstScreenWeights(report: Report): Promise<{ js: number; css: number; files: string[] }> {
  const items = report.audits['network-requests']?.details?.items ?? [];
  let js = 0;
  let css = 0;
  const files: string[] = [];
  for (const item of items) {
    if (item.resourceType !== 'Script' && item.resourceType !== 'Stylesheet') continue;
    const body = new Uint8Array(await (await fetch(item.url)).arrayBuffer());
    const gzipped = gzipSync(body, { level: 9 }).length;
    if (item.resourceType === 'Script') js += gzipped;
    else css += gzipped;
    files.push(`${new URL(item.url).pathname} ${(gzipped / 1024).toFixed(1)} KB`);
  }
  return { js, css, files };
}

/**
 * Waits, up to QUIET_WAIT_SECONDS, for the one-minute load average to fall below the number of cores:
 * Lighthouse multiplies the main thread's real task times by its 4× slowdown, so a busy machine's
 * stalls count four times over.
 */
async function quietEnough(): Promise<number> {
  const deadline = Date.now() + QUIET_WAIT_SECONDS * 1000;
  while (loadavg()[0]! >= CORES && Date.now() < deadline) await sleep(5000);
  return loadavg()[0]!;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const ms = (report: Report, audit: string) => Math.round(report.audits[audit]?.numericValue ?? Number.NaN);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

await ensureWebBuilt();
const dir = mkdtempSync(join(tmpdir(), 'jinku-bench-web-'));
const server = await startServerProcess(`sqlite:${join(dir, 'jinku.db')}`, { LOG_LEVEL: 'warn' });
// Lighthouse needs a hostname for the same reasons WebAuthn does: serve as localhost.
const base = server.baseUrl.replace('127.0.0.1', 'localhost');
try {
  console.log(
    `Lighthouse ${JSON.parse(readFileSync(join(ROOT, 'node_modules/lighthouse/package.json'), 'utf8')).version}, default mobile profile (simulated slow 4G, 4× CPU slowdown), ${CHROME}`,
  );
  let run = 0;
  for (const path of PAGES) {
    const scores: number[] = [];
    let last: Report | undefined;
    for (let i = 0; i < RUNS; i++) {
      const load = await quietEnough();
      last = lighthouseWithRetry(base + path, dir, run++);
      scores.push(last.categories.performance.score ?? Number.NaN);
      console.log(
        `${path.padEnd(4)} run ${i + 1} (load ${load.toFixed(1)} on ${CORES} cores): performance ${scores.at(-1)!.toFixed(2)}  FCP ${ms(last, 'first-contentful-paint')} ms  LCP ${ms(last, 'largest-contentful-paint')} ms  TBT ${ms(last, 'total-blocking-time')} ms  CLS ${(last.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)}  SI ${ms(last, 'speed-index')} ms`,
      );
    }
    const weights = await firstScreenWeights(last!);
    const requests = last!.audits['network-requests']?.details?.items?.length ?? 0;
    console.log(
      `${path.padEnd(4)} best ${Math.max(...scores).toFixed(2)}, median ${median(scores).toFixed(2)}; first screen gzipped: JS ${kb(weights.js)} + CSS ${kb(weights.css)} = ${kb(weights.js + weights.css)}, ${requests} requests`,
    );
    for (const file of weights.files) console.log(`       ${file}`);
  }
} finally {
  await server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
