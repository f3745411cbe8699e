import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type E2eServer, launchBrowser, newPage, startServer } from './harness.ts';

describe('the e-password device simulator at /dev/e-token in Chromium', () => {
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

  test('shows for ET20260001 and a challenge the answer the dev route gives', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${server.baseUrl}/dev/e-token`);
    await page.getByTestId('etoken-note').waitFor();
    assert.equal(await page.getByTestId('etoken-serial').inputValue(), 'ET20260001');

    // A challenge typed in the field is refused until it has 8 digits.
    await page.getByTestId('etoken-challenge').fill('1234');
    await page.getByTestId('etoken-compute').click();
    await page.getByText('请输入 8 位数字的挑战码。').waitFor();
    assert.equal(await page.getByTestId('etoken-answer').count(), 0);

    // The rest on the device's keypad.
    for (const key of ['5', '6', '7', '8']) await page.getByTestId(`etoken-key-${key}`).click();
    assert.equal(await page.getByTestId('etoken-challenge').inputValue(), '12345678');
    // The answer moves with the device's one-minute time step: compare within one step, retrying once at its edge.
    const routeAnswer = async () => {
      const response = await fetch(`${server.baseUrl}/api/v1/dev/e-token/ET20260001/answer?challenge=12345678`);
      assert.equal(response.status, 200);
      return ((await response.json()) as { answer: string }).answer;
    };
    for (let attempt = 1; ; attempt++) {
      const first = await routeAnswer();
      await page.getByTestId('etoken-compute').click();
      const shown = (await page.getByTestId('etoken-answer').textContent())?.trim();
      assert.match(shown ?? '', /^\d{6}$/);
      const last = await routeAnswer();
      if (first !== last && attempt < 3) {
        await page.getByTestId('etoken-key-back').click();
        await page.getByTestId('etoken-key-8').click();
        continue;
      }
      assert.equal(shown, last);
      break;
    }

    // An unknown serial: the server's problem, no answer on the screen.
    await page.getByTestId('etoken-serial').fill('ET00000000');
    await page.getByTestId('etoken-compute').click();
    await page.getByTestId('etoken-error').waitFor();
    assert.equal(await page.getByTestId('etoken-answer').count(), 0);
    await context.close();
  });
});
