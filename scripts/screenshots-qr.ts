import { join } from 'node:path';
import { devices } from 'playwright-core';
import { codesSent, latestSmsCode, launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { ensureWebBuilt } from './web-build.ts';

/**
 * `node scripts/screenshots-qr.ts`: the QR login flow (issue 16) in Chromium, saved to docs/screenshots/:
 * the web login page's scan tab (1440×900) and the phone's confirmation (Pixel 7) after it read the code.
 */
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
await ensureWebBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page: desktop } = await newPage(browser);
  const { defaultBrowserType: _, ...pixel7 } = devices['Pixel 7']!;
  const phone = await (await browser.newContext({ ...pixel7, locale: 'zh-CN' })).newPage();
  await phone.goto(`${server.baseUrl}/m/login`);
  await phone.getByTestId('login-identifier').fill('13800000001');
  await phone.getByTestId('login-password').fill('Jinku2026');
  const before = await codesSent(server.baseUrl, '13800000001');
  await phone.getByTestId('login-submit').click();
  await phone.getByTestId('challenge-code').fill(await latestSmsCode(server.baseUrl, '13800000001', before));
  await phone.getByTestId('challenge-submit').click();
  await phone.getByTestId('m-tab-scan').click();

  await desktop.goto(`${server.baseUrl}/`);
  await desktop.getByTestId('login-tab-qr').click();
  await desktop.getByTestId('qr-match-number').waitFor();
  await desktop.waitForTimeout(500);
  await desktop.screenshot({ path: join(out, 'qr-login.png') });
  const picture = await desktop.getByTestId('qr-image').screenshot({ type: 'png' });
  await phone.getByTestId('scan-file').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: picture });
  await phone.getByTestId('scan-requester').waitFor();
  const matchNumber = (await desktop.getByTestId('qr-match-number').textContent()) ?? '';
  await phone.getByTestId(`scan-choice-${Number(matchNumber)}`).click();
  await phone.waitForTimeout(300);
  await phone.screenshot({ path: join(out, 'qr-phone-confirm.png'), fullPage: true });
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
