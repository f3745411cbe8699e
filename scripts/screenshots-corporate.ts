import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { latestSmsCode, launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { HttpClient } from '../server/src/testing/http-client.ts';
import { ensureCjkFonts } from './cjk-fonts.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots-corporate.ts`: corporate e-banking (/corporate/) in Chromium with the demo
 * enterprise's operators, each with their own virtual U-shield, saved to docs/screenshots/ at 1440×900:
 * the dashboard a checker opens (balances, waiting for me), an approval with the chain so far, the
 * payroll validation report, and the administrator's approval policies.
 */
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');

/** 李娜's account number, as she reads it signed in (the payee of the demo payment and payroll). */
async function liNasAccountNumber(baseUrl: string): Promise<string> {
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
  return (await client.json('GET', `/api/v1/accounts/${accounts.body.items[0].id}`)).body.accountNumber;
}

/** An operator of the demo enterprise signed in for the first time, registering their own virtual U-shield. */
async function operatorPage(browser: Browser, baseUrl: string, code: string): Promise<Page> {
  const { context, page } = await newPage(browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: false,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`${baseUrl}/corporate/`);
  await page.getByTestId('corp-enterprise').fill('8000000001');
  await page.getByTestId('corp-operator-code').fill(code);
  await page.getByTestId('corp-password').fill('Corp2026');
  await page.getByTestId('corp-login-submit').click();
  await page.getByTestId('corp-key').click();
  await page.getByTestId('corp-operator').waitFor();
  await page.getByTestId('corp-account').first().waitFor();
  return page;
}

ensureCjkFonts();
await ensureWebBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  const payee = await liNasAccountNumber(server.baseUrl);
  const maker = await operatorPage(browser, server.baseUrl, '002');
  await maker.getByTestId('corp-payee-name').fill('李娜');
  await maker.getByTestId('corp-payee-account').fill(payee);
  await maker.getByTestId('corp-amount').fill('20000.00');
  await maker.getByTestId('corp-purpose').fill('服务费');
  await maker.getByTestId('corp-pay-submit').click();
  await maker.locator('[data-testid="corp-instruction"][data-state="pending"]').first().waitFor();

  // The first checker's dashboard: balances and the instruction waiting for them.
  const first = await operatorPage(browser, server.baseUrl, '003');
  await first.getByTestId('corp-approve').first().waitFor();
  await first.waitForTimeout(300);
  await first.screenshot({ path: join(out, 'corporate-dashboard.png') });
  await first.getByTestId('corp-approve').first().click();
  await first.getByTestId('corp-approve').first().waitFor({ state: 'detached' });

  // The second checker reads the instruction with the chain so far before signing.
  const second = await operatorPage(browser, server.baseUrl, '004');
  const card = second.locator('[data-testid="corp-instruction"]', { has: second.getByTestId('corp-approve') });
  await card.first().locator('.corp-chain li').first().waitFor();
  await card.first().scrollIntoViewIfNeeded();
  await second.waitForTimeout(300);
  await card.first().screenshot({ path: join(out, 'corporate-approval.png') });

  // The maker's payroll upload and its validation report (a bad amount, a duplicate).
  await maker.getByTestId('corp-payroll-file').setInputFiles({
    name: 'payroll.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      [
        '账号,户名,金额,附言',
        `${payee},李娜,3000.00,工资`,
        `${payee},李娜,abc,工资`,
        `${payee},李娜,1500.50,奖金`,
        `${payee},李娜,1500.50,奖金`,
      ].join('\n'),
    ),
  });
  await maker.getByTestId('corp-payroll-upload').click();
  const report = maker.getByTestId('corp-payroll-report');
  await report.waitFor();
  await report.scrollIntoViewIfNeeded();
  await maker.waitForTimeout(300);
  await maker.screenshot({ path: join(out, 'corporate-payroll.png') });

  // The administrator's approval policies: tiers, levels, k of m checkers.
  const admin = await operatorPage(browser, server.baseUrl, '001');
  const policies = admin.getByTestId('corp-policies');
  await policies.getByTestId('corp-policy-row').first().waitFor();
  await policies.scrollIntoViewIfNeeded();
  await admin.waitForTimeout(300);
  await policies.screenshot({ path: join(out, 'corporate-policies.png') });
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
