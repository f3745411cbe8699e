import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { makeResidentId } from '../server/src/customers/resident-id.ts';
import { codesSent, type E2eServer, latestSmsCode, launchBrowser, newPage, startServer } from './harness.ts';

/** The demo staff's authenticator (API.md, "Demo bank": secret JBSWY3DPEHPK3PXP for both). */
const staffTotp = new TOTP({ secret: Secret.fromBase32('JBSWY3DPEHPK3PXP'), algorithm: 'SHA1', digits: 6, period: 30 });

/** A new customer no demo identity uses: a valid GB 11643 ID number and a fresh mobile. */
const NEWCOMER = {
  name: '赵敏',
  idNumber: makeResidentId('110101', '19900307', '124'),
  mobile: '13900001234',
  initialPassword: '20261203',
  newPassword: 'Zhao2026new',
};

const lastStepOf = new Map<string, number>();

/**
 * A TOTP code for `username`. The server takes each step's code once per staff member (RFC 6238 section
 * 5.2), so a second sign-in waits for the next 30-second step.
 */
async function freshCode(username: string): Promise<string> {
  const step = () => Math.floor(Date.now() / 30_000);
  while (lastStepOf.get(username) === step()) await new Promise((r) => setTimeout(r, 500));
  lastStepOf.set(username, step());
  return staffTotp.generate();
}

/** Signs a staff member in at /counter/ with password and the current TOTP code, by keyboard. */
async function counterSignIn(page: Page, baseUrl: string, username: string, password: string) {
  await page.goto(`${baseUrl}/counter/`);
  await page.getByTestId('counter-username').fill(username);
  await page.getByTestId('counter-password').fill(password);
  await page.getByTestId('counter-totp').fill(await freshCode(username));
  await page.keyboard.press('Enter');
  await page.getByTestId('customer-search').waitFor();
}

/**
 * Enter on the form, then `check` what the confirmation reads back, then Enter on the confirmation.
 */
async function submitAndConfirm(page: Page, check?: () => Promise<void>) {
  await page.keyboard.press('Enter');
  await page.getByTestId('op-confirm').waitFor();
  await check?.();
  await page.keyboard.press('Enter');
}

/** Answers the login page's captcha from the dev route, waiting for a captcha not answered before. */
async function answerCaptcha(page: Page, baseUrl: string) {
  let captchaId: string | null = null;
  while (!captchaId) captchaId = await page.getByTestId('login-captcha-image').getAttribute('data-captcha-id');
  const { answer } = (await (await fetch(`${baseUrl}/api/v1/dev/captcha/${captchaId}`)).json()) as { answer: string };
  await page.getByTestId('login-captcha-answer').fill(answer);
}

describe('the counter in Chromium', () => {
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

  test('a teller registers a customer with ¥1,000 and e-banking, a supervisor approves ¥60,000, the customer sees ¥61,000.00', async () => {
    const teller = await newPage(browser);
    const page = teller.page;
    await counterSignIn(page, server.baseUrl, 'teller01', 'Teller2026!');

    // Register the customer (Alt+1); the new customer's page opens when the teller finishes.
    await page.keyboard.press('Alt+1');
    await page.getByTestId('op-name').fill(NEWCOMER.name);
    await page.getByTestId('op-idNumber').fill(NEWCOMER.idNumber);
    await page.getByTestId('op-mobile').fill(NEWCOMER.mobile);
    await submitAndConfirm(page);
    await page.getByTestId('op-done-alert').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-page').waitFor();
    assert.equal(await page.getByTestId('customer-name').textContent(), NEWCOMER.name);

    // Open an account (Alt+2): the customer keys the card PIN twice; the full numbers come back.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('op-cardPin').fill('123456');
    await page.getByTestId('op-cardPinConfirm').fill('123456');
    await submitAndConfirm(page);
    await page.getByTestId('result-account-number').waitFor();
    assert.match((await page.getByTestId('result-card-number').textContent()) ?? '', /^\d{4}( \d{1,4})+$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-account').first().waitFor();

    // Cash deposit of ¥1,000 (Alt+3), read back in figures and capitals.
    await page.keyboard.press('Alt+3');
    await page.getByTestId('op-amount').fill('1000');
    await submitAndConfirm(page, async () => {
      assert.match((await page.getByTestId('confirm-amount').textContent()) ?? '', /1,000\.00.*壹仟元整/);
    });
    await page.getByTestId('op-done-alert').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-account-balance').filter({ hasText: '1,000.00' }).waitFor();

    // Register e-banking (Alt+4) with an initial password the customer keys.
    await page.keyboard.press('Alt+4');
    await page.getByTestId('op-initialPassword').fill(NEWCOMER.initialPassword);
    await page.getByTestId('op-initialPasswordConfirm').fill(NEWCOMER.initialPassword);
    await submitAndConfirm(page);
    await page.getByTestId('op-done-alert').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="customer-ebanking"][data-status="not_activated"]').waitFor();

    // ¥60,000 is over ¥50,000: the counter says it awaits a supervisor, and nothing is posted yet.
    await page.keyboard.press('Alt+3');
    await page.getByTestId('op-amount').fill('60000');
    await submitAndConfirm(page, async () => {
      assert.match((await page.getByTestId('confirm-amount').textContent()) ?? '', /60,000\.00.*陆万元整/);
    });
    await page.getByTestId('op-approval').waitFor();
    const approvalId = ((await page.getByTestId('op-approval-id').textContent()) ?? '').trim();
    assert.ok(approvalId.length > 0);
    assert.match((await page.getByTestId('op-approval').textContent()) ?? '', /主管审批/);
    await page.keyboard.press('Enter');
    assert.match((await page.getByTestId('customer-account-balance').textContent()) ?? '', /1,000\.00/);

    // The supervisor sees the request in the inbox (Alt+A) and approves it.
    const supervisor = await newPage(browser);
    await counterSignIn(supervisor.page, server.baseUrl, 'super01', 'Super2026!');
    await supervisor.page.getByTestId('approvals-count').filter({ hasNotText: /^0$/ }).waitFor();
    await supervisor.page.keyboard.press('Alt+KeyA');
    await supervisor.page.locator(`[data-approval-id="${approvalId}"] [data-testid="approval-open"]`).click();
    assert.match((await supervisor.page.getByTestId('review-amount').textContent()) ?? '', /60,000\.00.*陆万元整/);
    await supervisor.page.getByTestId('approval-approve').click();
    await supervisor.page.getByTestId('approval-decided').waitFor();
    await supervisor.context.close();

    // Back at the teller's screen, a fresh search shows the balance with the approved deposit.
    await page.getByTestId('customer-search').fill(NEWCOMER.idNumber);
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-page').waitFor();
    await page.getByTestId('customer-account-balance').filter({ hasText: '61,000.00' }).waitFor();
    await teller.context.close();

    // The customer signs in on the web with the initial password, changes it, passes the security check.
    const customer = await newPage(browser);
    await customer.page.goto(`${server.baseUrl}/`);
    await customer.page.getByTestId('login-identifier').fill(NEWCOMER.mobile);
    await customer.page.getByTestId('login-password').fill(NEWCOMER.initialPassword);
    await answerCaptcha(customer.page, server.baseUrl);
    await customer.page.getByTestId('login-submit').click();
    await customer.page.getByTestId('new-password').waitFor();
    await customer.page.getByTestId('new-password').fill(NEWCOMER.newPassword);
    await customer.page.getByTestId('new-password-confirm').fill(NEWCOMER.newPassword);
    const sent = await codesSent(server.baseUrl, NEWCOMER.mobile);
    await customer.page.getByTestId('new-password-submit').click();
    await customer.page.getByTestId('challenge-code').waitFor();
    await customer.page.getByTestId('challenge-code').fill(await latestSmsCode(server.baseUrl, NEWCOMER.mobile, sent));
    await customer.page.getByTestId('challenge-submit').click();
    await customer.page.getByTestId('account-row').first().waitFor();
    assert.match((await customer.page.locator('main').textContent()) ?? '', /61,000\.00/);
    await customer.context.close();
  });

  test('a temporary password shows once; a teller cannot approve, the maker cannot approve their own, a rejection posts nothing', async () => {
    const teller = await newPage(browser);
    const page = teller.page;
    await counterSignIn(page, server.baseUrl, 'teller01', 'Teller2026!');
    await page.keyboard.press('/');
    await page.keyboard.type('13800000002');
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-page').waitFor();
    const balanceBefore = (await page.getByTestId('customer-account-balance').first().textContent()) ?? '';

    // 柜面重置: the temporary password in large type, once; Esc finishes and it is gone from the page.
    await page.keyboard.press('Alt+5');
    await page.getByTestId('op-form-passwordReset').waitFor();
    await submitAndConfirm(page);
    const temporary = ((await page.getByTestId('op-secret-value').textContent()) ?? '').trim();
    assert.match(temporary, /^\d{6,8}$/);
    await page.keyboard.press('Escape');
    await page.getByTestId('op-panel').waitFor({ state: 'detached' });
    assert.ok(!((await page.locator('body').textContent()) ?? '').includes(temporary));

    // Esc on the confirmation goes back to the form with the amount kept; Esc on the form closes it.
    await page.keyboard.press('Alt+3');
    await page.getByTestId('op-amount').fill('70000');
    await page.keyboard.press('Enter');
    await page.getByTestId('op-confirm').waitFor();
    await page.keyboard.press('Escape');
    assert.equal(await page.getByTestId('op-amount').inputValue(), '70000');
    await submitAndConfirm(page);
    const approvalId = ((await page.getByTestId('op-approval-id').textContent()) ?? '').trim();
    await page.keyboard.press('Enter');

    // A teller sees the request but has nothing to approve it with.
    await page.keyboard.press('Alt+KeyA');
    await page.locator(`[data-approval-id="${approvalId}"] [data-testid="approval-open"]`).click();
    // The review's actions render together: once its back button and the notice show, an approve
    // button would be there too.
    await page.getByTestId('approval-back').waitFor();
    await page.getByText('只有本网点主管可以审批').waitFor();
    assert.equal(await page.getByTestId('approval-approve').count(), 0);
    // The server refuses the teller's approve too, whatever the screen shows (the role check itself is in
    // server/src/counter/approvals.test.ts).
    const refused = await page.evaluate(async (id) => {
      const session = (await (await fetch('/api/v1/counter/session')).json()) as { csrfToken: string };
      const answer = await fetch(`/api/v1/counter/approvals/${id}/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: '{}',
      });
      return { status: answer.status, code: ((await answer.json()) as { code: string }).code };
    }, approvalId);
    // This teller is also the request's maker, which the server names first.
    assert.deepEqual(refused, { status: 403, code: 'counter.self_approval' });
    await teller.context.close();

    // The supervisor's own request waits for another supervisor; the teller's one is rejected with a reason.
    const supervisor = await newPage(browser);
    const sup = supervisor.page;
    await counterSignIn(sup, server.baseUrl, 'super01', 'Super2026!');
    await sup.getByTestId('customer-search').fill('13800000002');
    await sup.keyboard.press('Enter');
    await sup.getByTestId('customer-page').waitFor();
    await sup.keyboard.press('Alt+3');
    await sup.getByTestId('op-amount').fill('50000.01');
    await submitAndConfirm(sup);
    const ownId = ((await sup.getByTestId('op-approval-id').textContent()) ?? '').trim();
    await sup.keyboard.press('Enter');
    await sup.keyboard.press('Alt+KeyA');
    await sup.locator(`[data-approval-id="${ownId}"] [data-testid="approval-open"]`).click();
    await sup.getByTestId('approval-back').waitFor();
    await sup.getByText('本人提交，须由其他主管审批').waitFor();
    assert.equal(await sup.getByTestId('approval-approve').count(), 0);
    await sup.keyboard.press('Escape');
    await sup.locator(`[data-approval-id="${approvalId}"] [data-testid="approval-open"]`).click();
    await sup.getByTestId('approval-reject').click();
    await sup.getByTestId('approval-reject-reason').fill('客户改为转账');
    await sup.keyboard.press('Enter');
    await sup.getByTestId('approval-decided').waitFor();
    await sup.keyboard.press('Enter');
    await sup.locator(`[data-approval-id="${approvalId}"]`).waitFor({ state: 'detached' });
    await sup.getByTestId('customer-search').fill('13800000002');
    await sup.keyboard.press('Enter');
    await sup.getByTestId('customer-account-balance').first().filter({ hasText: balanceBefore.trim() }).waitFor();
    await supervisor.context.close();
  });

  test('warns a minute before the 5-minute staff timeout, keeps the teller on request, and signs out at zero', async () => {
    const { context, page } = await newPage(browser);
    await page.clock.install();
    // Every answer to the inbox badge counts as activity when it arrives. Under load an answer could
    // arrive late in the fast-forwarded clock and push the warning past it, so the clock moves on only
    // while no badge request is on its way.
    let asked = 0;
    let answered = 0;
    const isBadge = (request: { url(): string }) => request.url().includes('/api/v1/counter/approvals');
    page.on('request', (request) => {
      if (isBadge(request)) asked++;
    });
    const noteAnswer = (request: { url(): string }) => {
      if (isBadge(request)) answered++;
    };
    page.on('requestfinished', noteAnswer);
    page.on('requestfailed', noteAnswer);
    const badgeQuiet = async (atLeast = 0) => {
      while (asked < atLeast || answered < asked) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await counterSignIn(page, server.baseUrl, 'teller01', 'Teller2026!');
    await badgeQuiet();
    // The badge refreshes 30 s after the last key; the warning is then due 4 minutes after its answer.
    const beforePoll = asked;
    await page.clock.runFor('00:31');
    await badgeQuiet(beforePoll + 1);
    await page.clock.runFor('04:10');
    await page.getByTestId('counter-idle-warning').waitFor();
    await page.getByTestId('counter-idle-stay').click();
    await page.getByTestId('counter-idle-warning').waitFor({ state: 'hidden' });
    await page.reload();
    await page.getByTestId('customer-search').waitFor();
    await badgeQuiet();
    // The badge's one poll (30 s after the reload) counts as activity too: let it be answered first.
    const beforeReloadPoll = asked;
    await page.clock.runFor('00:31');
    await badgeQuiet(beforeReloadPoll + 1);
    await page.clock.runFor('05:10');
    await page.getByTestId('counter-idle-ended').waitFor();
    await page.getByTestId('counter-username').waitFor();
    await context.close();
  });

  test('the console keeps the teller signed in across a reload, and signs out by the button', async () => {
    const { context, page } = await newPage(browser);
    await counterSignIn(page, server.baseUrl, 'teller01', 'Teller2026!');
    // A real fault (5xx) shows the teller its reference number, never the customer hotline. The fault is
    // staged before the reload, so every approvals request after it fails: staged later, a badge load
    // still on its way (the one after the reload, or the one after the sign-in) could be shared by the
    // inbox and show the real list instead.
    await page.route('**/api/v1/counter/approvals**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Internal Server Error',
          status: 500,
          detail: '系统繁忙，请稍后再试。',
          code: 'internal',
          instance: 'ref-e2e-0001',
        }),
      }),
    );
    await page.reload();
    await page.getByTestId('customer-search').waitFor();
    await page.keyboard.press('Alt+KeyA');
    const fault = page.getByTestId('approvals-error');
    await fault.waitFor();
    assert.match((await fault.textContent()) ?? '', /ref-e2e-0001/);
    assert.doesNotMatch((await fault.textContent()) ?? '', /热线|400-000-9555|hotline/i);
    await page.unroute('**/api/v1/counter/approvals**');
    await page.keyboard.press('Escape');
    await page.getByTestId('counter-signout').click();
    await page.getByTestId('counter-username').waitFor();
    await context.close();
  });
});
