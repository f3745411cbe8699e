import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type E2eServer, launchBrowser, newPage, signInThroughPage, startServer } from './harness.ts';

/**
 * Accessibility (issue 18's acceptance): axe-core, injected into the page by the test, finds no serious or
 * critical violation on the login, overview, transfer (form and confirmation), history (and an entry's
 * detail) and security pages, on a desktop (1440×900) and a phone (390×844).
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** The serious and critical violations on the page as it stands, one line each (rule, help, first targets). */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not refuse it.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  })()`)) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

describe('accessibility (axe-core) in Chromium', () => {
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

  for (const viewport of VIEWPORTS) {
    test(`login, overview, transfer, history and security have no serious or critical violation at ${viewport.width}×${viewport.height}`, async () => {
      const { context, page } = await newPage(browser, { viewport });
      const found: Record<string, string[]> = {};
      const scan = async (name: string) => {
        await page.waitForTimeout(300);
        const violations = await seriousViolations(page);
        if (violations.length > 0) found[name] = violations;
      };

      await page.goto(`${server.baseUrl}/`);
      await page.getByTestId('login-captcha-image').waitFor();
      await scan('login');

      await signInThroughPage(page, server.baseUrl, 'zhangwei', '13800000001');
      await page.getByTestId('balance-chart').first().waitFor();
      await scan('overview');

      await page.goto(`${server.baseUrl}/transfer`);
      await page.getByTestId('transfer-limits').waitFor();
      await scan('transfer form');
      await page.getByTestId('payee-name').fill('李娜');
      await page.getByTestId('payee-account').fill('6228 8800 0000 0000 000');
      await page.getByTestId('transfer-amount').fill('123.45');
      await page.getByTestId('transfer-next').click();
      await page.getByTestId('confirm-signer').waitFor();
      await scan('transfer confirmation');

      await page.goto(`${server.baseUrl}/accounts`);
      await page.getByTestId('account-row').first().getByRole('link').first().click();
      await page.getByTestId('history-row').first().waitFor();
      await scan('history');
      await page.getByTestId('history-details').first().click();
      await page.getByTestId('detail-serial').waitFor();
      await scan('history entry detail');
      await page.getByTestId('detail-close').click();

      await page.goto(`${server.baseUrl}/security`);
      await page.getByTestId('login-row').first().waitFor();
      await page.getByTestId('device-row').first().waitFor();
      await scan('security');

      assert.deepEqual(found, {});
      await context.close();
    });
  }
});
