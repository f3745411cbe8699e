import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { codesSent, type E2eServer, latestSmsCode, launchBrowser, newPage, startServer } from './harness.ts';

/** Signs in on the checkout page itself: identifier, password, captcha and the new device's SMS code. */
async function signInOnCheckout(page: Page, baseUrl: string) {
  await page.getByTestId('login-identifier').fill('zhangwei');
  await page.getByTestId('login-password').fill('Jinku2026');
  let captchaId: string | null = null;
  while (!captchaId) captchaId = await page.getByTestId('login-captcha-image').getAttribute('data-captcha-id');
  const { answer } = (await (await fetch(`${baseUrl}/api/v1/dev/captcha/${captchaId}`)).json()) as { answer: string };
  await page.getByTestId('login-captcha-answer').fill(answer);
  const before = await codesSent(baseUrl, '13800000001');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('challenge-code').fill(await latestSmsCode(baseUrl, '13800000001', before));
  await page.getByTestId('challenge-submit').click();
}

describe('paying the demo shop through the checkout', () => {
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

  test('demo shop → checkout → sign in as 张伟 → authorize with SMS → back to the shop, which shows the verified notify', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${server.baseUrl}/dev/shop`);
    const outTradeNo = ((await page.getByTestId('shop-out-trade-no').textContent()) ?? '').trim();
    assert.match(outTradeNo, /^DEMO\d+$/);
    await page.getByTestId('shop-pay').click();
    await page.waitForURL(/\/pay\/\d+$/);

    // The merchant and the order first, the amount in figures and capitals, before anyone signs in.
    assert.equal((await page.getByTestId('checkout-merchant').textContent())?.trim(), '金库演示商城');
    assert.equal((await page.getByTestId('checkout-subject').textContent())?.trim(), '金库纪念茶杯');
    assert.match((await page.getByTestId('checkout-amount').textContent()) ?? '', /88\.00/);
    assert.equal((await page.getByTestId('checkout-amount-capital').textContent())?.trim(), '捌拾捌元整');

    await signInOnCheckout(page, server.baseUrl);
    await page.getByTestId('checkout-reserved').waitFor();
    const from = page.getByTestId('checkout-from');
    await from.selectOption({ index: 1 });
    const before = await codesSent(server.baseUrl, '13800000001');
    await page.getByTestId('checkout-pay').click();
    const code = await latestSmsCode(server.baseUrl, '13800000001', before);
    assert.match((await page.locator('#authorize-lead').textContent()) ?? '', /本笔网上支付需要使用短信验证码确认/);
    await page.getByTestId('auth-code').fill(code);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('checkout-paid').waitFor();

    await page.getByTestId('checkout-back').click();
    await page.waitForURL(/\/dev\/shop\/return\?/);
    assert.equal((await page.getByTestId('shop-return-status').textContent())?.trim(), 'TRADE_SUCCESS');
    assert.match((await page.getByTestId('shop-return-verified').textContent()) ?? '', /签名已验证/);
    // The notify arrives from the bank's worker; the return page refreshes until it is there.
    const notify = page.locator('[data-testid="shop-notify"][data-status="TRADE_SUCCESS"][data-verified="true"]');
    await notify.waitFor({ timeout: 15_000 });
    assert.match((await notify.textContent()) ?? '', new RegExp(outTradeNo));
    await context.close();
  });

  test('on a phone the checkout fits the screen, with the amount and its capitals', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto(`${server.baseUrl}/dev/shop`);
    await page.getByTestId('shop-pay').click();
    await page.waitForURL(/\/pay\/\d+$/);
    await page.getByTestId('checkout-amount-capital').waitFor();
    await page.getByTestId('login-identifier').waitFor();
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(width <= 390, `page width ${width}`);
    const pay = await page.getByTestId('login-submit').boundingBox();
    assert.ok(pay && pay.height >= 44, 'the sign-in button is a large touch target');
    await context.close();
  });
});
