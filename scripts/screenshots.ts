import { join } from 'node:path';
import { launchBrowser, newPage, signInThroughPage, startServer } from '../e2e/harness.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots.ts`: signs in as the demo customer 张伟 in Chromium and saves the main pages
 * to docs/screenshots/ at 1440×900 (DESIGN.md's quality bar), for the README and for review.
 */
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
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
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
