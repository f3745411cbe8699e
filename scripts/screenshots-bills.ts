import { join } from 'node:path';
import { codesSent, latestSmsCode, launchBrowser, newPage, signInThroughPage, startServer } from '../e2e/harness.ts';
import { ensureCjkFonts } from './cjk-fonts.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots-bills.ts`: bill payment (生活缴费, issue 17) in Chromium, saved to
 * docs/screenshots/ at 1440×900 and 390×844: 张伟's electricity bill as the simulator answers it, and
 * the result after his SMS code, and the form with my bills beside it on the way back.
 */
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
const MOBILE = '13800000001';
await ensureCjkFonts();
await ensureWebBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const [suffix, viewport, account] of [
    ['', { width: 1440, height: 900 }, '0101234567'],
    ['-phone', { width: 390, height: 844 }, '0202345678'],
  ] as const) {
    const { context, page } = await newPage(browser, { viewport });
    await signInThroughPage(page, server.baseUrl, 'zhangwei', MOBILE);
    await page.goto(`${server.baseUrl}/bills`);
    await page.getByTestId('bill-biller').selectOption('sgcc-beijing');
    await page.getByTestId('bill-account').fill(account);
    await page.getByTestId('bill-query').click();
    await page.getByTestId('bill-due').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `bills${suffix}.png`), fullPage: suffix === '' });
    const before = await codesSent(server.baseUrl, MOBILE);
    await page.getByTestId('bill-pay').click();
    await page.getByTestId('auth-code').fill(await latestSmsCode(server.baseUrl, MOBILE, before));
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('bill-status').waitFor();
    // The pointer would hover the button that took the place of the one it clicked.
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `bills-result${suffix}.png`) });
    await page.getByTestId('bill-again').click();
    await page.getByTestId('my-bill').first().waitFor();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `bills-mine${suffix}.png`), fullPage: suffix === '' });
    await context.close();
  }
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
