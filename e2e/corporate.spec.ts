import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { HttpClient } from '../server/src/testing/http-client.ts';
import { type E2eServer, latestSmsCode, launchBrowser, newPage, startServer } from './harness.ts';

/** 李娜's account number and balance, as she sees them signed in (the payee of the test). */
async function liNasAccount(baseUrl: string): Promise<{ number: string; balance: string }> {
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
  return { number: account.body.accountNumber, balance: accounts.body.items[0].balance.amount };
}

/**
 * Corporate e-banking in Chromium: the demo enterprise's operators, each in their own browser with their
 * own virtual security key (a U-shield with a PIN), register the key at first sign-in; the maker enters
 * ¥20,000.00 (the second tier: both checkers, then the releaser), the checkers approve and the releaser
 * releases, each signing with their key; the payee's balance shows it.
 */
describe('corporate e-banking in Chromium (one virtual U-shield per operator)', () => {
  let server: E2eServer;
  let browser: Browser;
  let maker: Page;
  let admin: Page;
  let payee: { number: string; balance: string };
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function operatorPage(code: string): Promise<Page> {
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
    await page.goto(`${server.baseUrl}/corporate/`);
    await page.getByTestId('corp-enterprise').fill('8000000001');
    await page.getByTestId('corp-operator-code').fill(code);
    await page.getByTestId('corp-password').fill('Corp2026');
    await page.getByTestId('corp-login-submit').click();
    // First sign-in: the operator registers their own key, which completes the sign-in.
    await page.getByTestId('corp-key').click();
    await page.getByTestId('corp-operator').waitFor();
    return page;
  }

  test('the maker enters a payment, two checkers approve with their keys, the releaser releases', async () => {
    payee = await liNasAccount(server.baseUrl);
    maker = await operatorPage('002');
    await maker.getByTestId('corp-account').first().waitFor();
    await maker.getByTestId('corp-payee-name').fill('李娜');
    await maker.getByTestId('corp-payee-account').fill(payee.number);
    await maker.getByTestId('corp-amount').fill('20000.00');
    await maker.getByTestId('corp-purpose').fill('服务费');
    await maker.getByTestId('corp-pay-submit').click();
    await maker.locator('[data-testid="corp-instruction"][data-state="pending"]').first().waitFor();
    assert.match((await maker.locator('[data-testid="corp-instruction"]').first().textContent()) ?? '', /贰万元整/);

    for (const code of ['003', '004']) {
      const checker = await operatorPage(code);
      await checker.getByTestId('corp-approve').first().click();
      await checker.getByTestId('corp-approve').first().waitFor({ state: 'detached' });
      await checker.context().close();
    }
    const releaser = await operatorPage('005');
    // The dashboard loads its lists after sign-in: wait for the instruction waiting for this releaser.
    const card = releaser.locator('[data-testid="corp-instruction"]', { has: releaser.getByTestId('corp-approve') });
    await card.first().waitFor();
    // The releaser sees the chain so far: both checkers at level 1.
    await card.first().locator('.corp-chain li').nth(1).waitFor();
    assert.equal(await card.first().locator('.corp-chain li').count(), 2);
    await releaser.getByTestId('corp-approve').first().click();
    await releaser.locator('[data-testid="corp-instruction"][data-state="executed"]').first().waitFor();

    const after = await liNasAccount(server.baseUrl);
    assert.equal(Number(after.balance) - Number(payee.balance), 20_000);
  });

  test('the maker uploads a payroll file and reads its validation report', async () => {
    const csv = [
      '账号,户名,金额,附言',
      `${payee.number},李娜,3000.00,工资`,
      `${payee.number},李娜,abc,工资`,
      `${payee.number},李娜,1500.50,奖金`,
    ].join('\n');
    await maker.getByTestId('corp-payroll-file').setInputFiles({
      name: 'payroll.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await maker.getByTestId('corp-payroll-upload').click();
    const report = maker.getByTestId('corp-payroll-report');
    await report.waitFor();
    const text = (await report.textContent()) ?? '';
    assert.match(text, /可付 2 笔/);
    assert.match(text, /肆仟伍佰元伍角/);
    assert.deepEqual(await maker.getByTestId('corp-payroll-bad').allTextContents(), [
      '第 3 行：金额有误（须为正数，最多两位小数）',
    ]);
    await maker.getByTestId('corp-payroll-submit').click();
    await report.waitFor({ state: 'detached' });
    await maker.locator('[data-testid="corp-instruction"][data-state="pending"]').first().waitFor();
  });

  test('the administrator adds an operator with the key and reads the initial password once', async () => {
    admin = await operatorPage('001');
    const rows = admin.getByTestId('corp-operator-row');
    await rows.first().waitFor();
    const before = await rows.count();
    await admin.getByTestId('corp-op-name').fill('查询 郑红');
    await admin.getByTestId('corp-op-id').fill('110105198001012118');
    await admin.getByTestId('corp-op-mobile').fill('13800000029');
    await admin.getByTestId('corp-op-role').selectOption('viewer');
    await admin.getByTestId('corp-op-add').click();
    const created = admin.getByTestId('corp-operator-created');
    await created.waitFor();
    assert.match((await created.textContent()) ?? '', /\d{8}/);
    await rows.nth(before).waitFor();
  });

  test('the administrator changes an approval policy and an operator, each signed with the key', async () => {
    // The demo payment policy's first tier is ¥10,000.00 with one checker; it becomes ¥8,000.00.
    const policies = admin.getByTestId('corp-policies');
    await policies.getByTestId('corp-policy-row').first().waitFor();
    await policies.getByTestId('corp-policy-type').selectOption('payment');
    const firstTier = policies.getByTestId('corp-tier').first();
    await firstTier.getByTestId('corp-tier-upto').fill('8000.00');
    await policies.getByTestId('corp-policy-save').click();
    await policies.locator('[data-testid="corp-policy-saved"], [data-testid="corp-policy-error"]').first().waitFor();
    assert.equal(await policies.getByTestId('corp-policy-error').count(), 0, (await policies.textContent()) ?? '');
    const rows = await policies.getByTestId('corp-policy-row').allTextContents();
    assert.ok(
      rows.some((row) => row.includes('8000.00') && !row.includes('10000.00')),
      `the payment policy reads ¥8,000.00 now: ${rows.join(' / ')}`,
    );

    // The operator added above gets a higher daily limit.
    const row = admin.getByTestId('corp-operator-row').last();
    await row.getByTestId('corp-op-edit').click();
    const editor = admin.getByTestId('corp-op-editor');
    await editor.getByTestId('corp-edit-daily').fill('60000.00');
    await editor.getByTestId('corp-edit-save').click();
    await admin.getByTestId('corp-op-saved').waitFor();
    await admin.getByTestId('corp-operator-row').last().getByText('60,000.00').waitFor();
  });

  test('a teller finds the enterprise at the counter and unlocks an operator locked by wrong passwords', async () => {
    const client = new HttpClient(server.baseUrl);
    for (let i = 0; i < 5; i++)
      await client.json('POST', '/api/v1/corporate/login', {
        enterpriseCode: '8000000001',
        operatorCode: '005',
        password: `Wrong${i}pass`,
      });
    const { page } = await newPage(browser);
    await page.goto(`${server.baseUrl}/counter/`);
    await page.getByTestId('counter-username').fill('teller01');
    await page.getByTestId('counter-password').fill('Teller2026!');
    const totp = new TOTP({ secret: Secret.fromBase32('JBSWY3DPEHPK3PXP'), digits: 6, period: 30 });
    await page.getByTestId('counter-totp').fill(totp.generate());
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-search').fill('8000000001');
    await page.keyboard.press('Enter');
    await page.getByTestId('enterprise-hit').first().getByRole('button').click();
    await page.getByTestId('enterprise-page').waitFor();
    const locked = page.getByTestId('enterprise-operator').filter({ hasText: '005' });
    await locked.getByTestId('enterprise-unlock').click();
    await page.getByTestId('enterprise-unlocked').waitFor();
    await locked.getByTestId('enterprise-unlock').waitFor({ state: 'detached' });
    const again = await client.json('POST', '/api/v1/corporate/login', {
      enterpriseCode: '8000000001',
      operatorCode: '005',
      password: 'Corp2026',
    });
    assert.equal(again.body.state, 'challenge', JSON.stringify(again.body));
  });
});
