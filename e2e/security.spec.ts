import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  codesSent,
  type E2eServer,
  latestSmsCode,
  launchBrowser,
  newPage,
  signInThroughPage,
  startServer,
} from './harness.ts';

describe('the security centre in Chromium', () => {
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

  test('李娜 sets a reserved message and a login name (confirmed by SMS), and sees her sign-ins', async () => {
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, '13800000002', '13800000002');

    await page.goto(`${server.baseUrl}/security`);
    await page.getByTestId('reserved-message-input').fill('春暖花开');
    await page.getByTestId('reserved-submit').click();
    await page
      .getByText(/预留信息已保存|已保存/)
      .first()
      .waitFor();

    await page.getByTestId('login-name').fill('LiNa_2026');
    const before = await codesSent(server.baseUrl, '13800000002');
    await page.getByTestId('login-name-submit').click();
    await page.getByTestId('login-name-code').fill(await latestSmsCode(server.baseUrl, '13800000002', before));
    await page.getByTestId('login-name-submit').click();
    await page.getByText(/登录名已保存/).waitFor();
    const session = (await page.evaluate(async () => (await fetch('/api/v1/session')).json())) as {
      customer: { reservedMessage: string };
    };
    assert.equal(session.customer.reservedMessage, '春暖花开');
    const logins = (await page.evaluate(async () => (await fetch('/api/v1/security/logins')).json())) as {
      items: Array<{ result: string }>;
    };
    assert.equal(logins.items[0]?.result, 'success');
    await context.close();
  });
});
