import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request for wrk to send; they are sent in turn. */
export type WrkRequest = { method: string; path: string; headers: Record<string, string>; body?: unknown };

export type WrkResult = {
  /** Good answers (2xx whose body contains `expect`) per second. */
  perSecond: number;
  good: number;
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** The share of the machine's CPU that wrk itself used. */
  loadShare: number;
};

/**
 * Runs wrk (Debian's package `wrk`), a load generator in C, against a server: the benchmark's requests
 * then cost the two cores it shares with the server far less than a Node client does (about a tenth).
 */
export async function runWrk(options: {
  baseUrl: string;
  requests: WrkRequest[];
  connections: number;
  seconds: number;
  /** A string every good answer's body contains. */
  expect: string;
  /** Give every request its own Idempotency-Key starting with this. */
  idempotencyKeyPrefix?: string;
}): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jinku-wrk-'));
  const requestsFile = join(dir, 'requests.tsv');
  writeFileSync(
    requestsFile,
    options.requests
      .map((r) => {
        // wrk adds no Host header to requests a script formats before it has connected.
        const headers = Object.entries({
          host: new URL(options.baseUrl).host,
          ...r.headers,
          ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
        });
        const line = [
          r.method,
          r.path,
          headers.map(([k, v]) => `${k}: ${v}`).join('|'),
          r.body === undefined ? '' : JSON.stringify(r.body),
        ];
        if (line.some((field) => /[\t\n]/.test(field)) || headers.some(([k, v]) => `${k}${v}`.includes('|')))
          throw new Error('a wrk request may not contain tabs, newlines or | in headers');
        return line.join('\t');
      })
      .join('\n'),
  );
  const script = join(import.meta.dirname, 'wrk-requests.lua');
  // `times` reports the CPU time of the shell's children (wrk) once it has exited.
  const command = `wrk -t1 -c${options.connections} -d${options.seconds}s --latency -s '${script}' '${options.baseUrl}' && times`;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      env: {
        ...process.env,
        WRK_REQUESTS: requestsFile,
        WRK_EXPECT: options.expect,
        ...(options.idempotencyKeyPrefix ? { WRK_KEY_PREFIX: options.idempotencyKeyPrefix } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
    });
    child.stderr.on('data', (chunk) => {
      text += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(text);
      else if (code === 127) reject(new Error('wrk is not installed: apt-get install wrk'));
      else reject(new Error(`wrk failed (${code}):\n${text}`));
    });
  });
  const result = /WRK_RESULT (\{.*\})/.exec(output);
  const times = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(output.trim());
  if (!result || !times) throw new Error(`unexpected wrk output:\n${output}`);
  const figures = JSON.parse(result[1]!) as {
    requests: number;
    good: number;
    durationUs: number;
    p50Us: number;
    p99Us: number;
    socketErrors: number;
  };
  const seconds = figures.durationUs / 1e6;
  const cpuSeconds = Number(times[1]) * 60 + Number(times[2]) + Number(times[3]) * 60 + Number(times[4]);
  return {
    perSecond: figures.good / seconds,
    good: figures.good,
    requests: figures.requests,
    seconds,
    p50Ms: figures.p50Us / 1000,
    p99Ms: figures.p99Us / 1000,
    loadShare: cpuSeconds / seconds / availableParallelism(),
  };
}
