import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../server/src/media/totp.ts';
import {
  codesSent,
  type E2eServer,
  latestSmsCode,
  launchBrowser,
  newPage,
  signInThroughPage,
  startServer,
  waitForExpression,
} from './harness.ts';

describe('the security centre in Chromium', () => {
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

  /** Elements wider than the window or reaching past its right edge (visually hidden ones, e.g. a card list's table head, aside). */
  const overflowing = (page: Page) =>
    page.evaluate(`(() => {
      const width = window.innerWidth;
      const wide = [...document.querySelectorAll('body *')].filter((element) => {
        if (element.closest('thead, caption, .visually-hidden')) return false;
        const box = element.getBoundingClientRect();
        return box.width > 1 && (box.width > width + 0.5 || box.right > width + 0.5);
      });
      return {
        page: document.documentElement.scrollWidth <= width,
        elements: wide.slice(0, 5).map((element) => element.tagName + '.' + element.className),
      };
    })()`);

  test('on a phone (390×844) the overview, history and security pages fit the screen; one device per browser, named plainly', async () => {
    const mobile = '13800000001';
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await signInThroughPage(page, server.baseUrl, mobile, mobile);
    assert.deepEqual(await overflowing(page), { page: true, elements: [] }, 'the overview fits');

    await page.getByTestId('account-row').first().getByRole('link').first().click();
    const row = page.getByTestId('history-row').first();
    await row.waitFor();
    assert.deepEqual(await overflowing(page), { page: true, elements: [] }, 'the history fits');
    for (const cell of await row.locator('td.num').all()) {
      const box = await cell.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'amount and balance are on screen');
    }
    const memo = await row.locator('td.data-table__text').first().boundingBox();
    const time = await row.locator('td').first().boundingBox();
    assert.ok(memo && time && memo.height <= time.height + 1, 'a memo reads as a line of text, as tall as the time');

    await page.goto(`${server.baseUrl}/security`);
    await page.getByTestId('login-row').first().waitFor();
    await page.getByTestId('device-row').first().waitFor();
    assert.deepEqual(await overflowing(page), { page: true, elements: [] }, 'the security centre fits');
    assert.match((await page.getByTestId('session-device').first().textContent()) ?? '', /^Chrome · Linux$/);
    // "Chrome · Linux · 内网": the place of the session's address (the tests run on loopback).
    assert.match(
      (await page.getByTestId('session-device').first().locator('..').textContent()) ?? '',
      /Chrome · Linux · 内网/,
    );
    assert.match((await page.getByTestId('device-row').first().textContent()) ?? '', /Chrome · Linux · 内网/);
    assert.match((await page.getByTestId('login-row').first().textContent()) ?? '', /成功/);
    assert.doesNotMatch((await page.getByTestId('login-row').first().textContent()) ?? '', /success/);
    const devices = await page.getByTestId('device-row').count();
    const remove = await page.getByTestId('device-remove').first().boundingBox();
    assert.ok(remove && remove.width > remove.height, 'the remove button keeps its word on one line');
    assert.match((await page.getByTestId('device-row').first().textContent()) ?? '', /Chrome · Linux.*添加于 \d{4}/);

    // The same browser signs in again (a mistyped password first): it is recognised, no code is asked and
    // no second entry appears; the history names the mistake in words.
    await page.getByTestId('logout').click();
    let used: string | null = null;
    const submit = async (password: string) => {
      await page.getByTestId('login-identifier').fill(mobile);
      await page.getByTestId('login-password').fill(password);
      let captchaId: string | null = null;
      while (!captchaId || captchaId === used) {
        captchaId = await page.getByTestId('login-captcha-image').getAttribute('data-captcha-id');
      }
      used = captchaId;
      const captcha = await fetch(`${server.baseUrl}/api/v1/dev/captcha/${captchaId}`);
      await page.getByTestId('login-captcha-answer').fill(((await captcha.json()) as { answer: string }).answer);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.getByTestId('login-submit').click();
      return (await answered).status();
    };
    assert.notEqual(await submit('Wrong2026x'), 200);
    assert.equal(await submit('Jinku2026'), 200);
    await page.getByTestId('account-row').first().waitFor();
    await page.goto(`${server.baseUrl}/security`);
    await page.getByTestId('device-row').first().waitFor();
    await page.getByTestId('login-row').nth(1).waitFor();
    assert.match((await page.getByTestId('login-row').nth(1).textContent()) ?? '', /密码错误/);
    assert.equal(await page.getByTestId('device-row').count(), devices, 'one entry for this browser');
    await context.close();
  });

  test('李娜 sets a reserved message and a login name (confirmed by SMS), and sees her sign-ins', async () => {
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, '13800000002', '13800000002');

    await page.goto(`${server.baseUrl}/security`);
    await page.getByTestId('reserved-message-input').fill('春暖花开');
    await page.getByTestId('reserved-submit').click();
    await page
      .getByText(/预留信息已保存|已保存/)
      .first()
      .waitFor();

    await page.getByTestId('login-name').fill('LiNa_2026');
    const before = await codesSent(server.baseUrl, '13800000002');
    await page.getByTestId('login-name-submit').click();
    await page.getByTestId('login-name-code').fill(await latestSmsCode(server.baseUrl, '13800000002', before));
    await page.getByTestId('login-name-submit').click();
    await page.getByText(/登录名已保存/).waitFor();
    const session = (await page.evaluate(async () => (await fetch('/api/v1/session')).json())) as {
      customer: { reservedMessage: string };
    };
    assert.equal(session.customer.reservedMessage, '春暖花开');
    const logins = (await page.evaluate(async () => (await fetch('/api/v1/security/logins')).json())) as {
      items: Array<{ result: string }>;
    };
    assert.equal(logins.items[0]?.result, 'success');
    await context.close();
  });

  test('a login name someone already uses is refused after the SMS code, and the form starts again', async () => {
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, '13800000002', '13800000002');
    await page.goto(`${server.baseUrl}/security`);
    // 张伟's username: login names and usernames are unique together, whatever the case.
    await page.getByTestId('login-name').fill('ZhangWei');
    const before = await codesSent(server.baseUrl, '13800000002');
    await page.getByTestId('login-name-submit').click();
    await page.getByTestId('login-name-code').fill(await latestSmsCode(server.baseUrl, '13800000002', before));
    await page.getByTestId('login-name-submit').click();
    await page.getByTestId('login-name-error').waitFor();
    assert.equal(await page.getByTestId('login-name-code').count(), 0);
    assert.equal((await page.getByTestId('login-name-submit').textContent())?.trim(), '保存');
    await context.close();
  });

  test('张伟 sees his media and limits, and binds an authenticator app approved by SMS; the token is active', async () => {
    const mobile = '13800000001';
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, mobile, mobile);
    await page.goto(`${server.baseUrl}/security`);
    const media = page.getByTestId('media-section');
    await media.getByTestId('medium-password_card').waitFor();
    assert.equal(
      await media.getByRole('listitem').count(),
      4,
      'SMS, the password card, the e-password device and the issued U-shield',
    );
    assert.equal(await page.getByTestId('media-tier').getAttribute('data-tier'), 'e_token');
    const card = media.getByTestId('medium-password_card');
    assert.equal(await card.getByTestId('medium-serial').textContent(), 'PC20260001');
    assert.equal(await card.getByTestId('medium-uses-left').getAttribute('data-uses-left'), '1000');
    assert.match((await card.getByTestId('medium-uses-left').textContent()) ?? '', /1000/);
    assert.equal(await card.getByTestId('medium-low-uses').count(), 0, 'a new card is not running low');
    assert.equal(await media.getByTestId('medium-e_token').getByTestId('medium-serial').textContent(), 'ET20260001');
    assert.equal(await media.getByTestId('medium-sms').getAttribute('data-status'), 'active');
    await page.getByTestId('limits-today').getByRole('meter').waitFor();
    assert.match((await page.getByTestId('limit-used-today').textContent()) ?? '', /¥ 0\.00/);

    // Step 1: the current medium (SMS, the least friction) approves the binding; a wrong code is refused first.
    const enrolAnswer = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/security/totp'));
    const sent = await codesSent(server.baseUrl, mobile);
    const [asked] = await Promise.all([enrolAnswer(), page.getByTestId('totp-start').click()]);
    assert.equal(asked.status(), 202);
    const code = await latestSmsCode(server.baseUrl, mobile, sent);
    await page.getByTestId('totp-code').fill(code === '000000' ? '111111' : '000000');
    const [wrong] = await Promise.all([enrolAnswer(), page.getByTestId('totp-challenge-submit').click()]);
    assert.equal(wrong.status(), 422);
    await page.getByTestId('totp-error').waitFor();
    assert.match((await page.getByTestId('totp-error').textContent()) ?? '', /验证未通过/);
    assert.equal(await page.getByTestId('totp-code').inputValue(), '', 'a refused code empties the field');
    await page.getByTestId('totp-code').fill(code);
    const [enrolled] = await Promise.all([enrolAnswer(), page.getByTestId('totp-challenge-submit').click()]);
    assert.equal(enrolled.status(), 201);

    // Step 2: the QR code and the link, whose secret the "app" (this test) reads.
    await page.getByTestId('totp-qr').waitFor();
    assert.match((await page.getByTestId('totp-qr').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    const link = new URL((await page.getByTestId('totp-link').getAttribute('href')) ?? '');
    assert.equal(link.protocol, 'otpauth:');
    const secret = link.searchParams.get('secret') ?? '';
    assert.equal((await page.getByTestId('totp-secret').textContent())?.replace(/\s/g, ''), secret);

    // Step 3: the app's first code makes the token active; the list shows it.
    const appCode = totpCode(Buffer.from(Secret.fromBase32(secret).bytes), Date.now());
    await page.getByTestId('totp-first-code').fill(appCode);
    const [verified] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/verify')),
      page.getByTestId('totp-activate').click(),
    ]);
    assert.equal(verified.status(), 200);
    await page.getByTestId('totp-active').waitFor();
    assert.equal(await page.getByTestId('totp-qr').count(), 0, 'the QR code is gone once the token is active');
    await media.locator('[data-testid="medium-totp"][data-status="active"]').waitFor();
    assert.equal(await media.getByRole('listitem').count(), 5);
    await context.close();
  });

  test('张伟 changes his login password with an SMS code; his other session ends and the new password signs in', async () => {
    const mobile = '13800000001';
    const elsewhere = await newPage(browser);
    await signInThroughPage(elsewhere.page, server.baseUrl, mobile, mobile);
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, mobile, mobile);
    await page.goto(`${server.baseUrl}/security`);
    await page.getByTestId('session-row').nth(1).waitFor();
    await page.getByTestId('password-current').fill('Jinku2026');
    await page.getByTestId('password-new').fill('Spring2027x');
    await page.getByTestId('password-repeat').fill('Spring2027x');
    const before = await codesSent(server.baseUrl, mobile);
    const passwordAnswer = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/security/password'));
    const [asked] = await Promise.all([passwordAnswer(), page.getByTestId('password-submit').click()]);
    assert.equal(asked.status(), 202, 'the change waits for the SMS code');
    const code = await latestSmsCode(server.baseUrl, mobile, before);
    const { items } = (await (await fetch(`${server.baseUrl}/api/v1/dev/outbox?to=${mobile}`)).json()) as {
      items: Array<{ text: string }>;
    };
    assert.match(items[0]?.text ?? '', /修改网上银行登录密码/);
    assert.ok(!items[0]?.text.includes('Spring2027x'), 'the new password is not in the SMS');

    await page.getByTestId('password-code').fill(code === '000000' ? '111111' : '000000');
    const [wrong] = await Promise.all([passwordAnswer(), page.getByTestId('password-confirm').click()]);
    assert.equal(wrong.status(), 401);
    await page.getByTestId('password-code-error').waitFor();
    assert.equal(await page.getByTestId('password-code').inputValue(), '', 'a refused code empties the field');
    await page.getByTestId('password-code').fill(code);
    const [done] = await Promise.all([passwordAnswer(), page.getByTestId('password-confirm').click()]);
    assert.equal(done.status(), 204);
    await page.getByTestId('password-changed').waitFor();
    assert.equal(await page.getByTestId('password-code').count(), 0);
    // The list of sessions reloads by itself: only this browser's is left.
    await waitForExpression(page, 'document.querySelectorAll(\'[data-testid="session-row"]\').length === 1');

    const sessionOf = (p: typeof page) =>
      p.evaluate(
        async () => ((await (await fetch('/api/v1/session')).json()) as { authenticated: boolean }).authenticated,
      );
    assert.equal(await sessionOf(page), true, 'this browser stays signed in');
    assert.equal(await sessionOf(elsewhere.page), false, 'the other session has ended');
    await elsewhere.context.close();
    await context.close();

    const fresh = await newPage(browser);
    await signInThroughPage(fresh.page, server.baseUrl, mobile, mobile, 'Spring2027x');
    await fresh.context.close();
  });

  test('five wrong current passwords lock the login: the page goes to the login page and says until when', async () => {
    const { context, page } = await newPage(browser);
    await signInThroughPage(page, server.baseUrl, '13800000002', '13800000002');
    await page.goto(`${server.baseUrl}/security`);
    await page.getByTestId('password-new').fill('Spring2027');
    await page.getByTestId('password-repeat').fill('Spring2027');
    for (let i = 1; i <= 5; i++) {
      await page.getByTestId('password-current').fill(`Wrong${i}x9`);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/security/password')),
        page.getByTestId('password-submit').click(),
      ]);
      assert.equal(answer.status(), i < 5 ? 401 : 423);
    }
    await page.getByTestId('signed-out-locked').waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    const message = (await page.getByTestId('signed-out-locked').textContent()) ?? '';
    assert.match(message, /锁定/);
    assert.match(message, /北京时间/);
    await context.close();
  });
});
