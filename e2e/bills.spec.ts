import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../server/src/testing/pdf-text.ts';
import {
  codesSent,
  type E2eServer,
  latestSmsCode,
  launchBrowser,
  newPage,
  signInThroughPage,
  startServer,
} from './harness.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it stands (as e2e/a11y.spec.ts checks). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.waitForTimeout(200);
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, target: v.nodes[0]?.target.join(' ') }));
  })()`)) as Array<{ id: string; impact: string | null; target: string }>;
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} at ${v.target}`);
}

describe('a bill payment through the web page', () => {
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

  test('张伟 pays his electricity bill with the SMS code, sees the result, downloads the receipt and finds it in my bills', async () => {
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, 'zhangwei', '13800000001');
    await page.getByTestId('nav-bills').click();
    const violations: string[] = [];
    await page.getByTestId('bill-query').waitFor();
    violations.push(...(await seriousViolations(page)));
    await page.getByTestId('bill-category-electricity').check();
    await page.getByTestId('bill-biller').selectOption('sgcc-beijing');
    await page.getByTestId('bill-account').fill('0101 2345 67');
    await page.getByTestId('bill-query').click();
    await page.getByTestId('bill-due').waitFor();
    assert.equal((await page.getByTestId('bill-biller-name').textContent())?.trim(), '国网北京市电力公司');
    assert.match((await page.getByTestId('bill-holder').textContent()) ?? '', /^\S+\*+$/);
    const due = ((await page.getByTestId('bill-due').textContent()) ?? '').replace(/[^\d.]/g, '');
    assert.match(due, /^\d+\.\d{2}$/);
    // The amount due is filled in, with its capitals.
    assert.equal(await page.getByTestId('bill-amount').inputValue(), due);
    assert.match((await page.getByTestId('bill-amount-capital').textContent()) ?? '', /元/);
    violations.push(...(await seriousViolations(page)));

    const before = await codesSent(server.baseUrl, '13800000001');
    await page.getByTestId('bill-pay').click();
    const code = await latestSmsCode(server.baseUrl, '13800000001', before);
    assert.match((await page.getByTestId('bill-confirm-capital').textContent()) ?? '', /元/);
    violations.push(...(await seriousViolations(page)));
    await page.getByTestId('auth-code').fill(code);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('bill-status').waitFor();
    assert.match((await page.getByTestId('bill-status').textContent()) ?? '', /缴费成功/);
    assert.match((await page.getByTestId('bill-serial').textContent()) ?? '', /\S{8,}/);
    assert.match((await page.getByTestId('bill-time').textContent()) ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    violations.push(...(await seriousViolations(page)));

    const download = page.waitForEvent('download');
    await page.getByTestId('bill-receipt-link').click();
    const text = (await pdfText(readFileSync(await (await download).path()))).replace(/\s+/g, '');
    for (const expected of ['国网北京市电力公司', '0101234567', '张伟', `¥${due}`]) {
      assert.ok(text.includes(expected.replace(/\s+/g, '')), expected);
    }
    assert.match(text, /\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}\+08:00/);

    // Paid: the account is in my bills with its last payment, and looking it up again finds nothing due.
    await page.getByTestId('bill-again').click();
    const mine = page.getByTestId('my-bill').filter({ hasText: '0101234567' });
    await mine.waitFor();
    violations.push(...(await seriousViolations(page)));
    assert.deepEqual(violations, [], 'no serious or critical accessibility violation on any step');
    assert.match((await mine.textContent()) ?? '', new RegExp(due.replace('.', '\\.')));
    await mine.getByTestId('my-bill-query').click();
    await page.getByTestId('bill-paid').waitFor();
    assert.match((await page.getByTestId('bill-due').textContent()) ?? '', /0\.00/);
    await context.close();
  });

  test('on a phone, 张伟 tops up a mobile by picking ¥100 and the page stays within the screen', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await signInThroughPage(page, server.baseUrl, 'zhangwei', '13800000001');
    await page.goto(`${server.baseUrl}/bills`);
    await page.getByTestId('bill-category-mobile').check();
    await page.getByTestId('bill-biller').selectOption('china-mobile');
    await page.getByTestId('bill-account').fill('13912345678');
    await page.getByTestId('bill-query').click();
    await page.getByTestId('top-up-100.00').check();
    assert.equal(await page.getByTestId('bill-amount').inputValue(), '100.00');
    assert.equal((await page.getByTestId('bill-amount-capital').textContent())?.trim(), '壹佰元整');
    assert.deepEqual(await seriousViolations(page), []);
    const wide = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(wide <= 390, `the page is ${wide} px wide`);
    const before = await codesSent(server.baseUrl, '13800000001');
    await page.getByTestId('bill-pay').click();
    await page.getByTestId('auth-code').fill(await latestSmsCode(server.baseUrl, '13800000001', before));
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('bill-status').waitFor();
    assert.match((await page.getByTestId('bill-status').textContent()) ?? '', /缴费成功/);
    await context.close();
  });
});
