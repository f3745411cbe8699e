import { join } from 'node:path';
import { codesSent, latestSmsCode, launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { ensureCjkFonts } from './cjk-fonts.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots-mobile.ts`: the phone app (issue 16) at 390×844, saved to docs/screenshots/:
 * the home tab with its balances shown and the bottom navigation, and the message centre after a
 * transfer between 张伟's accounts (two 动账通知 and the new-device sign-in, the badge on 消息), and the
 * result of a mobile top-up paid from the home's 生活缴费.
 */
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
const MOBILE = '13800000001';
ensureCjkFonts();
await ensureWebBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${server.baseUrl}/m/login`);
  await page.getByTestId('login-identifier').fill(MOBILE);
  await page.getByTestId('login-password').fill('Jinku2026');
  const before = await codesSent(server.baseUrl, MOBILE);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('challenge-code').fill(await latestSmsCode(server.baseUrl, MOBILE, before));
  await page.getByTestId('challenge-submit').click();
  await page.getByTestId('m-account').first().waitFor();

  // A transfer between his own accounts, through the Transfer tab, leaves two 动账通知.
  const second = (await page.evaluate(`(async () => {
    const { items } = await (await fetch('/api/v1/accounts')).json();
    const account = await (await fetch('/api/v1/accounts/' + items[1].id)).json();
    return { card: account.cardNumber ?? account.number };
  })()`)) as { card: string };
  await page.getByTestId('m-tab-transfer').click();
  await page.getByTestId('payee-name').fill('张伟');
  await page.getByTestId('payee-account').fill(second.card);
  await page.getByTestId('transfer-amount').fill('1200.00');
  await page.getByTestId('transfer-next').click();
  await page.getByTestId('confirm-transfer').click();
  await page.getByTestId('transfer-status').waitFor();

  await page.getByTestId('m-tab-home').click();
  await page.getByTestId('m-balance-toggle').click();
  await page.getByTestId('m-unread-badge').filter({ hasText: /^3$/ }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'mobile-home.png') });

  await page.getByTestId('m-tab-messages').click();
  await page.locator('[data-testid="m-message"][data-kind="balance.debit"]').waitFor();
  await page.locator('[data-testid="m-message"][data-kind="balance.credit"]').click();
  await page.getByTestId('m-unread-badge').filter({ hasText: /^2$/ }).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'mobile-messages.png') });

  // 生活缴费 from the home's shortcut: a ¥100 mobile top-up with the SMS code, and its result.
  await page.getByTestId('m-tab-home').click();
  await page.getByRole('link', { name: '生活缴费' }).click();
  await page.getByTestId('bill-category-mobile').check();
  await page.getByTestId('bill-biller').selectOption('china-mobile');
  await page.getByTestId('bill-account').fill('13912345678');
  await page.getByTestId('bill-query').click();
  await page.getByTestId('top-up-100.00').check();
  const sent = await codesSent(server.baseUrl, MOBILE);
  await page.getByTestId('bill-pay').click();
  await page.getByTestId('auth-code').fill(await latestSmsCode(server.baseUrl, MOBILE, sent));
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('bill-status').waitFor();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'mobile-bills.png') });
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
