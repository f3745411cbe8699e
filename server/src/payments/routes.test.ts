import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { luhnCheckDigit } from '../customers/index.ts';
import { checkLedgerInvariants } from '../ledger/index.ts';
import { eTokenAnswer, issueEToken, issuePasswordCard, passwordCardDigits } from '../media/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { pdfText } from '../testing/pdf-text.ts';
import { signedInClient } from '../testing/session.ts';

for (const dialect of DIALECTS) {
  describe(`accounts and transfers over HTTP [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    const money = (amount: string) => ({ amount, currency: 'CNY' });

    test('lists only the customer’s own accounts, masked; full numbers only for one’s own account', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), {
        name: '张伟',
        balancesFen: [5_000_000, 1_000_000],
      });
      const other = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const client = await signedInClient(t, zhang);
      const accounts = json(await client.get('/api/v1/accounts'));
      assert.equal(accounts.items.length, 2);
      assert.deepEqual(accounts.items.map((a: { balance: { amount: string } }) => a.balance.amount).sort(), [
        '10000.00',
        '50000.00',
      ]);
      assert.match(accounts.items[0].number, /^\d{4} \*{4} \*{4} \d{4}$/);
      const mine = json(await client.get(`/api/v1/accounts/${zhang.accounts[0]!.id}`));
      assert.equal(mine.cardNumber, zhang.accounts[0]!.card_number);
      const theirs = await client.get(`/api/v1/accounts/${other.accounts[0]!.id}`);
      assert.equal(theirs.statusCode, 404);
      assert.equal((await client.get(`/api/v1/accounts/${other.accounts[0]!.id}/transactions`)).statusCode, 404);
    });

    test('an Idempotency-Key makes a retried transfer answer the first result and move money once', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [100_000, 0] });
      const client = await signedInClient(t, zhang);
      const body = {
        fromAccountId: zhang.accounts[0]!.id,
        payee: { name: '张伟', accountNumber: zhang.accounts[1]!.account_number },
        amount: money('100.00'),
      };
      const first = await client.post('/api/v1/transfers', body, { 'idempotency-key': 'retry-1' });
      assert.equal(first.statusCode, 201);
      assert.equal(json(first).status, 'completed');
      const again = await client.post('/api/v1/transfers', body, { 'idempotency-key': 'retry-1' });
      assert.equal(again.statusCode, 201);
      assert.equal(json(again).id, json(first).id);
      assert.equal(again.headers['idempotency-replayed'], 'true');
      const different = await client.post(
        '/api/v1/transfers',
        { ...body, amount: money('1.00') },
        { 'idempotency-key': 'retry-1' },
      );
      assert.equal(different.statusCode, 409);
      assert.equal(json(different).code, 'request.idempotency_conflict');
      const accounts = json(await client.get('/api/v1/accounts'));
      const balances = accounts.items.map((a: { balance: { amount: string } }) => a.balance.amount).sort();
      assert.deepEqual(balances, ['100.00', '900.00']);
    });

    test('concurrent requests with one Idempotency-Key run the transfer once', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [100_000, 0] });
      const client = await signedInClient(t, zhang);
      const body = {
        fromAccountId: zhang.accounts[0]!.id,
        payee: { name: '张伟', accountNumber: zhang.accounts[1]!.account_number },
        amount: money('10.00'),
      };
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => client.post('/api/v1/transfers', body, { 'idempotency-key': 'burst-1' })),
      );
      const ids = new Set(answers.filter((a) => a.statusCode === 201).map((a) => json(a).id));
      assert.equal(ids.size, 1, 'every answer that ran names the same transfer');
      for (const answer of answers) {
        assert.ok(answer.statusCode === 201 || json(answer).code === 'request.idempotency_in_flight', answer.body);
      }
      const rows = await t.db.handle.kysely
        .selectFrom('transfer')
        .select('id')
        .where('customer_id', '=', zhang.id)
        .execute();
      assert.equal(rows.length, 1);
    });

    test('pays another customer with the SMS code; both see it; the receipt and statement say so', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [5_000_000] });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜', balancesFen: [0] });
      const client = await signedInClient(t, zhang);
      const created = await client.post(
        '/api/v1/transfers',
        {
          fromAccountId: zhang.accounts[0]!.id,
          payee: { name: '李娜', accountNumber: li.accounts[0]!.card_number },
          amount: money('123.45'),
          memo: '午餐',
        },
        { 'idempotency-key': 'lunch' },
      );
      assert.equal(created.statusCode, 201);
      const transfer = json(created);
      assert.equal(transfer.status, 'authorization_required');
      assert.equal(transfer.authorization.method, 'sms');
      const wrong = await client.post(`/api/v1/transfers/${transfer.id}/authorize`, {
        method: 'sms',
        response: '000000',
      });
      // API.md, "Authorization": a wrong answer is 422 media.wrong_answer with the tries left.
      assert.equal(wrong.statusCode, 422);
      assert.equal(json(wrong).code, 'media.wrong_answer');
      assert.equal(json(wrong).triesLeft, 4);
      const done = json(
        await client.post(`/api/v1/transfers/${transfer.id}/authorize`, {
          method: 'sms',
          response: await latestCode(t.db.handle.kysely, zhang.mobile),
        }),
      );
      assert.equal(done.status, 'completed');
      const history = json(await client.get(`/api/v1/accounts/${zhang.accounts[0]!.id}/transactions`));
      assert.equal(history.items[0].amount.amount, '-123.45');
      assert.equal(history.items[0].balanceAfter.amount, '49876.55');
      assert.match(history.items[0].counterparty, /^李\*/);
      const liClient = await signedInClient(t, li);
      const liHistory = json(await liClient.get(`/api/v1/accounts/${li.accounts[0]!.id}/transactions`));
      assert.equal(liHistory.items[0].amount.amount, '123.45');
      assert.match(liHistory.items[0].counterparty, /^张\*/);
      const receipt = await client.get(`/api/v1/transfers/${transfer.id}/receipt`);
      assert.equal(receipt.headers['content-type'], 'application/pdf');
      const text = (await pdfText(receipt.rawPayload)).replace(/\s+/g, '');
      for (const expected of ['张伟', '李娜', '¥123.45', '壹佰贰拾叁元肆角伍分'])
        assert.ok(text.includes(expected), expected);
      assert.equal(
        (await liClient.get(`/api/v1/transfers/${transfer.id}/receipt`)).statusCode,
        404,
        'not someone else’s receipt',
      );
      const csv = await client.get(`/api/v1/accounts/${zhang.accounts[0]!.id}/statement?format=csv`);
      assert.match(csv.headers['content-type'] as string, /^text\/csv/);
      assert.ok(csv.body.includes('-123.45'));
      const payees = json(await client.get('/api/v1/payees'));
      assert.equal(payees.items[0].name, '李娜');
      const again = json(
        await client.post('/api/v1/transfers', {
          fromAccountId: zhang.accounts[0]!.id,
          payeeId: payees.items[0].id,
          amount: money('1.00'),
        }),
      );
      assert.equal(again.status, 'authorization_required', 'transfer again to a saved payee');
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('an unknown account and a wrong name answer alike; five failed payee checks pause them, audited', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [100_000] });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const client = await signedInClient(t, zhang);
      const pay = (name: string, accountNumber: string) =>
        client.post('/api/v1/transfers', {
          fromAccountId: zhang.accounts[0]!.id,
          payee: { name, accountNumber },
          amount: money('1.00'),
        });
      // A well-formed card number of this bank that nobody holds.
      const card = li.accounts[0]!.card_number as string;
      const body = `${card.slice(0, 10)}${card[10] === '9' ? '0' : '9'}${card.slice(11, -1)}`;
      const unknown = await pay('李娜', `${body}${luhnCheckDigit(body)}`);
      const wrongName = await pay('李四', li.accounts[0]!.account_number);
      const strip = (body: Record<string, unknown>) => {
        const { instance: _i, requestId: _r, ...rest } = body;
        return rest;
      };
      assert.equal(unknown.statusCode, 422);
      assert.deepEqual(strip(json(unknown)), strip(json(wrongName)));
      assert.equal(json(unknown).code, 'payment.payee_name_mismatch');
      for (let i = 0; i < 3; i++) assert.equal((await pay('李四', li.accounts[0]!.account_number)).statusCode, 422);
      // Five failures in ten minutes: even the right name is not checked now.
      const paused = await pay('李娜', li.accounts[0]!.account_number);
      assert.equal(paused.statusCode, 429);
      assert.equal(json(paused).code, 'payment.payee_check_paused');
      const audited = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('subject_id', '=', zhang.id)
        .where('kind', '=', 'transfer.payee_check_failed')
        .execute();
      assert.equal(audited.length, 5);
      // Ten minutes later the customer may check again.
      t.clock.advance(10 * 60_000 + 1);
      const again = await signedInClient(t, zhang);
      const after = await again.post('/api/v1/transfers', {
        fromAccountId: zhang.accounts[0]!.id,
        payee: { name: '李娜', accountNumber: li.accounts[0]!.account_number },
        amount: money('1.00'),
      });
      assert.equal(json(after).status, 'authorization_required');
    });

    test('amounts are strings with two decimals, never coerced; typed text refuses control and bidi characters', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [100_000, 0] });
      const client = await signedInClient(t, zhang);
      const transfer = (amount: unknown, extra: Record<string, unknown> = {}) =>
        client.post('/api/v1/transfers', {
          fromAccountId: zhang.accounts[0]!.id,
          payee: { name: '张伟', accountNumber: zhang.accounts[1]!.account_number },
          amount: { amount, currency: 'CNY' },
          ...extra,
        });
      for (const amount of [1, 1.5, 100.25, ['1.00'], '1.5', '1', '1.000', ' 1.00', '-1.00']) {
        const answer = await transfer(amount);
        assert.equal(answer.statusCode, 400, `amount ${JSON.stringify(amount)}`);
        assert.equal(json(answer).code, 'request.invalid');
      }
      for (const memo of ['a\u0000b', 'rent\u202Eevil', 'x\u2066y', 'bad\ud800']) {
        assert.equal((await transfer('1.00', { memo })).statusCode, 400, `memo ${JSON.stringify(memo)}`);
      }
      const ok = await transfer('1.00', { memo: '房租 12月' });
      assert.equal(ok.statusCode, 201);
      // Query strings are text: a number there is still read as one.
      assert.equal(
        (await client.get(`/api/v1/accounts/${zhang.accounts[0]!.id}/transactions?limit=5`)).statusCode,
        200,
      );
    });

    test('no new code is sent for a transfer whose authorization window has closed', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [100_000] });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const client = await signedInClient(t, zhang);
      const created = json(
        await client.post('/api/v1/transfers', {
          fromAccountId: zhang.accounts[0]!.id,
          payee: { name: '李娜', accountNumber: li.accounts[0]!.account_number },
          amount: money('12.00'),
        }),
      );
      assert.equal(created.status, 'authorization_required');
      const texts = async () =>
        (await t.db.handle.kysely.selectFrom('outbox').select('id').where('recipient', '=', zhang.mobile).execute())
          .length;
      const sentBefore = await texts();
      // Within the window, a minute after the first code, a resend sends a fresh one.
      t.clock.advance(61_000);
      assert.equal((await client.post(`/api/v1/transfers/${created.id}/challenge`, {})).statusCode, 200);
      assert.equal(await texts(), sentBefore + 1);
      t.clock.advance(4 * 60_000);
      const late = await client.post(`/api/v1/transfers/${created.id}/challenge`, {});
      assert.equal(late.statusCode, 409);
      assert.equal(json(late).code, 'payment.authorization_expired');
      assert.equal(await texts(), sentBefore + 1);
    });

    test('a payment above the SMS limit asks the password card; the device may be chosen instead; answers bind to one transfer', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [5_000_000] });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const card = await withTransaction(t.db.handle.kysely, (trx) => issuePasswordCard(trx, deps(), zhang.id));
      const token = await withTransaction(t.db.handle.kysely, (trx) => issueEToken(trx, deps(), zhang.id));
      const client = await signedInClient(t, zhang);
      const pay = async (amount: string) =>
        json(
          await client.post('/api/v1/transfers', {
            fromAccountId: zhang.accounts[0]!.id,
            payee: { name: '李娜', accountNumber: li.accounts[0]!.account_number },
            amount: money(amount),
          }),
        );
      const x = await pay('8000.00');
      assert.equal(x.authorization.method, 'password_card', 'SMS may not sign ¥8,000 (its tier pays ¥5,000)');
      assert.deepEqual(x.authorization.alternatives, ['e_token']);
      assert.equal(x.authorization.challenge.serial, card.serial);
      const digits = (await passwordCardDigits(
        t.db.handle.kysely,
        deps(),
        card.serial,
        x.authorization.challenge.cells,
      ))!;
      const y = await pay('9000.00');
      const onY = await client.post(`/api/v1/transfers/${y.id}/authorize`, {
        method: 'password_card',
        response: digits,
      });
      assert.equal(onY.statusCode, 422, 'cells read for X do not sign Y');
      const signed = await client.post(`/api/v1/transfers/${x.id}/authorize`, {
        method: 'password_card',
        response: digits,
      });
      assert.equal(json(signed).status, 'completed');
      const again = await client.post(`/api/v1/transfers/${x.id}/authorize`, {
        method: 'password_card',
        response: digits,
      });
      assert.equal(again.statusCode, 409);
      // Y: the customer switches to the e-password device; its challenge starts with the payee's last four digits.
      const switched = json(await client.post(`/api/v1/transfers/${y.id}/challenge`, { method: 'e_token' }));
      assert.equal(switched.authorization.method, 'e_token');
      const challenge: string = switched.authorization.challenge.challenge;
      assert.equal(challenge.slice(0, 4), li.accounts[0]!.account_number.slice(-4));
      const device = (await eTokenAnswer(t.db.handle.kysely, deps(), token.serial, challenge))!;
      const done = await client.post(`/api/v1/transfers/${y.id}/authorize`, { method: 'e_token', response: device });
      assert.equal(json(done).status, 'completed');
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });

    test('own limits can be lowered but not raised above the tier', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [5_000_000] });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const client = await signedInClient(t, zhang);
      const limits = json(await client.get('/api/v1/limits'));
      assert.equal(limits.tier, 'sms');
      const tooHigh = await client.put('/api/v1/limits', { perPayment: money('99999999.00'), daily: null });
      assert.equal(json(tooHigh).code, 'payment.limit_above_tier');
      const lowered = json(await client.put('/api/v1/limits', { perPayment: money('50.00'), daily: null }));
      assert.equal(lowered.perPayment.amount, '50.00');
      const refused = await client.post('/api/v1/transfers', {
        fromAccountId: zhang.accounts[0]!.id,
        payee: { name: '李娜', accountNumber: li.accounts[0]!.card_number },
        amount: money('50.01'),
      });
      assert.equal(json(refused).code, 'payment.limit_exceeded');
    });

    test('the limits name which medium signs which amount: the least-friction one whose tier allows it', async () => {
      const wang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '王强', balancesFen: [5_000_000] });
      const client = await signedInClient(t, wang);
      const signers = async () =>
        json(await client.get('/api/v1/limits')).signers.map((s: { method: string; upTo: { amount: string } }) => [
          s.method,
          s.upTo.amount,
        ]);
      assert.deepEqual(await signers(), [['sms', '5000.00']]);
      await withTransaction(t.db.handle.kysely, async (trx) => {
        await issuePasswordCard(trx, deps(), wang.id);
        await issueEToken(trx, deps(), wang.id);
      });
      assert.deepEqual(await signers(), [
        ['sms', '5000.00'],
        ['password_card', '10000.00'],
        ['e_token', '500000.00'],
      ]);
      // What the page predicts is what the server asks: ¥6,000 goes past SMS to the password card.
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const asked = await client.post('/api/v1/transfers', {
        fromAccountId: wang.accounts[0]!.id,
        payee: { name: '李娜', accountNumber: li.accounts[0]!.card_number },
        amount: money('6000.00'),
      });
      assert.equal(json(asked).authorization.method, 'password_card');
    });

    test('every customer route needs a session', async () => {
      for (const url of ['/api/v1/accounts', '/api/v1/payees', '/api/v1/limits', '/api/v1/security/logins']) {
        const response = await t.app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 401, url);
        assert.equal(json(response).code, 'auth.session_required');
      }
    });
  });
}
