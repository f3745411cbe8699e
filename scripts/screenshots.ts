import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { codesSent, latestSmsCode, launchBrowser, newPage, signInThroughPage, startServer } from '../e2e/harness.ts';
import { HttpClient } from '../server/src/testing/http-client.ts';
import { ensureCjkFonts } from './cjk-fonts.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots.ts`: signs in as the demo customer 张伟 in Chromium and saves the main pages
 * to docs/screenshots/ at 1440×900 and at 390×844 (a phone; files ending `-phone`), as DESIGN.md's
 * quality bar asks: login, overview, transfer form and confirmation, history and one entry's detail,
 * security centre; then the counter console. A CJK font is installed first (scripts/cjk-fonts.ts).
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
/** 李娜's card number in full (her own account's details), so that 张伟 pays a real payee. */
async function liNasCardNumber(baseUrl: string): Promise<string> {
  const client = new HttpClient(baseUrl);
  const first = await client.json('POST', '/api/v1/auth/login', {
    identifier: 'lina',
    password: 'Jinku2026',
    channel: 'web',
  });
  if (first.body.state === 'challenge') {
    const code = await latestSmsCode(baseUrl, '13800000002');
    await client.json('POST', `/api/v1/auth/login/${first.body.attemptId}/verify`, { method: 'sms', response: code });
  }
  const accounts = await client.json('GET', '/api/v1/accounts');
  const account = await client.json('GET', `/api/v1/accounts/${accounts.body.items[0].id}`);
  return account.body.cardNumber;
}

const VIEWPORTS = [
  { width: 1440, height: 900, suffix: '' },
  { width: 390, height: 844, suffix: '-phone' },
];

/** The web bank's pages at one size; the first run also pays 李娜 ¥123.45 so the history has a transfer. */
async function webBankScreenshots(browser: Browser, baseUrl: string, viewport: (typeof VIEWPORTS)[number]) {
  const shot = (name: string, fullPage = false) =>
    page.screenshot({ path: join(out, `${name}${viewport.suffix}.png`), fullPage });
  const { context, page } = await newPage(browser, { viewport });
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('login-captcha-image').waitFor();
  await page.waitForTimeout(300);
  await shot('login');
  await signInThroughPage(page, baseUrl, 'zhangwei', '13800000001');
  await page.evaluate(async () => {
    const { csrfToken } = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
    await fetch('/api/v1/security/reserved-message', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ message: '青山绿水' }),
    });
  });
  await page.reload();
  await page.getByTestId('balance-chart').first().waitFor();
  await page.waitForTimeout(500);
  await shot('accounts', viewport.suffix !== '');
  await page.goto(`${baseUrl}/transfer`);
  await page.getByTestId('payee-name').fill('李娜');
  await page.getByTestId('payee-account').fill(await liNasCardNumber(baseUrl));
  await page.getByTestId('transfer-amount').fill('123.45');
  await page.getByTestId('transfer-memo').fill('午饭钱');
  await page.getByTestId('transfer-limits').waitFor();
  await shot('transfer', viewport.suffix !== '');
  await page.getByTestId('transfer-next').click();
  await page.getByTestId('confirm-signer').waitFor();
  await shot('transfer-confirm', viewport.suffix !== '');
  if (viewport.suffix === '') {
    const before = await codesSent(baseUrl, '13800000001');
    await page.getByTestId('confirm-transfer').click();
    await page.getByTestId('auth-code').fill(await latestSmsCode(baseUrl, '13800000001', before));
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('transfer-status').waitFor();
  }
  await page.goto(`${baseUrl}/accounts`);
  await page.getByTestId('account-row').first().getByRole('link').first().click();
  await page.getByTestId('history-row').first().waitFor();
  await page.waitForTimeout(300);
  await shot('history', viewport.suffix !== '');
  await page.getByTestId('history-details').first().click();
  await page.getByTestId('detail-serial').waitFor();
  await shot('history-detail');
  await page.getByTestId('detail-close').click();
  await page.goto(`${baseUrl}/security`);
  await page.getByTestId('login-name').waitFor();
  await page.getByTestId('device-row').first().waitFor();
  await page.waitForTimeout(500);
  await shot('security', true);
  await context.close();
}

ensureCjkFonts();
await ensureWebBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const viewport of VIEWPORTS) await webBankScreenshots(browser, server.baseUrl, viewport);
  await counterScreenshots(browser, server.baseUrl);
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
