import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { HttpClient } from '../server/src/testing/http-client.ts';
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

describe('a transfer through the web page', () => {
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

  test('张伟 pays 李娜 ¥123.45 with the SMS code; both see it; the receipt holds the amount and names', async () => {
    const card = await liNasCardNumber(server.baseUrl);
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, 'zhangwei', '13800000001');
    await page.goto(`${server.baseUrl}/transfer`);
    // The bank list is the server's, named in the page's language; the form starts at Jinku itself.
    const bank = page.getByTestId('payee-bank');
    await bank.locator('option', { hasText: '中国邮政储蓄银行' }).waitFor({ state: 'attached' });
    assert.equal(await bank.inputValue(), '888');
    assert.equal((await bank.locator('option:checked').textContent())?.trim(), '金库银行');
    await page.getByTestId('payee-name').fill('李娜');
    await page.getByTestId('payee-account').fill(card.replace(/(\d{4})/g, '$1 ').trim());
    // The field shows all 19 digits in their groups of four without scrolling inside it.
    const fits = (await page
      .getByTestId('payee-account')
      .evaluate(
        (input: { scrollWidth: number; clientWidth: number }) => input.scrollWidth <= input.clientWidth,
      )) as boolean;
    assert.ok(fits, 'the account field is wide enough for 19 grouped digits');
    await page.getByTestId('transfer-amount').fill('123.45');
    assert.equal((await page.getByTestId('amount-capital').textContent())?.trim(), '壹佰贰拾叁元肆角伍分');
    await page.getByTestId('transfer-memo').fill('午饭钱');
    await page.getByTestId('transfer-next').click();
    await page.getByTestId('confirm-amount-capital').waitFor();
    assert.match((await page.getByTestId('confirm-amount-capital').textContent()) ?? '', /壹佰贰拾叁元肆角伍分/);
    assert.equal((await page.getByTestId('confirm-payee-name').textContent())?.trim(), '李娜');
    assert.equal((await page.getByTestId('confirm-payee-bank').textContent())?.trim(), '金库银行');
    // The confirmation can be checked: the number in full as typed, the fee though zero, when it arrives.
    const grouped = card.replace(/(\d{4})(?=\d)/g, '$1 ');
    assert.equal((await page.getByTestId('confirm-payee-account').textContent())?.trim(), grouped);
    assert.match((await page.getByTestId('confirm-fee').textContent()) ?? '', /0\.00/);
    assert.equal((await page.getByTestId('confirm-arrival').textContent())?.trim(), '实时到账');
    // A payee at Jinku goes without a bank code, as it always has (the server reads none as its own bank).
    const sent = page.waitForRequest(
      (request) => request.method() === 'POST' && request.url().endsWith('/api/v1/transfers'),
    );
    const before = await codesSent(server.baseUrl, '13800000001');
    await page.getByTestId('confirm-transfer').click();
    assert.equal('bankCode' in (await sent).postDataJSON().payee, false);
    const code = await latestSmsCode(server.baseUrl, '13800000001', before);
    await page.getByTestId('auth-code').fill(code);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('transfer-status').waitFor();
    assert.match((await page.getByTestId('transfer-status').textContent()) ?? '', /成功|完成/);
    // The result names the serial number and the Beijing time, and masks the payee's number again.
    assert.match((await page.getByTestId('transfer-serial').textContent()) ?? '', /\S{8,}/);
    assert.match(
      (await page.getByTestId('transfer-time').textContent()) ?? '',
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
    );
    assert.match((await page.getByTestId('confirm-payee-account').textContent()) ?? '', /\*{4}/);
    await page.getByTestId('save-payee').click();
    await page.getByTestId('payee-saved').waitFor();

    const download = page.waitForEvent('download');
    await page.getByTestId('receipt-link').click();
    const file = await (await download).path();
    const { readFileSync } = await import('node:fs');
    const text = (await pdfText(readFileSync(file))).replace(/\s+/g, '');
    for (const expected of ['张伟', '李娜', '¥123.45', '壹佰贰拾叁元肆角伍分'])
      assert.ok(text.includes(expected), expected);
    // The time is Beijing time with its offset written out, never a UTC `Z` time.
    assert.match(text, /\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}\+08:00/);
    assert.doesNotMatch(text, /\d{2}:\d{2}(:\d{2})?(\.\d+)?Z/);

    await page.goto(`${server.baseUrl}/accounts`);
    await page.getByTestId('account-row').first().waitFor();
    // The overview sums the accounts and says when and where the customer last signed in: Beijing time,
    // and the place of that sign-in's address (the test's browser is on loopback: the private network).
    assert.match((await page.getByTestId('total-assets').textContent()) ?? '', /59,876\.55/);
    assert.match((await page.locator('.overview-facts').textContent()) ?? '', /上次登录/);
    assert.match(
      (await page.getByTestId('last-login').textContent()) ?? '',
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 内网$|第一次/,
    );
    const accounts = (await page.evaluate(async () => (await fetch('/api/v1/accounts')).json())) as {
      items: Array<{ id: string; balance: { amount: string } }>;
    };
    const paying = accounts.items.find((a) => a.balance.amount === '49876.55');
    assert.ok(paying, 'the paying account is ¥123.45 lighter');
    await page.goto(`${server.baseUrl}/accounts/${paying.id}/history`);
    await page.getByTestId('history-row').first().waitFor();
    assert.match((await page.getByTestId('history-row').first().textContent()) ?? '', /123\.45/);
    await context.close();

    const li = await newPage(browser);
    await signInThroughPage(li.page, server.baseUrl, 'lina', '13800000002');
    const liAccounts = (await li.page.evaluate(async () => (await fetch('/api/v1/accounts')).json())) as {
      items: Array<{ id: string; balance: { amount: string } }>;
    };
    assert.equal(liAccounts.items[0]?.balance.amount, '20123.45');
    await li.page.goto(`${server.baseUrl}/accounts/${liAccounts.items[0]!.id}/history`);
    await li.page.getByTestId('history-row').first().waitFor();
    assert.match((await li.page.getByTestId('history-row').first().textContent()) ?? '', /123\.45/);
    await li.context.close();
  });

  test('张伟 signs ¥8,000 with his password card and ¥9,000 with his e-password device', async () => {
    const card = await liNasCardNumber(server.baseUrl);
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, 'zhangwei', '13800000001');
    // His sign-in in the test before is the last one: its Beijing time and the place of its address,
    // the loopback address the tests run on (内网, the private network).
    assert.match((await page.locator('.overview-facts').textContent()) ?? '', /上次登录/);
    assert.match(
      (await page.getByTestId('last-login').textContent()) ?? '',
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 内网$/,
    );
    const startPayment = async (amount: string) => {
      await page.goto(`${server.baseUrl}/transfer`);
      await page.getByTestId('payee-name').fill('李娜');
      await page.getByTestId('payee-account').fill(card);
      await page.getByTestId('transfer-amount').fill(amount);
      await page.getByTestId('transfer-next').click();
      // No memo was typed: the confirmation leaves the optional field out rather than show it empty.
      const facts = page.getByTestId('confirm-fee').locator('xpath=ancestor::dl');
      assert.doesNotMatch((await facts.textContent()) ?? '', /附言/);
      await page.getByTestId('confirm-transfer').click();
    };
    const cellsShown = async () => {
      const text = (await page.getByTestId('auth-cells').textContent()) ?? '';
      return text.match(/[A-H](?:10|[1-9])/g) ?? [];
    };
    const cardDigits = async (cells: string[]) => {
      const answer = await fetch(
        `${server.baseUrl}/api/v1/dev/password-card/PC20260001/cells?cells=${cells.join(',')}`,
      );
      return ((await answer.json()) as { digits: string }).digits;
    };

    // Above what SMS may sign: the password card is asked, two cells over a drawing of the card.
    await startPayment('8000.00');
    await page.getByTestId('auth-cells').waitFor();
    const firstCells = await cellsShown();
    assert.equal(firstCells.length, 2);
    const right = await cardDigits(firstCells);
    await page.getByTestId('auth-code').fill(right.replace(/^\d/, (d) => String((Number(d) + 1) % 10)));
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('auth-error').waitFor();
    // A wrong answer draws new cells; the page shows them.
    const shownBefore = await page.getByTestId('auth-cells').textContent();
    for (let i = 0; i < 50 && (await page.getByTestId('auth-cells').textContent()) === shownBefore; i++) {
      await page.waitForTimeout(100);
    }
    await page.getByTestId('auth-code').fill(await cardDigits(await cellsShown()));
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('transfer-status').waitFor();
    assert.match((await page.getByTestId('transfer-status').textContent()) ?? '', /成功|完成/);

    // The next one with the e-password device instead: its challenge starts with the payee's last four digits.
    await startPayment('9000.00');
    await page.getByTestId('auth-use-e_token').click();
    await page.getByTestId('auth-token-code').waitFor();
    const challenge = ((await page.getByTestId('auth-token-code').textContent()) ?? '').replace(/\D/g, '');
    assert.equal(challenge.slice(0, 4), card.slice(-4));
    const device = execFileSync(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', 'server/src/cli/e-token.ts', 'ET20260001', challenge],
      { env: { ...process.env, DATABASE_URL: server.databaseUrl, JINKU_ENV: 'test' }, encoding: 'utf8' },
    ).trim();
    assert.match(device, /^\d{6}$/);
    await page.getByTestId('auth-code').fill(device);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('transfer-status').waitFor();
    assert.match((await page.getByTestId('transfer-status').textContent()) ?? '', /成功|完成/);
    await context.close();
  });
});
