import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type E2eServer, launchBrowser, newPage, startServer, waitForExpression } from './harness.ts';

describe('web app shell in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('serves the three areas in Chinese by default, with no CSP violations', async () => {
    for (const path of ['/', '/m/', '/counter/']) {
      const { context, page } = await newPage(browser, path === '/m/' ? { viewport: { width: 390, height: 844 } } : {});
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      const response = await page.goto(server.baseUrl + path);
      assert.equal(response?.status(), 200, path);
      await page.waitForSelector('[data-testid="lang-switch"]');
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN', path);
      assert.match((await page.locator('body').textContent()) ?? '', /登录/, path);
      assert.deepEqual(violations, [], path);
      await context.close();
    }
  });

  test('switches to English, and the choice survives a reload', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.baseUrl + '/');
    await page.getByTestId('lang-switch').click();
    await waitForExpression(page, "document.documentElement.lang === 'en'");
    assert.match((await page.locator('body').textContent()) ?? '', /Log in|Sign in/i);
    await page.reload();
    await page.waitForSelector('[data-testid="lang-switch"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await context.close();
  });

  test('the mobile area links its web app manifest', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto(server.baseUrl + '/m/');
    await page.waitForSelector('link[rel="manifest"]', { state: 'attached' });
    const href = await page.getAttribute('link[rel="manifest"]', 'href');
    const manifest = (await (await fetch(new URL(href!, server.baseUrl))).json()) as {
      scope: string;
      icons: unknown[];
    };
    assert.equal(manifest.scope, '/m/');
    assert.ok(manifest.icons.length >= 2);
    await context.close();
  });

  test('the API docs load under their own strict policy, named and introduced, with no CSP violations', async () => {
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.baseUrl}/api/docs`);
    await page.waitForSelector('.info .title');
    assert.equal(await page.title(), 'Jinku API');
    assert.match((await page.locator('.info .title').textContent()) ?? '', /Jinku/);
    assert.match((await page.locator('.info .description').textContent()) ?? '', /problem\+json/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the start-up log lists the demo identities', () => {
    assert.match(server.output(), /zhangwei|13800000001/);
  });
});
