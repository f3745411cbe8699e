import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, signInThroughPage, startServer } from '../e2e/harness.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots.ts`: signs in as the demo customer 张伟 in Chromium and saves the main pages
 * to docs/screenshots/ at 1440×900 (DESIGN.md's quality bar), for the README and for review.
 */
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');

/** The teller console: 张伟's page, and a ¥60,000 deposit read back in figures and capitals. */
async function counterScreenshots(browser: Browser, baseUrl: string) {
  const totp = new TOTP({ secret: Secret.fromBase32('JBSWY3DPEHPK3PXP'), algorithm: 'SHA1', digits: 6, period: 30 });
  const { context, page } = await newPage(browser);
  await page.goto(`${baseUrl}/counter/`);
  await page.getByTestId('counter-username').fill('teller01');
  await page.getByTestId('counter-password').fill('Teller2026!');
  await page.getByTestId('counter-totp').fill(totp.generate());
  await page.keyboard.press('Enter');
  await page.getByTestId('customer-search').fill('13800000001');
  await page.keyboard.press('Enter');
  await page.getByTestId('customer-page').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'counter-console.png') });
  await page.keyboard.press('Alt+3');
  await page.getByTestId('op-amount').fill('60000');
  await page.keyboard.press('Enter');
  await page.getByTestId('op-confirm').waitFor();
  await page.screenshot({ path: join(out, 'counter-confirm.png') });
  await context.close();
}
await ensureWebBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page } = await newPage(browser);
  await signInThroughPage(page, server.baseUrl, 'zhangwei', '13800000001');
  await page.evaluate(async () => {
    const { csrfToken } = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
    await fetch('/api/v1/security/reserved-message', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ message: '青山绿水' }),
    });
  });
  await page.reload();
  await page.getByTestId('account-row').first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'accounts.png') });
  await page.goto(`${server.baseUrl}/transfer`);
  await page.getByTestId('payee-name').fill('李娜');
  await page.getByTestId('payee-account').fill('6228 8800 0000 0000 000');
  await page.getByTestId('transfer-amount').fill('123.45');
  await page.getByTestId('transfer-memo').fill('午饭钱');
  await page.screenshot({ path: join(out, 'transfer.png') });
  await page.getByTestId('transfer-next').click();
  await page.getByTestId('confirm-amount-capital').waitFor();
  await page.screenshot({ path: join(out, 'transfer-confirm.png') });
  await page.goto(`${server.baseUrl}/security`);
  await page.getByTestId('login-name').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'security.png'), fullPage: true });
  await counterScreenshots(browser, server.baseUrl);
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
