import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { codesSent, type E2eServer, latestSmsCode, launchBrowser, newPage, startServer } from './harness.ts';

const MOBILE = '13800000001';

/** Signs 张伟 in on the phone's own login page (mobile number, password, the SMS code for a new phone). */
async function phoneSignIn(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/m/login`);
  await page.getByTestId('login-identifier').fill(MOBILE);
  await page.getByTestId('login-password').fill('Jinku2026');
  const sent = await codesSent(baseUrl, MOBILE);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('challenge-code').fill(await latestSmsCode(baseUrl, MOBILE, sent));
  await page.getByTestId('challenge-submit').click();
  await page.getByTestId('m-tab-home').waitFor();
}

/** Whether anything on the page is wider than the window. */
async function widerThanScreen(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > width + 1 || r.left < -1)) wide.push(el.dataset.testid || el.className || el.tagName);
    }
    if (document.documentElement.scrollWidth > width) wide.push('document ' + document.documentElement.scrollWidth);
    return wide;
  })()`);
}

describe('bills on the phone', () => {
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

  test('张伟 tops up a mobile from the phone home: ¥100 with the SMS code, the result, and back home', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      await phoneSignIn(page, server.baseUrl);
      const shortcut = page.getByRole('link', { name: '生活缴费' });
      const box = await shortcut.boundingBox();
      assert.ok(box && box.height >= 44, 'the shortcut is a large touch target');
      await shortcut.click();
      await page.waitForURL(/\/m\/bills$/);
      // The phone's page is the web's bills flow, inside the phone's shell with its tab bar.
      await page.getByTestId('m-bills').waitFor();
      await page.getByTestId('m-tab-home').waitFor();
      await page.getByTestId('bill-category-mobile').check();
      await page.getByTestId('bill-biller').selectOption('china-mobile');
      await page.getByTestId('bill-account').fill('13912345678');
      await page.getByTestId('bill-query').click();
      await page.getByTestId('top-up-100.00').check();
      assert.equal(await page.getByTestId('bill-amount').inputValue(), '100.00');
      assert.equal((await page.getByTestId('bill-amount-capital').textContent())?.trim(), '壹佰元整');
      assert.deepEqual(await widerThanScreen(page), [], 'the bill step fits the screen');

      const sent = await codesSent(server.baseUrl, MOBILE);
      await page.getByTestId('bill-pay').click();
      await page.getByTestId('auth-code').fill(await latestSmsCode(server.baseUrl, MOBILE, sent));
      await page.getByTestId('auth-submit').click();
      await page.getByTestId('bill-status').waitFor();
      assert.match((await page.getByTestId('bill-status').textContent()) ?? '', /缴费成功/);
      assert.match((await page.getByTestId('bill-serial').textContent()) ?? '', /\S{8,}/);
      const result = (await page.getByTestId('m-bills').textContent()) ?? '';
      assert.match(result, /中国移动/);
      assert.match(result, /100\.00/);
      assert.deepEqual(await widerThanScreen(page), [], 'the result fits the screen');

      // The way on leads to the phone's home, not the web bank's overview.
      await page.getByRole('link', { name: '账户总览' }).click();
      await page.waitForURL(/\/m\/$/);
      await page.getByTestId('m-account').first().waitFor();
    } finally {
      await context.close();
    }
  });
});
