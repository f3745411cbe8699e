import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { HttpClient } from '../server/src/testing/http-client.ts';
import {
  codesSent,
  type E2eServer,
  latestSmsCode,
  launchBrowser,
  newPage,
  signInThroughPage,
  startServer,
} from './harness.ts';

/** 李娜's card number, as she sees it on her own account's details (owners get the full number). */
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

describe('the U-shield in Chromium (a virtual security key)', () => {
  let server: E2eServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // The demo bank's 张伟 holds U-shield US20260001, handed over at the counter: issued, no certificate yet.
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('张伟 downloads his U-shield certificate and pays ¥20,000 with it', async () => {
    const card = await liNasCardNumber(server.baseUrl);
    const { context, page } = await newPage(browser);
    // A USB security key with a PIN (user verification) whose button is pressed for every request.
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
    await signInThroughPage(page, server.baseUrl, 'zhangwei', '13800000001');

    // Certificate download: his card PIN and current medium approve it, then the key registers.
    await page.goto(`${server.baseUrl}/security`);
    const before = await codesSent(server.baseUrl, '13800000001');
    // The demo cards' PIN (seed): asked first, as at the bank's own sites.
    await page.getByTestId('u-shield-card-pin').fill('123456');
    await page.getByTestId('u-shield-start').click();
    await page.getByTestId('u-shield-code').fill(await latestSmsCode(server.baseUrl, '13800000001', before));
    await page.getByTestId('u-shield-submit').click();
    await page.getByTestId('u-shield-active').waitFor();
    const media = (await page.evaluate(async () => (await fetch('/api/v1/security/media')).json())) as {
      tier: string;
      items: Array<{ kind: string; status: string; serial?: string }>;
    };
    assert.equal(media.tier, 'u_shield');
    assert.equal(media.items.find((m) => m.kind === 'u_shield')?.status, 'active');

    // ¥20,000: above the password card's tier; the U-shield signs it, payee and amount beside the prompt.
    await page.goto(`${server.baseUrl}/transfer`);
    await page.getByTestId('payee-name').fill('李娜');
    await page.getByTestId('payee-account').fill(card);
    await page.getByTestId('transfer-amount').fill('20000.00');
    await page.getByTestId('transfer-next').click();
    await page.getByTestId('confirm-transfer').click();
    await page.getByTestId('auth-use-u_shield').click();
    await page.getByTestId('auth-u-shield').waitFor();
    const signs = (await page.getByTestId('auth-u-shield-signs').textContent()) ?? '';
    assert.match(signs, /李娜/);
    assert.match(signs, /20,000\.00/);
    await page.getByTestId('auth-u-shield-sign').click();
    await page.getByTestId('transfer-status').waitFor();
    assert.match((await page.getByTestId('transfer-status').textContent()) ?? '', /成功|完成/);
    const accounts = (await page.evaluate(async () => (await fetch('/api/v1/accounts')).json())) as {
      items: Array<{ balance: { amount: string } }>;
    };
    assert.equal(accounts.items[0]?.balance.amount, '30000.00');
    await context.close();
  });
});
