import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { codesSent, type E2eServer, latestSmsCode, startServer, waitForExpression } from './harness.ts';

const MOBILE = '13800000001';

/** Waits until the page's service worker is active (the page's DOM is evaluated as a string: no DOM types here). */
async function activeWorker(page: Page): Promise<{ scope: string; scriptURL: string }> {
  return page.evaluate(
    `navigator.serviceWorker.ready.then((r) => ({ scope: r.scope, scriptURL: r.active?.scriptURL ?? '' }))`,
  );
}

/** Every URL in every Cache Storage cache of the page's origin. */
async function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(`(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) urls.push(request.url);
    }
    return urls;
  })()`);
}

describe('the phone app is an installable PWA that never caches an API answer', () => {
  let server: E2eServer;
  // Chromium never offers to install from an incognito profile, which every ordinary Playwright context
  // is: this test browses with a real (throwaway) profile directory.
  let profileDir: string;
  let context: BrowserContext;
  before(async () => {
    server = await startServer();
    profileDir = mkdtempSync(join(tmpdir(), 'jinku-pwa-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
  });
  after(async () => {
    await context?.close();
    await server?.stop();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  test('the server serves the manifest and the worker with their types, under the CSP', async () => {
    const manifest = await fetch(`${server.baseUrl}/pwa/manifest.webmanifest`);
    assert.equal(manifest.status, 200);
    assert.match(manifest.headers.get('content-type') ?? '', /^application\/manifest\+json/);
    const body = (await manifest.json()) as Record<string, unknown>;
    assert.equal(body.name, '金库手机银行');
    assert.equal(body.start_url, '/m/');
    assert.equal(body.scope, '/m/');
    assert.equal(body.display, 'standalone');
    assert.equal(body.theme_color, '#B3261E');
    const worker = await fetch(`${server.baseUrl}/sw.js`);
    assert.equal(worker.status, 200);
    assert.match(worker.headers.get('content-type') ?? '', /^(text|application)\/javascript/);
    // A deploy must reach phones at once: the worker script itself is never cached by HTTP.
    assert.match(worker.headers.get('cache-control') ?? '', /no-cache/);
    const csp = (await fetch(`${server.baseUrl}/m/`)).headers.get('content-security-policy') ?? '';
    assert.match(csp, /manifest-src 'self'/);
    assert.match(csp, /worker-src 'self'/);
  });

  test('Chromium reports /m/ installable, its worker active, and no /api/ answer in any cache', async () => {
    const page = await context.newPage();
    try {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${server.baseUrl}/m/`);
      await page.getByTestId('login-identifier').waitFor();
      const worker = await activeWorker(page);
      assert.equal(worker.scope, `${server.baseUrl}/m/`);
      assert.equal(worker.scriptURL, `${server.baseUrl}/sw.js`);

      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: Array<{ errorId: string }>;
      };
      assert.deepEqual(installabilityErrors, []);

      // Sign in and read account data through the worker-controlled page.
      await page.reload();
      await waitForExpression(page, 'navigator.serviceWorker.controller !== null');
      await page.getByTestId('login-identifier').fill(MOBILE);
      await page.getByTestId('login-password').fill('Jinku2026');
      const sent = await codesSent(server.baseUrl, MOBILE);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('challenge-code').fill(await latestSmsCode(server.baseUrl, MOBILE, sent));
      await page.getByTestId('challenge-submit').click();
      await page.getByTestId('m-tab-home').waitFor();
      await page.getByTestId('m-account').first().waitFor();
      const status = await page.evaluate(async () => (await fetch('/api/v1/accounts')).status);
      assert.equal(status, 200);

      const urls = await cachedUrls(page);
      assert.ok(urls.length > 0, 'the app shell is precached');
      assert.ok(
        urls.some((url) => /\/assets\/.+\.js/.test(url)),
        'the scripts of the app shell are precached',
      );
      assert.deepEqual(
        urls.filter((url) => new URL(url).pathname.startsWith('/api/')),
        [],
      );
      assert.deepEqual(violations, []);
    } finally {
      await page.close();
    }
  });
});
