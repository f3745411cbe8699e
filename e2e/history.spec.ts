import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../server/src/testing/pdf-text.ts';
import { signInOverHttp } from '../server/src/testing/http-client.ts';
import {
  codesSent,
  type E2eServer,
  latestSmsCode,
  launchBrowser,
  newPage,
  signInThroughPage,
  startServer,
} from './harness.ts';

/**
 * Issue 18 item 5 (a richer overview) and item 2's "which medium will sign", at 1440×900 and 390×844:
 * the balance chart starts on the day the account opened with a one-line caption; the confirmation
 * names the medium the amount needs; the history's quick ranges, income / expenses and keyword filter,
 * and an entry's detail with its receipt.
 */
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

const beijingDate = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(iso))
    .slice(0, 10);

/** The amount cell of each history row, spaces removed (with its hidden "支出" / "收入" word). */
async function amounts(page: Page): Promise<string[]> {
  await page.getByTestId('history-row').first().waitFor();
  return page
    .getByTestId('history-row')
    .evaluateAll((rows) => rows.map((row) => (row.querySelector('td.num')?.textContent ?? '').replace(/\s+/g, '')));
}

/** The history after a filter changed: waits for the transactions request it makes, then the rows. */
async function filtered(page: Page, change: () => Promise<void>, expect: RegExp) {
  const answered = page.waitForResponse((r) => /\/transactions\?/.test(r.url()) && expect.test(r.url()));
  await change();
  await answered;
  await page.waitForTimeout(100);
}

describe('overview chart, signing medium and history filters in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let liNasCard: string;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const li = await signInOverHttp(server.baseUrl, '13800000002', 'Jinku2026');
    const accounts = await li.json('GET', '/api/v1/accounts');
    liNasCard = (await li.json('GET', `/api/v1/accounts/${accounts.body.items[0].id}`)).body.cardNumber;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of VIEWPORTS) {
    test(`at ${viewport.width}×${viewport.height}: chart from the opening day, the signing medium, history filters and an entry's detail`, async () => {
      const { context, page } = await newPage(browser, { viewport });
      await signInThroughPage(page, server.baseUrl, 'zhangwei', '13800000001');

      // The chart starts on the day the account opened (the demo opened it today), caption on one line.
      const accounts = (await page.evaluate(async () => (await fetch('/api/v1/accounts')).json())) as {
        items: Array<{ id: string; balance: { amount: string } }>;
      };
      const paying = accounts.items.find((a) => Number(a.balance.amount) > 40_000)!;
      const detail = (await page.evaluate(async (id) => (await fetch(`/api/v1/accounts/${id}`)).json(), paying.id)) as {
        openedAt: string;
      };
      const openedOn = beijingDate(detail.openedAt);
      const card = page.getByTestId('account-row').first();
      await card.getByTestId('balance-chart').waitFor();
      assert.equal(await card.getByTestId('chart-start').getAttribute('title'), openedOn);
      assert.match((await card.getByTestId('chart-title').textContent()) ?? '', new RegExp(`${openedOn} 开户以来`));
      const caption = await card.getByTestId('chart-caption').evaluate((el) => ({
        height: el.getBoundingClientRect().height,
        lineHeight: Number.parseFloat(el.ownerDocument.defaultView?.getComputedStyle(el).lineHeight ?? '0'),
        overflows: el.scrollWidth > el.clientWidth + 1,
      }));
      assert.ok(caption.height < caption.lineHeight * 1.5, `one line: ${JSON.stringify(caption)}`);
      assert.equal(caption.overflows, false);

      // The confirmation names the medium: SMS for ¥123.45, the password card for ¥8,000 (over SMS's ¥5,000).
      const memo = `午饭钱${viewport.width}`;
      await page.goto(`${server.baseUrl}/transfer`);
      await page.getByTestId('payee-name').fill('李娜');
      await page.getByTestId('payee-account').fill(liNasCard);
      await page.getByTestId('transfer-amount').fill('8000');
      await page.getByTestId('transfer-next').click();
      await page.getByTestId('confirm-signer').waitFor();
      assert.equal((await page.getByTestId('confirm-signer').textContent())?.trim(), '密码卡');
      await page.getByTestId('transfer-edit').click();
      await page.getByTestId('transfer-amount').fill('123.45');
      await page.getByTestId('transfer-memo').fill(memo);
      await page.getByTestId('transfer-next').click();
      await page.getByTestId('confirm-signer').waitFor();
      assert.equal((await page.getByTestId('confirm-signer').textContent())?.trim(), '短信验证码');
      const sent = await codesSent(server.baseUrl, '13800000001');
      await page.getByTestId('confirm-transfer').click();
      await page.getByTestId('auth-code').fill(await latestSmsCode(server.baseUrl, '13800000001', sent));
      await page.getByTestId('auth-submit').click();
      await page.getByTestId('transfer-status').waitFor();
      const serial = (await page.getByTestId('transfer-serial').textContent())?.trim();
      assert.ok(serial);

      // History: expenses only, income only, a keyword, a quick range and custom dates.
      await page.goto(`${server.baseUrl}/accounts/${paying.id}/history`);
      await page.getByTestId('history-row').first().waitFor();
      await filtered(page, () => page.getByTestId('history-direction-out').check(), /direction=out/);
      const out = await amounts(page);
      assert.ok(out.length >= 1 && out.every((a) => /[−-]¥/.test(a)), `expenses: ${out}`);
      await filtered(page, () => page.getByTestId('history-direction-in').check(), /direction=in/);
      const income = await amounts(page);
      assert.ok(income.length >= 1 && income.every((a) => /\+¥/.test(a)), `income: ${income}`);
      await page.getByTestId('history-direction-all').check();
      await page.getByTestId('history-keyword').fill(memo);
      await filtered(page, () => page.getByTestId('history-apply').click(), /q=/);
      assert.equal(await page.getByTestId('history-row').count(), 1);
      assert.match((await page.getByTestId('history-row').textContent()) ?? '', new RegExp(memo));
      const today = beijingDate(new Date().toISOString());
      await filtered(page, () => page.getByTestId('history-range-7d').check(), /from=/);
      assert.match((await page.getByTestId('history-period').textContent()) ?? '', new RegExp(`至 ${today}`));
      assert.equal(await page.getByTestId('history-row').count(), 1, 'the keyword still applies');
      await page.getByTestId('history-range-custom').check();
      await page.getByTestId('history-from').waitFor();
      await page.getByTestId('history-from').fill(today);
      await page.getByTestId('history-to').fill(today);
      await filtered(page, () => page.getByTestId('history-apply').click(), new RegExp(`from=${today}&to=${today}`));
      assert.equal(await page.getByTestId('history-row').count(), 1);

      // The statement of the dates chosen, as PDF and CSV: that period, opening and closing balance, the
      // totals in and out, and every time in Beijing time with its offset (never a UTC `Z` time).
      const pdfDownload = page.waitForEvent('download');
      await page.getByTestId('export-pdf').click();
      const statement = (await pdfText(readFileSync(await (await pdfDownload).path()))).replace(/\s+/g, '');
      assert.ok(statement.includes(`${today}—${today}`), 'the period is the dates chosen');
      for (const label of [
        '期初余额Openingbalance:¥',
        '期末余额Closingbalance:¥',
        '收入合计Credits:¥',
        '支出合计Debits:¥',
      ]) {
        assert.ok(statement.includes(label), label);
      }
      assert.ok(statement.includes('123.45'), 'the transfer is on it');
      assert.doesNotMatch(statement, /\d{2}:\d{2}(:\d{2})?(\.\d+)?Z/);
      const csvDownload = page.waitForEvent('download');
      await page.getByTestId('export-csv').click();
      const csv = readFileSync(await (await csvDownload).path(), 'utf8')
        .trim()
        .split(/\r?\n/);
      assert.ok(csv.length >= 2, 'a header and the day’s postings');
      for (const line of csv.slice(1)) assert.match(line, new RegExp(`^${today}T\\d{2}:\\d{2}:\\d{2}\\+08:00,`));

      // The transfer's detail: figures and capitals, the serial the result showed, Beijing time, its receipt.
      await page.getByTestId('history-details').first().click();
      const dialog = page.getByTestId('history-detail');
      await dialog.getByTestId('detail-serial').waitFor();
      assert.match((await dialog.textContent()) ?? '', /123\.45/);
      assert.equal((await dialog.getByTestId('detail-capitals').textContent())?.trim(), '壹佰贰拾叁元肆角伍分');
      assert.equal((await dialog.getByTestId('detail-serial').textContent())?.trim(), serial);
      assert.equal((await dialog.getByTestId('detail-memo').textContent())?.trim(), memo);
      assert.match(
        (await dialog.getByTestId('detail-counterparty').textContent()) ?? '',
        /^李\* 6228 \*{4} \*{4} \d{4}$/,
      );
      assert.match(
        (await dialog.getByTestId('detail-time').textContent()) ?? '',
        /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(北京时间\)$/,
      );
      const box = await dialog.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width, 'the detail fits the screen');
      const download = page.waitForEvent('download');
      await dialog.getByTestId('detail-receipt').click();
      assert.equal((await download).suggestedFilename(), `receipt-${serial}.pdf`);
      await dialog.getByTestId('detail-close').click();
      await dialog.waitFor({ state: 'hidden' });

      // The opening deposit's detail has no receipt (no transfer of the customer's).
      await page.getByTestId('history-keyword').fill('开户');
      await filtered(page, () => page.getByTestId('history-apply').click(), /q=/);
      await page.getByTestId('history-details').first().click();
      await dialog.getByTestId('detail-serial').waitFor();
      assert.equal(await dialog.getByTestId('detail-receipt').count(), 0);
      assert.match((await dialog.getByTestId('detail-capitals').textContent()) ?? '', /^伍万元整$/);
      await context.close();
    });
  }
});
