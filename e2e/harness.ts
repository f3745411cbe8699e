import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { freePort } from '../scripts/pg-cluster.ts';

const ROOT = join(import.meta.dirname, '..');

export type E2eServer = {
  baseUrl: string;
  /** The server's database, for the operator tools a test runs beside it (the e-token simulator). */
  databaseUrl: string;
  output: () => string;
  stop(): Promise<void>;
};

/**
 * Starts a real Jinku server process on a fresh SQLite database with the demo bank, on `localhost` (WebAuthn
 * needs a hostname) and a free port. The web app must be built (npm test builds it first).
 */
export async function startServer(env: Record<string, string> = {}): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'jinku-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/main.ts')],
    {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:${join(dir, 'jinku.db')}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        JINKU_ENV: 'test',
        JINKU_DEMO: 'true',
        JINKU_OUTBOX_POLL_MS: '50',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (c) => {
    output += c;
  });
  child.stderr!.on('data', (c) => {
    output += c;
  });
  const deadline = Date.now() + 60_000;
  while (!output.includes('Jinku ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    baseUrl: `http://localhost:${port}`,
    databaseUrl: `sqlite:${join(dir, 'jinku.db')}`,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs; never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new browser context (fresh cookies and storage) and page, zh-CN unless told otherwise. */
export async function newPage(
  browser: Browser,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: options.locale ?? 'zh-CN',
    viewport: options.viewport ?? { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  return { context, page };
}

/** The newest SMS one-time code sent to `mobile`, read from the dev outbox (waits briefly for it). */
export async function latestSmsCode(baseUrl: string, mobile: string, sinceCount = 0): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/api/v1/dev/outbox?to=${mobile}`);
    const { items } = (await response.json()) as { items: Array<{ code?: string }> };
    const withCode = items.filter((m) => m.code);
    if (withCode.length > sinceCount) return withCode[0]!.code!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS code arrived for ${mobile}`);
}

/** How many SMS messages with a code have gone to `mobile` (to wait for the next one). */
export async function codesSent(baseUrl: string, mobile: string): Promise<number> {
  const { items } = (await (await fetch(`${baseUrl}/api/v1/dev/outbox?to=${mobile}`)).json()) as {
    items: Array<{ code?: string }>;
  };
  return items.filter((m) => m.code).length;
}

/**
 * Signs in through the login page as a person would: identifier, password, the captcha (its answer
 * read from the dev route) and the SMS code a new device is asked for; waits for the accounts page.
 */
export async function signInThroughPage(
  page: Page,
  baseUrl: string,
  identifier: string,
  mobile: string,
  password = 'Jinku2026',
) {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('login-identifier').fill(identifier);
  await page.getByTestId('login-password').fill(password);
  let captchaId: string | null = null;
  while (!captchaId) captchaId = await page.getByTestId('login-captcha-image').getAttribute('data-captcha-id');
  const { answer } = (await (await fetch(`${baseUrl}/api/v1/dev/captcha/${captchaId}`)).json()) as { answer: string };
  await page.getByTestId('login-captcha-answer').fill(answer);
  const before = await codesSent(baseUrl, mobile);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('challenge-code').fill(await latestSmsCode(baseUrl, mobile, before));
  await page.getByTestId('challenge-submit').click();
  await page.getByTestId('account-row').first().waitFor();
}

/**
 * Waits until a JavaScript expression is true in the page, asking from here every 50 ms. Not
 * page.waitForFunction with a string: that polls with eval inside the page, which our Content Security
 * Policy (script-src 'self') refuses once the first check was false.
 */
export async function waitForExpression(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
