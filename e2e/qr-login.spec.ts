import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Browser, devices, type Page } from 'playwright-core';
import {
  codesSent,
  type E2eServer,
  latestSmsCode,
  launchBrowser,
  newPage,
  startServer,
  waitForExpression,
} from './harness.ts';

const MOBILE = '13800000001';

/** 张伟 signs in to the mobile app on a phone it has not seen: password, then the SMS code. */
async function signInOnPhone(phone: Page, baseUrl: string) {
  await phone.goto(`${baseUrl}/m/login`);
  await phone.getByTestId('login-identifier').fill(MOBILE);
  await phone.getByTestId('login-password').fill('Jinku2026');
  const before = await codesSent(baseUrl, MOBILE);
  await phone.getByTestId('login-submit').click();
  await phone.getByTestId('challenge-code').fill(await latestSmsCode(baseUrl, MOBILE, before));
  await phone.getByTestId('challenge-submit').click();
  await phone.getByTestId('m-tab-scan').waitFor();
}

/** The desktop's scan tab; answers the code as a picture (PNG) and the matching number it shows. */
async function showQr(desktop: Page, baseUrl: string) {
  await desktop.goto(`${baseUrl}/`);
  await desktop.getByTestId('login-tab-qr').click();
  const image = desktop.getByTestId('qr-image');
  await image.waitFor();
  await waitForExpression(
    desktop,
    '(() => { const img = document.querySelector(\'[data-testid="qr-image"]\'); return img && img.complete && img.naturalWidth > 0; })()',
  );
  const matchNumber = Number(await desktop.getByTestId('qr-match-number').textContent());
  return { picture: await image.screenshot({ type: 'png' }), matchNumber };
}

describe('QR login: the phone approves a sign-in on the computer', () => {
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

  test('the phone decodes the desktop code, picks the matching number and approves; the desktop lands on the accounts', async () => {
    const { context: desktopContext, page: desktop } = await newPage(browser);
    const { defaultBrowserType: _, ...pixel7 } = devices['Pixel 7']!;
    const phoneContext = await browser.newContext({ ...pixel7, locale: 'zh-CN' });
    const phone = await phoneContext.newPage();
    try {
      await signInOnPhone(phone, server.baseUrl);
      const { picture, matchNumber } = await showQr(desktop, server.baseUrl);
      assert.ok(matchNumber >= 10 && matchNumber <= 99, String(matchNumber));
      assert.equal(await desktop.getByTestId('qr-status').getAttribute('data-state'), 'pending');

      await phone.getByTestId('m-tab-scan').click();
      await phone.getByTestId('scan-file').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: picture });
      const requester = phone.getByTestId('scan-requester');
      await requester.waitFor();
      const seen = (await requester.textContent()) ?? '';
      assert.match(seen, /Chrome/);
      assert.match(seen, /Linux/);
      // The desktop learns that the code was scanned, and nothing about the customer.
      await desktop.locator('[data-testid="qr-status"][data-state="scanned"]').waitFor();
      assert.doesNotMatch((await desktop.locator('body').textContent()) ?? '', /张伟/);

      for (const choice of await phone.locator('[data-testid^="scan-choice-"]').all()) {
        assert.match((await choice.textContent()) ?? '', /^\d{2}$/);
      }
      assert.equal(await phone.locator('[data-testid^="scan-choice-"]').count(), 3);
      await phone.getByTestId(`scan-choice-${matchNumber}`).click();
      await phone.getByTestId('scan-approve').click();
      await phone.locator('[data-testid="scan-result"][data-result="approved"]').waitFor();

      await desktop.getByTestId('account-row').first().waitFor();
      assert.match(new URL(desktop.url()).pathname, /^\/accounts/);
      const text = (await desktop.locator('main').textContent()) ?? '';
      assert.match(text, /50,000\.00/);
    } finally {
      await phoneContext.close();
      await desktopContext.close();
    }
  });

  test('a wrong number on the phone refuses the sign-in; the desktop offers a fresh code', async () => {
    const { context: desktopContext, page: desktop } = await newPage(browser);
    const { defaultBrowserType: _, ...pixel7 } = devices['Pixel 7']!;
    const phoneContext = await browser.newContext({ ...pixel7, locale: 'zh-CN' });
    const phone = await phoneContext.newPage();
    try {
      // The first test's sign-in code used this mobile's resend minute.
      await fetch(`${server.baseUrl}/api/v1/dev/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: 61 }),
      });
      await signInOnPhone(phone, server.baseUrl);
      const { picture, matchNumber } = await showQr(desktop, server.baseUrl);
      await phone.getByTestId('m-tab-scan').click();
      await phone.getByTestId('scan-file').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: picture });
      await phone.getByTestId('scan-requester').waitFor();
      const wrong = phone.locator(`[data-testid^="scan-choice-"]:not([data-testid="scan-choice-${matchNumber}"])`);
      await wrong.first().click();
      await phone.getByTestId('scan-approve').click();
      await phone.locator('[data-testid="scan-result"][data-result="denied"]').waitFor();
      await desktop.locator('[data-testid="qr-status"][data-state="denied"]').waitFor();
      await desktop.getByTestId('qr-refresh').click();
      await desktop.locator('[data-testid="qr-status"][data-state="pending"]').waitFor();
      assert.equal(new URL(desktop.url()).pathname, '/');
    } finally {
      await phoneContext.close();
      await desktopContext.close();
    }
  });
});
