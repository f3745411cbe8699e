import { join } from 'node:path';
import { codesSent, latestSmsCode, launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots-passkey.ts`: fingerprint / face login on the phone (issue 16) in Chromium with
 * a virtual platform authenticator, saved to docs/screenshots/: the offer after a password sign-in, and
 * the login page's one tap once this phone holds a passkey (390×844).
 */
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
const MOBILE = '13800000001';
await ensureWebBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
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
  await page.getByTestId('login-identifier').fill(MOBILE);
  await page.getByTestId('login-password').fill('Jinku2026');
  let before = await codesSent(server.baseUrl, MOBILE);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('challenge-code').fill(await latestSmsCode(server.baseUrl, MOBILE, before));
  await page.getByTestId('challenge-submit').click();
  await page.getByTestId('passkey-offer').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'mobile-passkey-offer.png') });
  before = await codesSent(server.baseUrl, MOBILE);
  await page.getByTestId('passkey-enable').click();
  await page.getByTestId('passkey-code').fill(await latestSmsCode(server.baseUrl, MOBILE, before));
  await page.getByTestId('passkey-confirm').click();
  await page.getByTestId('m-tab-me').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('passkey-login').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'mobile-passkey-login.png') });
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
