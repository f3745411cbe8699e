import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { codesSent, latestSmsCode, launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { ensureCjkFonts } from './cjk-fonts.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots-checkout.ts`: the merchant gateway (issue 17) in Chromium, saved to
 * docs/screenshots/ at 1440×900 and 390×844: the demo shop, the checkout before and after 张伟 signs in,
 * its SMS authorization, the result, and the shop's page with Jinku's verified notify.
 */
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
const MOBILE = '13800000001';
await ensureCjkFonts();
await ensureWebBuilt();
const server = await startServer();
const browser = await launchBrowser();

async function shot(page: Page, name: string, fullPage: boolean) {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage });
}

try {
  for (const [suffix, viewport] of [
    ['', { width: 1440, height: 900 }],
    ['-phone', { width: 390, height: 844 }],
  ] as const) {
    const { context, page } = await newPage(browser, { viewport });
    await page.goto(`${server.baseUrl}/dev/shop`);
    await shot(page, `checkout-shop${suffix}`, false);
    await page.getByTestId('shop-pay').click();
    await page.getByTestId('login-identifier').waitFor();
    await shot(page, `checkout${suffix}`, true);
    await page.getByTestId('login-identifier').fill('zhangwei');
    await page.getByTestId('login-password').fill('Jinku2026');
    let captchaId: string | null = null;
    while (!captchaId) captchaId = await page.getByTestId('login-captcha-image').getAttribute('data-captcha-id');
    const { answer } = (await (await fetch(`${server.baseUrl}/api/v1/dev/captcha/${captchaId}`)).json()) as {
      answer: string;
    };
    await page.getByTestId('login-captcha-answer').fill(answer);
    let before = await codesSent(server.baseUrl, MOBILE);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('challenge-code').fill(await latestSmsCode(server.baseUrl, MOBILE, before));
    await page.getByTestId('challenge-submit').click();
    await page.getByTestId('checkout-reserved').waitFor();
    await page.getByTestId('checkout-from').selectOption({ index: 1 });
    await shot(page, `checkout-account${suffix}`, true);
    before = await codesSent(server.baseUrl, MOBILE);
    await page.getByTestId('checkout-pay').click();
    const code = await latestSmsCode(server.baseUrl, MOBILE, before);
    await page.getByTestId('auth-code').waitFor();
    await shot(page, `checkout-authorize${suffix}`, true);
    await page.getByTestId('auth-code').fill(code);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('checkout-paid').waitFor();
    await shot(page, `checkout-paid${suffix}`, false);
    await page.getByTestId('checkout-back').click();
    await page.locator('[data-testid="shop-notify"][data-verified="true"]').first().waitFor({ timeout: 15_000 });
    await shot(page, `checkout-return${suffix}`, false);
    await context.close();
  }
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
