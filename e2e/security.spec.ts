import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type E2eServer, latestSmsCode, launchBrowser, newPage, startServer } from './harness.ts';

async function codesSent(baseUrl: string, mobile: string) {
  const { items } = (await (await fetch(`${baseUrl}/api/v1/dev/outbox?to=${mobile}`)).json()) as {
    items: Array<{ code?: string }>;
  };
  return items.filter((m) => m.code).length;
}

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
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('login-identifier').fill('13800000002');
    await page.getByTestId('login-password').fill('Jinku2026');
    let captchaId: string | null = null;
    while (!captchaId) captchaId = await page.getByTestId('login-captcha-image').getAttribute('data-captcha-id');
    const { answer } = (await (await fetch(`${server.baseUrl}/api/v1/dev/captcha/${captchaId}`)).json()) as {
      answer: string;
    };
    await page.getByTestId('login-captcha-answer').fill(answer);
    let before = await codesSent(server.baseUrl, '13800000002');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('challenge-code').fill(await latestSmsCode(server.baseUrl, '13800000002', before));
    await page.getByTestId('challenge-submit').click();
    await page.getByTestId('account-row').first().waitFor();

    await page.goto(`${server.baseUrl}/security`);
    await page.getByTestId('reserved-message-input').fill('春暖花开');
    await page.getByTestId('reserved-submit').click();
    await page
      .getByText(/预留信息已保存|已保存/)
      .first()
      .waitFor();

    await page.getByTestId('login-name').fill('LiNa_2026');
    before = await codesSent(server.baseUrl, '13800000002');
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
