import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  accountsOf,
  createCustomer,
  customerIdBy,
  makeResidentId,
  openAccount,
} from '../server/src/customers/index.ts';
import type { Database } from '../server/src/database.ts';
import { DEMO_BRANCH } from '../server/src/demo/seed.ts';
import { bankAccountId, postEntry, vaultCode } from '../server/src/ledger/index.ts';
import { systemClock } from '../server/src/platform/clock.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { openDatabase } from '../server/src/platform/db/database.ts';
import { withTransaction } from '../server/src/platform/db/transaction.ts';
import { codesSent, type E2eServer, latestSmsCode, launchBrowser, newPage, startServer } from './harness.ts';

const LI_NA = { identifier: 'lina', mobile: '13800000002', idNumber: makeResidentId('110105', '19900722', '042') };
/** A card holder of the bank with no e-banking yet, made beside the demo bank for this test. */
const ZHAO_MIN = {
  name: '赵敏',
  mobile: '13800000009',
  idNumber: makeResidentId('110105', '19920315', '051'),
  pin: '135790',
  password: 'ZhaoMin2026',
};

/** Opens the server's own database (the same file and secret) for what the test must prepare or look up. */
function database(server: E2eServer) {
  const config = loadConfig({ ...process.env, DATABASE_URL: server.databaseUrl, JINKU_ENV: 'test' });
  const db = openDatabase<Database>(config.databaseUrl, { poolSize: 1 });
  return { db, deps: { config, clock: systemClock() } };
}

/** The card number of the customer with this mobile (the full number, as the card shows it). */
async function cardNumberOf(server: E2eServer, mobile: string): Promise<string> {
  const { db } = database(server);
  try {
    const customerId = await customerIdBy(db.kysely, 'mobile', mobile);
    assert.ok(customerId, `a customer with mobile ${mobile}`);
    const [account] = await accountsOf(db.kysely, customerId);
    assert.ok(account?.card_number);
    return account.card_number;
  } finally {
    await db.close();
  }
}

/** 钱伟, who will register on his phone and bind his card there. */
const QIAN_WEI = {
  name: '钱伟',
  mobile: '13900000010',
  idNumber: makeResidentId('110105', '19880808', '071'),
  pin: '246810',
  password: 'QianWei2026',
};

type Person = { name: string; mobile: string; idNumber: string; pin: string };

/** A customer as the counter leaves one: a debit card with ¥1,000.00 and its PIN, no e-banking. */
async function cardHolderWithoutEbanking(server: E2eServer, person: Person): Promise<string> {
  const { db, deps } = database(server);
  try {
    return await withTransaction(db.kysely, async (trx) => {
      const customerId = await createCustomer(trx, deps, {
        name: person.name,
        idNumber: person.idNumber,
        mobile: person.mobile,
        branchCode: DEMO_BRANCH,
      });
      const account = await openAccount(trx, deps, {
        customerId,
        kind: 'debit_card',
        branchCode: DEMO_BRANCH,
        withCard: true,
        pin: person.pin,
      });
      await postEntry(trx, {
        kind: 'cash_deposit',
        reference: `e2e:${account.id}`,
        memo: '开户存入现金',
        postedAtMs: deps.clock.nowMs(),
        postings: [
          { accountId: await bankAccountId(trx, vaultCode(DEMO_BRANCH)), amountFen: -100_000 },
          { accountId: account.id, amountFen: 100_000, counterparty: `网点 ${DEMO_BRANCH}` },
        ],
      });
      assert.ok(account.card_number);
      return account.card_number;
    });
  } finally {
    await db.close();
  }
}

let lastCaptchaId: string | null = null;

/** Answers the captcha the page shows (prefix `login` or `reset`), from the dev route. */
async function answerCaptcha(page: Page, baseUrl: string, prefix: 'login' | 'reset') {
  const image = page.getByTestId(`${prefix}-captcha-image`);
  let captchaId: string | null = null;
  for (let i = 0; i < 100 && (!captchaId || captchaId === lastCaptchaId); i++) {
    captchaId = await image.getAttribute('data-captcha-id');
    if (!captchaId || captchaId === lastCaptchaId) await page.waitForTimeout(50);
  }
  lastCaptchaId = captchaId;
  const { answer } = (await (await fetch(`${baseUrl}/api/v1/dev/captcha/${captchaId}`)).json()) as { answer: string };
  await page.getByTestId(`${prefix}-captcha-answer`).fill(answer);
}

/** Signs in through the login page, answering the SMS code if this browser is asked for one. */
async function signIn(page: Page, baseUrl: string, identifier: string, mobile: string, password: string) {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('login-identifier').fill(identifier);
  await page.getByTestId('login-password').fill(password);
  await answerCaptcha(page, baseUrl, 'login');
  const sent = await codesSent(baseUrl, mobile);
  await page.getByTestId('login-submit').click();
  const code = page.getByTestId('challenge-code');
  const accounts = page.getByTestId('account-row').first();
  await code.or(accounts).waitFor();
  if (await code.isVisible()) {
    await code.fill(await latestSmsCode(baseUrl, mobile, sent));
    await page.getByTestId('challenge-submit').click();
  }
  await accounts.waitFor();
}

describe('the ways into e-banking, through the web pages', () => {
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

  test('李娜 locks herself out, resets her password online, and signs in with the new one', async () => {
    const card = await cardNumberOf(server, LI_NA.mobile);
    const { context, page } = await newPage(browser);
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('login-identifier').fill(LI_NA.identifier);
    for (let i = 1; i <= 5; i++) {
      await page.getByTestId('login-password').fill(`Wrong${i}x9`);
      await answerCaptcha(page, server.baseUrl, 'login');
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
        page.getByTestId('login-submit').click(),
      ]);
    }
    assert.match((await page.getByTestId('login-error').textContent()) ?? '', /锁定/);

    // The lock message leads to the working wizard, not to a dead end.
    await page.getByTestId('login-locked-reset').click();
    await page.getByTestId('reset-page').waitFor();
    await page.getByTestId('reset-identifier').fill(LI_NA.identifier);
    await page.getByTestId('reset-card-number').fill(card);
    assert.equal(await page.getByTestId('reset-card-number').inputValue(), card.replace(/(\d{4})(?=\d)/g, '$1 '));
    await page.getByTestId('reset-card-pin').fill('123456');
    assert.equal(await page.getByTestId('reset-card-pin').getAttribute('autocomplete'), 'off');
    await page.getByTestId('reset-id-number').fill(LI_NA.idNumber);
    await answerCaptcha(page, server.baseUrl, 'reset');
    const sent = await codesSent(server.baseUrl, LI_NA.mobile);
    await page.getByTestId('reset-next').click();

    // 李娜 holds no medium beyond her phone: the check is an SMS code.
    await page.getByTestId('reset-challenge-code').fill(await latestSmsCode(server.baseUrl, LI_NA.mobile, sent));
    await page.getByTestId('reset-check-submit').click();
    await page.getByTestId('reset-password').fill('LiNa2027new');
    assert.equal(
      await page.getByTestId('password-rules').locator('[data-state="unmet"]').count(),
      0,
      'the live rules are met',
    );
    await page.getByTestId('reset-password-confirm').fill('LiNa2027new');
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-done').waitFor();
    assert.match((await page.getByTestId('reset-done').textContent()) ?? '', /解除/);
    await page.getByTestId('reset-sign-in').click();
    await signIn(page, server.baseUrl, LI_NA.identifier, LI_NA.mobile, 'LiNa2027new');
    assert.match((await page.locator('main').textContent()) ?? '', /20,000\.00/);
    await context.close();
  });

  test('赵敏 registers online with her card, pays ¥300, and is refused ¥0.01 more', async () => {
    const card = await cardHolderWithoutEbanking(server, ZHAO_MIN);
    const payee = await cardNumberOf(server, LI_NA.mobile);
    const { context, page } = await newPage(browser);
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('login-register').click();

    // Step 1: the agreement in full, with its version, agreed to.
    await page.getByTestId('agreement').waitFor();
    assert.match((await page.getByTestId('agreement').textContent()) ?? '', /服务协议[\s\S]*300/);
    await page.getByTestId('register-agree-next').click();
    assert.match((await page.getByRole('alert').first().textContent()) ?? '', /同意/);
    await page.getByTestId('register-agree').check();
    await page.getByTestId('register-agree-next').click();

    // Step 2: a mistyped digit is caught by the Luhn check before anything is sent.
    const typo = card.slice(0, -1) + String((Number(card.at(-1)) + 1) % 10);
    await page.getByTestId('register-card-number').fill(typo);
    await page.getByTestId('register-card-number-luhn').waitFor();
    await page.getByTestId('register-card-number').fill(card);
    assert.equal(await page.getByTestId('register-card-number-luhn').count(), 0);
    await page.getByTestId('register-card-pin').fill(ZHAO_MIN.pin);
    await page.getByTestId('register-name').fill(ZHAO_MIN.name);
    await page.getByTestId('register-id-number').fill(ZHAO_MIN.idNumber);
    await page.getByTestId('register-mobile').fill(ZHAO_MIN.mobile);
    const sent = await codesSent(server.baseUrl, ZHAO_MIN.mobile);
    await page.getByTestId('register-details-next').click();

    // Step 3: the code, with the countdown before another may be asked, and the password.
    await page.getByTestId('register-sms-sent').waitFor();
    assert.match((await page.getByTestId('register-sms-countdown').textContent()) ?? '', /\d+ 秒/);
    await page.getByTestId('register-sms-code').fill(await latestSmsCode(server.baseUrl, ZHAO_MIN.mobile, sent));
    await page.getByTestId('register-password').fill(ZHAO_MIN.password);
    await page.getByTestId('register-password-confirm').fill(ZHAO_MIN.password);
    const agreed = page.waitForRequest((r) => r.url().endsWith('/api/v1/registration/self'));
    await page.getByTestId('register-submit').click();
    await page.getByTestId('register-done').waitFor();
    const body = (await agreed).postDataJSON() as Record<string, string>;
    assert.ok(body.agreementVersion, 'the agreed version is sent');
    assert.equal(body.cardNumber, card);
    assert.match((await page.getByTestId('register-tier').textContent()) ?? '', /300/);

    await page.getByTestId('register-sign-in').click();
    await signIn(page, server.baseUrl, ZHAO_MIN.mobile, ZHAO_MIN.mobile, ZHAO_MIN.password);

    const pay = async (amount: string) => {
      await page.goto(`${server.baseUrl}/transfer`);
      await page.getByTestId('payee-name').fill('李娜');
      await page.getByTestId('payee-account').fill(payee);
      await page.getByTestId('transfer-amount').fill(amount);
      await page.getByTestId('transfer-next').click();
      await page.getByTestId('confirm-transfer').click();
    };
    // The limit is in sight before it bites: ¥300 in total, all of it left, and how to raise it.
    await page.goto(`${server.baseUrl}/transfer`);
    const limitText = (await page.getByTestId('transfer-limits-static').textContent()) ?? '';
    assert.match(limitText, /累计限额 ¥\s?300\.00[\s\S]*还可付款 ¥\s?300\.00[\s\S]*口令卡或 U 盾/);
    const sentForPayment = await codesSent(server.baseUrl, ZHAO_MIN.mobile);
    await pay('300.00');
    await page.getByTestId('auth-code').fill(await latestSmsCode(server.baseUrl, ZHAO_MIN.mobile, sentForPayment));
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('transfer-status').waitFor();
    assert.equal(await page.getByTestId('transfer-status').getAttribute('data-status'), 'completed');

    await pay('0.01');
    await page.getByTestId('transfer-error').waitFor();
    assert.match((await page.getByTestId('transfer-error').textContent()) ?? '', /累计限额/);
    // A refusal that sending again cannot fix offers no "submit again": the way on is to change it.
    assert.equal(await page.getByTestId('confirm-transfer').count(), 0);
    // Sized to what happened: a refusal is its sentence, without a reference number or the hotline.
    assert.equal(await page.getByTestId('transfer-error').locator('.problem__reference, .problem__next').count(), 0);
    assert.equal(await page.getByTestId('transfer-edit').count(), 1);
    const accounts = (await page.evaluate(async () => (await fetch('/api/v1/accounts')).json())) as {
      items: Array<{ balance: { amount: string } }>;
    };
    assert.equal(accounts.items[0]?.balance.amount, '700.00');
    await context.close();
  });
  test('钱伟 registers in the phone app with his mobile and binds his card to see his account', async () => {
    const card = await cardHolderWithoutEbanking(server, QIAN_WEI);
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto(`${server.baseUrl}/m/login`);
    await page.getByTestId('m-login-register').click();
    await page.getByTestId('m-register-mobile').fill(QIAN_WEI.mobile);
    const sent = await codesSent(server.baseUrl, QIAN_WEI.mobile);
    await page.getByTestId('m-register-send').click();
    await page.getByTestId('m-register-sent').waitFor();
    assert.equal(await page.getByTestId('m-register-send').isDisabled(), true, 'no second code before the countdown');
    await page.getByTestId('m-register-code').fill(await latestSmsCode(server.baseUrl, QIAN_WEI.mobile, sent));
    await page.getByTestId('m-register-agree').check();
    await page.getByTestId('m-register-next').click();
    await page.getByTestId('m-register-password').fill(QIAN_WEI.password);
    await page.getByTestId('m-register-password-confirm').fill(QIAN_WEI.password);
    await page.getByTestId('m-register-submit').click();

    // Signed in, with no account to see until a card is bound.
    await page.getByTestId('m-bind-registered').waitFor();
    await page.getByTestId('m-bind-card-number').fill(card);
    await page.getByTestId('m-bind-card-pin').fill(QIAN_WEI.pin);
    await page.getByTestId('m-bind-id-number').fill(QIAN_WEI.idNumber);
    await page.getByTestId('m-bind-submit').click();
    await page.locator('.m-list__item', { hasText: card.slice(-4) }).waitFor();
    assert.equal(await page.getByTestId('m-bind-card-link').count(), 0);
    assert.equal(
      await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'),
      true,
      'no page wider than the phone',
    );
    await context.close();
  });

  test('every link on the login page leads to a real page: the wizards, the agreement, the privacy policy', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('login-forgot').waitFor();
    const hrefs = await page
      .locator('.login-card a[href], footer a[href]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    assert.ok(hrefs.length >= 5, `links found: ${hrefs.join(' ')}`);
    for (const href of hrefs) {
      await page.goto(new URL(href, server.baseUrl).href);
      await page.locator('main h1').first().waitFor();
      const text = (await page.locator('main').textContent()) ?? '';
      assert.doesNotMatch(text, /页面不存在|即将开放|正在建设/, `${href} is a real page`);
    }
    await page.goto(`${server.baseUrl}/privacy`);
    assert.match((await page.getByTestId('privacy-version').textContent()) ?? '', /2026\.1/);
    await page.getByTestId('lang-switch').click();
    assert.match((await page.locator('main h1').textContent()) ?? '', /Privacy Policy/);
    await page.goto(`${server.baseUrl}/terms`);
    await page.getByTestId('agreement-version').waitFor();
    assert.match((await page.getByTestId('agreement').textContent()) ?? '', /Service Agreement/i);
    await context.close();
  });
  test('张伟 resets with his password card, not SMS: a wrong answer draws new cells', async () => {
    const card = await cardNumberOf(server, '13800000001');
    const { context, page } = await newPage(browser);
    await page.goto(`${server.baseUrl}/forgot-password`);
    await page.getByTestId('reset-identifier').fill('zhangwei');
    await page.getByTestId('reset-card-number').fill(card);
    await page.getByTestId('reset-card-pin').fill('123456');
    await page.getByTestId('reset-id-number').fill(makeResidentId('110105', '19850315', '031'));
    await answerCaptcha(page, server.baseUrl, 'reset');
    await page.getByTestId('reset-next').click();
    // A customer the bank protects with more than the phone answers with that medium.
    const cells = page.getByTestId('reset-challenge-cells');
    await cells.or(page.getByTestId('reset-use-password_card')).first().waitFor();
    if (!(await cells.isVisible())) await page.getByTestId('reset-use-password_card').click();
    assert.equal(await page.getByTestId('reset-use-sms').count(), 0, 'SMS is not offered');
    const cellsShown = async () => ((await cells.textContent()) ?? '').match(/[A-H](?:10|[1-9])/g) ?? [];
    const digitsOf = async (shown: string[]) => {
      const answer = await fetch(
        `${server.baseUrl}/api/v1/dev/password-card/PC20260001/cells?cells=${shown.join(',')}`,
      );
      return ((await answer.json()) as { digits: string }).digits;
    };
    const first = await cellsShown();
    const right = await digitsOf(first);
    await page.getByTestId('reset-challenge-code').fill(right.replace(/^\d/, (d) => String((Number(d) + 1) % 10)));
    await page.getByTestId('reset-check-submit').click();
    await page.getByTestId('reset-check-error').waitFor();
    let next = await cellsShown();
    for (let i = 0; i < 100 && next.join() === first.join(); i++) {
      await page.waitForTimeout(50);
      next = await cellsShown();
    }
    assert.notDeepEqual(next, first, 'new cells after a wrong answer');
    await page.getByTestId('reset-challenge-code').fill(await digitsOf(next));
    await page.getByTestId('reset-check-submit').click();
    await page.getByTestId('reset-password').fill('ZhangWei2027');
    await page.getByTestId('reset-password-confirm').fill('ZhangWei2027');
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-done').waitFor();
    await context.close();
  });
});
