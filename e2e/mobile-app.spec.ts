import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  codesSent,
  type E2eServer,
  latestSmsCode,
  launchBrowser,
  newPage,
  startServer,
  waitForExpression,
} from './harness.ts';

const MOBILE = '13800000001';

/** Signs 张伟 in on the phone's own login page (mobile number, password, the SMS code for a new phone). */
async function phoneSignIn(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/m/login`);
  await page.getByTestId('login-identifier').fill(MOBILE);
  await page.getByTestId('login-password').fill('Jinku2026');
  const sent = await codesSent(baseUrl, MOBILE);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('challenge-code').fill(await latestSmsCode(baseUrl, MOBILE, sent));
  await page.getByTestId('challenge-submit').click();
  await page.getByTestId('m-tab-home').waitFor();
}

/** Elements wider than the window, by test id or tag (none may be). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > width + 1 || r.left < -1)) wide.push(el.dataset.testid || el.className || el.tagName);
    }
    if (document.documentElement.scrollWidth > width) wide.push('document ' + document.documentElement.scrollWidth);
    return wide;
  })()`);
}

describe('the phone app: bottom navigation, home, transfer and history', () => {
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

  test('five tabs of at least 44 px, balances hidden until the eye is tapped, nothing wider than 360–430 px', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      await phoneSignIn(page, server.baseUrl);
      const labels = await page.locator('.m-tabbar__label').allTextContents();
      assert.deepEqual(
        labels.map((l) => l.trim()),
        ['首页', '转账', '扫一扫', '消息', '我的'],
      );
      for (const key of ['home', 'transfer', 'scan', 'messages', 'me']) {
        const box = await page.getByTestId(`m-tab-${key}`).boundingBox();
        assert.ok(box && box.width >= 44 && box.height >= 44, `${key} tab is ${box?.width}×${box?.height}`);
      }
      await page.getByTestId('m-account').first().waitFor();
      assert.equal((await page.getByTestId('m-total').textContent())?.trim(), '******');
      assert.doesNotMatch((await page.locator('.m-home').textContent()) ?? '', /50,000\.00/);
      const eye = await page.getByTestId('m-balance-toggle').boundingBox();
      assert.ok(eye && eye.width >= 44 && eye.height >= 44);
      await page.getByTestId('m-balance-toggle').click();
      assert.match((await page.getByTestId('m-total').textContent()) ?? '', /60,000\.00/);
      assert.match((await page.getByTestId('m-account').first().textContent()) ?? '', /50,000\.00|10,000\.00/);

      for (const width of [360, 430]) {
        await page.setViewportSize({ width, height: 800 });
        for (const key of ['home', 'transfer', 'messages', 'me']) {
          await page.getByTestId(`m-tab-${key}`).click();
          await page.waitForLoadState('networkidle');
          assert.deepEqual(await overflowing(page), [], `${key} at ${width} px`);
        }
      }
    } finally {
      await context.close();
    }
  });

  test('the Transfer tab is the web flow: ¥88.00 to his other account arrives, and its history shows it', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      await phoneSignIn(page, server.baseUrl);
      const second = (await page.evaluate(`(async () => {
        const { items } = await (await fetch('/api/v1/accounts')).json();
        const account = await (await fetch('/api/v1/accounts/' + items[1].id)).json();
        return { id: items[1].id, card: account.cardNumber ?? account.number };
      })()`)) as { id: string; card: string };

      await page.getByTestId('m-tab-transfer').click();
      await page.getByTestId('payee-name').fill('张伟');
      await page.getByTestId('payee-account').fill(second.card);
      await page.getByTestId('transfer-amount').fill('88.00');
      assert.equal((await page.getByTestId('amount-capital').textContent())?.trim(), '捌拾捌元整');
      await page.getByTestId('transfer-next').click();
      await page.getByTestId('confirm-transfer').click();
      await page.getByTestId('transfer-status').waitFor();
      assert.match((await page.getByTestId('transfer-status').textContent()) ?? '', /成功|完成/);
      assert.deepEqual(await overflowing(page), []);

      await page.getByTestId('m-tab-home').click();
      await page.locator(`a[href="/m/accounts/${second.id}"]`).click();
      await page.getByTestId('m-history-entry').first().waitFor();
      assert.match((await page.getByTestId('m-history-entry').first().textContent()) ?? '', /\+¥\s?88\.00/);
      assert.deepEqual(await overflowing(page), []);
    } finally {
      await context.close();
    }
  });

  test('a transfer puts 动账通知 in the message centre, the badge counts them live, and reading clears it', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      await phoneSignIn(page, server.baseUrl);
      // This phone is a new device: that sign-in is the first message. Clear it to start from nothing.
      await page.getByTestId('m-unread-badge').waitFor();
      await page.getByTestId('m-tab-messages').click();
      await page.locator('[data-testid="m-message"][data-kind="auth.new_device"]').first().waitFor();
      await page.getByTestId('m-messages-read-all').click();
      await page.getByTestId('m-unread-badge').waitFor({ state: 'detached' });

      const second = (await page.evaluate(`(async () => {
        const { items } = await (await fetch('/api/v1/accounts')).json();
        const account = await (await fetch('/api/v1/accounts/' + items[1].id)).json();
        return { card: account.cardNumber ?? account.number };
      })()`)) as { card: string };
      await page.getByTestId('m-tab-transfer').click();
      await page.getByTestId('payee-name').fill('张伟');
      await page.getByTestId('payee-account').fill(second.card);
      await page.getByTestId('transfer-amount').fill('12.00');
      await page.getByTestId('transfer-next').click();
      await page.getByTestId('confirm-transfer').click();
      await page.getByTestId('transfer-status').waitFor();

      // The badge learns of both messages (money out, money in) from the event stream, without a reload.
      await page.getByTestId('m-tab-home').click();
      await page.getByTestId('m-unread-badge').filter({ hasText: /^2$/ }).waitFor({ timeout: 30_000 });
      await page.getByTestId('m-tab-messages').click();
      const unread = page.locator('[data-testid="m-message"][data-read="false"]');
      await unread.first().waitFor();
      assert.equal(await unread.count(), 2);
      const texts = await unread.allTextContents();
      assert.ok(texts.every((text) => text.includes('动账通知')));
      assert.ok(texts.some((text) => /支出人民币 12\.00 元/.test(text)));
      assert.ok(texts.some((text) => /收入人民币 12\.00 元/.test(text)));
      assert.deepEqual(await overflowing(page), []);

      await unread.first().click();
      await page.getByTestId('m-unread-badge').filter({ hasText: /^1$/ }).waitFor();
      // The badge and the list refetch separately: wait for the list too, or the next click may land on
      // the message just read, still drawn as unread, and leave the badge at 1.
      await waitForExpression(
        page,
        `document.querySelectorAll('[data-testid="m-message"][data-read="false"]').length === 1`,
      );
      await page.locator('[data-testid="m-message"][data-read="false"]').first().click();
      await page.getByTestId('m-unread-badge').waitFor({ state: 'detached' });
      assert.equal(await page.locator('[data-testid="m-message"][data-read="false"]').count(), 0);
    } finally {
      await context.close();
    }
  });
});
