import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { signParams } from '../server/src/merchants/signing.ts';
import { type E2eServer, launchBrowser, newPage, startServer } from './harness.ts';

/** The demo admin's authenticator (the README's identities: the demo staff's secret). */
const staffTotp = new TOTP({ secret: Secret.fromBase32('JBSWY3DPEHPK3PXP'), algorithm: 'SHA1', digits: 6, period: 30 });
const stamp = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('merchants in the counter admin area, in Chromium', () => {
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

  test('admin01 switches 李娜’s e-commerce function off and on (Alt+6), registers a merchant by keyboard (Alt+M), suspends it (the gateway refuses it) and resumes it', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(`${server.baseUrl}/counter/`);
    await page.getByTestId('counter-username').fill('admin01');
    await page.getByTestId('counter-password').fill('Admin2026!');
    await page.getByTestId('counter-totp').fill(staffTotp.generate());
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-search').waitFor();

    // The settlement account: 李娜's, as the counter shows it.
    await page.getByTestId('customer-search').fill('13800000002');
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-page').waitFor();
    const settlement = ((await page.getByTestId('customer-account-number').first().textContent()) ?? '').replace(
      /\D/g,
      '',
    );
    assert.match(settlement, /^\d{10,}$/);

    // The e-commerce function (on for the demo customers) is switched in the access form (Alt+6).
    assert.equal(await page.getByTestId('customer-ecommerce').getAttribute('data-on'), 'true');
    for (const [action, on] of [
      ['ecommerceOff', 'false'],
      ['ecommerceOn', 'true'],
    ] as const) {
      await page.keyboard.press('Alt+Digit6');
      await page.getByTestId('op-action').selectOption(action);
      await page.keyboard.press('Enter');
      await page.getByTestId('op-confirm').waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('op-done-alert').waitFor();
      await page.keyboard.press('Enter');
      await page.locator(`[data-testid="customer-ecommerce"][data-on="${on}"]`).waitFor();
    }

    await page.keyboard.press('Alt+KeyM');
    await page.getByTestId('merchants-admin').waitFor();
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // The name field takes the focus; the rest by Tab, as at the desk.
    await page.keyboard.type('西湖茶铺');
    await page.keyboard.press('Tab');
    await page.keyboard.type(settlement);
    await page.getByTestId('merchant-public-key').fill(publicKeyPem);
    await page.getByTestId('merchant-notify-prefix').fill('https://shop.example.com/');
    await page.keyboard.press('Enter');
    const registered = page.getByTestId('merchant-registered');
    await registered.waitFor();
    const appId = /\d{16}/.exec((await registered.textContent()) ?? '')?.[0] ?? '';
    assert.match(appId, /^\d{16}$/);
    const row = page.locator(`[data-testid="merchant-row"][data-app-id="${appId}"]`);
    await row.waitFor();

    const pagePay = async () => {
      const params = {
        app_id: appId,
        method: 'jinku.trade.page.pay',
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: stamp(Date.now()),
        version: '1.0',
        notify_url: 'https://shop.example.com/notify',
        return_url: 'https://shop.example.com/return',
        biz_content: JSON.stringify({ out_trade_no: `E2E-${Date.now()}`, total_amount: '1.00', subject: '龙井' }),
      };
      return fetch(`${server.baseUrl}/gateway/v1/pay`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...params, sign: signParams(params, pair.privateKey) }).toString(),
      });
    };
    assert.equal((await pagePay()).status, 303, 'an active merchant is served');

    await row.getByTestId('merchant-toggle').click();
    await page.locator(`[data-testid="merchant-row"][data-app-id="${appId}"][data-status="suspended"]`).waitFor();
    const refused = await pagePay();
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /gateway\.app_unknown/);

    await row.getByTestId('merchant-toggle').click();
    await page.locator(`[data-testid="merchant-row"][data-app-id="${appId}"][data-status="active"]`).waitFor();
    assert.equal((await pagePay()).status, 303);

    // Esc closes the admin area like the other panels.
    await page.keyboard.press('Escape');
    await page.getByTestId('merchants-admin').waitFor({ state: 'detached' });
    await context.close();
  });
});
