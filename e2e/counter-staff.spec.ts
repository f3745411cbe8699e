import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { type E2eServer, launchBrowser, newPage, startServer } from './harness.ts';

/** The demo staff's authenticator (API.md, "Demo bank": secret JBSWY3DPEHPK3PXP). */
const staffTotp = new TOTP({ secret: Secret.fromBase32('JBSWY3DPEHPK3PXP'), algorithm: 'SHA1', digits: 6, period: 30 });

describe('a teller signs in with a security key (a virtual USB key in Chromium)', () => {
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

  test('teller01 signs in with TOTP, registers a key, signs out, and signs in with password and key', async () => {
    const { context, page } = await newPage(browser);
    // A USB security key with a PIN (user verification) whose button is pressed for every request.
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'usb',
        hasResidentKey: false,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await page.goto(`${server.baseUrl}/counter/`);
    await page.getByTestId('counter-username').fill('teller01');
    await page.getByTestId('counter-password').fill('Teller2026!');
    await page.getByTestId('counter-totp').fill(staffTotp.generate());
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-search').waitFor();

    await page.getByTestId('staff-keys-open').click();
    await page.getByTestId('staff-keys-none').waitFor();
    // Adding a key asks the authenticator again, and the sign-in's code is spent: the next step's code.
    await page.getByTestId('staff-key-code').fill(staffTotp.generate({ timestamp: Date.now() + 30_000 }));
    await page.keyboard.press('Enter');
    await page.getByTestId('staff-key-registered').waitFor();
    await page.getByTestId('staff-key-row').waitFor();
    assert.equal(await page.getByTestId('staff-key-row').count(), 1);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1, 'the key holds one credential for the bank');
    await page.getByTestId('counter-signout').click();
    await page.getByTestId('counter-username').waitFor();

    // Password and key: no authenticator code asked.
    await page.getByTestId('counter-method-key').check();
    assert.equal(await page.getByTestId('counter-totp').count(), 0);
    await page.getByTestId('counter-username').fill('teller01');
    await page.getByTestId('counter-password').fill('Teller2026!');
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-search').waitFor();
    assert.match((await page.getByTestId('counter-staff-name').textContent()) ?? '', /陈静/);
    const session = (await page.evaluate(async () => (await fetch('/api/v1/counter/session')).json())) as {
      authenticated: boolean;
      staff?: { username: string };
    };
    assert.equal(session.authenticated, true);
    assert.equal(session.staff?.username, 'teller01');

    // A wrong password with the key chosen answers like any wrong password.
    await page.getByTestId('counter-signout').click();
    await page.getByTestId('counter-method-key').check();
    await page.getByTestId('counter-username').fill('teller01');
    await page.getByTestId('counter-password').fill('Wrong2026!');
    await page.keyboard.press('Enter');
    await page.getByTestId('counter-error').waitFor();
    assert.match((await page.getByTestId('counter-error').textContent()) ?? '', /柜员号|工号|密码/);
    await context.close();
  });
});
