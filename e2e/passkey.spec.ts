import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { codesSent, type E2eServer, latestSmsCode, launchBrowser, newPage, startServer } from './harness.ts';

const MOBILE = '13800000001';

describe('fingerprint / face login on the phone (a virtual platform authenticator)', () => {
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

  test('张伟 turns it on after a password sign-in, signs out, and signs back in with one tap', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      // The phone's own authenticator: fingerprint or face (user verification), a discoverable credential.
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });

      await page.goto(`${server.baseUrl}/m/login`);
      assert.equal(await page.getByTestId('passkey-login').count(), 0);
      await page.getByTestId('login-identifier').fill(MOBILE);
      await page.getByTestId('login-password').fill('Jinku2026');
      let before = await codesSent(server.baseUrl, MOBILE);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('challenge-code').fill(await latestSmsCode(server.baseUrl, MOBILE, before));
      await page.getByTestId('challenge-submit').click();

      // The offer: the current medium (SMS) approves it, then the phone registers the passkey.
      await page.getByTestId('passkey-offer').waitFor();
      before = await codesSent(server.baseUrl, MOBILE);
      await page.getByTestId('passkey-enable').click();
      await page.getByTestId('passkey-code').fill(await latestSmsCode(server.baseUrl, MOBILE, before));
      await page.getByTestId('passkey-confirm').click();
      await page.getByTestId('m-tab-me').waitFor();
      const passkeys = (await page.evaluate(async () => (await fetch('/api/v1/security/passkeys')).json())) as {
        items: Array<{ status: string }>;
      };
      assert.equal(passkeys.items.length, 1);

      // Sign out; the login page now offers the one tap, and no SMS is sent for it.
      await page.getByTestId('m-tab-me').click();
      await page.getByTestId('passkey-setting').waitFor();
      await page.getByTestId('logout').click();
      await page.getByTestId('passkey-login').waitFor();
      before = await codesSent(server.baseUrl, MOBILE);
      await page.getByTestId('passkey-login').click();
      await page.getByTestId('m-tab-me').waitFor();
      assert.equal(await codesSent(server.baseUrl, MOBILE), before);
      const session = (await page.evaluate(async () => (await fetch('/api/v1/session')).json())) as {
        authenticated: boolean;
      };
      assert.equal(session.authenticated, true);

      // Turned off on the Me page: deleted on the server, and the one tap is gone.
      await page.getByTestId('m-tab-me').click();
      await page.getByTestId('passkey-turn-off').click();
      await page.getByTestId('passkey-turned-off').waitFor();
      const after = (await page.evaluate(async () => (await fetch('/api/v1/security/passkeys')).json())) as {
        items: unknown[];
      };
      assert.equal(after.items.length, 0);
    } finally {
      await context.close();
    }
  });
});
