import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setLoginPassword } from '../auth/index.ts';
import { luhnCheckDigit, makeResidentId } from '../customers/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer, testMobile } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { AGREEMENT } from './agreement.ts';
import { ANSWER_FLOOR_MS } from './sms.ts';

const PASSWORD = 'Lanhua2026k';
const PIN = '135790';

for (const dialect of DIALECTS) {
  describe(`online registration [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    const db = () => t.db.handle.kysely;
    let ipCounter = 1;
    const browser = () => new TestClient(t.app, { ip: `10.7${dialect === 'sqlite' ? 1 : 2}.${ipCounter++}.9` });

    /** A bank customer with a card and its PIN, and no online banking; their ID number as registered. */
    async function bankCustomer(): Promise<TestCustomer & { idNumber: string; card: string }> {
      const customer = await createTestCustomer(db(), deps(), { name: '周兰', sms: false, pin: PIN });
      const masked = await db()
        .selectFrom('customer')
        .select(['birth_date', 'id_number_masked'])
        .where('id', '=', customer.id)
        .executeTakeFirstOrThrow();
      // bank.ts draws the ID number; find it again from its birth date and the last four of its mask.
      const birth = masked.birth_date.replaceAll('-', '');
      let idNumber = '';
      for (let seq = 0; seq < 1000 && !idNumber; seq++) {
        const candidate = makeResidentId('310104', birth, String(seq).padStart(3, '0'));
        if (candidate.slice(-4) === masked.id_number_masked.slice(-4)) idNumber = candidate;
      }
      assert.ok(idNumber);
      return { ...customer, idNumber, card: customer.accounts[0]!.card_number! };
    }

    /** Asks a code for the mobile (a minute after the last) and reads it off the phone. */
    async function smsCode(client: TestClient, mobile: string, purpose: 'self' | 'mobile' = 'self') {
      t.clock.advance(61_000);
      const sent = await client.post('/api/v1/registration/sms', { mobile, purpose });
      assert.equal(sent.statusCode, 200, sent.body);
      return latestCode(db(), mobile);
    }

    test('the agreement is served in full in both languages with its version', async () => {
      const agreement = json(await browser().get('/api/v1/registration/agreement'));
      assert.equal(agreement.version, AGREEMENT.version);
      assert.match(agreement.titleZh, /服务协议/);
      assert.ok(agreement.bodyZh.length > 500 && agreement.bodyEn.length > 500);
    });

    test('the SMS route answers a known and an unknown mobile alike, and texts only the known one', async () => {
      const known = await bankCustomer();
      const stranger = testMobile();
      const tookMs: number[] = [];
      const ask = async (mobile: string) => {
        const startedMs = performance.now();
        const response = await browser().post('/api/v1/registration/sms', { mobile, purpose: 'self' });
        tookMs.push(performance.now() - startedMs);
        return response;
      };
      const [a, b] = [await ask(known.mobile), await ask(stranger)];
      // Both wait out the same floor, so the work a known mobile costs does not show in the time.
      for (const ms of tookMs) assert.ok(ms >= ANSWER_FLOOR_MS - 5, `${ms} ms`);
      assert.equal(a.statusCode, 200);
      assert.equal(b.statusCode, a.statusCode);
      const shape = (body: { maskedMobile: string; resendAfterSeconds: number }) => ({
        ...body,
        maskedMobile: body.maskedMobile.replace(/\d{4}$/, ''),
      });
      assert.deepEqual(shape(json(a)), shape(json(b)));
      assert.deepEqual(Object.keys(a.headers).sort(), Object.keys(b.headers).sort());
      const texts = (mobile: string) =>
        db().selectFrom('outbox').select('code').where('recipient', '=', mobile).execute();
      assert.equal((await texts(known.mobile)).length, 1);
      assert.equal((await texts(stranger)).length, 0, 'a mobile the bank does not hold gets nothing');
      // Asked again at once: the same refusal for both.
      const [c, d] = [await ask(known.mobile), await ask(stranger)];
      assert.equal(c.statusCode, 429);
      assert.equal(json(c).code, 'registration.sms_too_soon');
      assert.equal(json(d).code, json(c).code);
      assert.equal(json(d).detail, json(c).detail);
    });

    test('self-registration makes a static-password customer who signs in with the card number', async () => {
      const customer = await bankCustomer();
      const client = browser();
      const code = await smsCode(client, customer.mobile);
      const registered = await client.post('/api/v1/registration/self', {
        cardNumber: customer.card.replace(/(\d{4})/g, '$1 ').trim(),
        cardPin: PIN,
        name: '周兰',
        idNumber: customer.idNumber,
        mobile: customer.mobile,
        smsCode: code,
        password: PASSWORD,
        agreementVersion: AGREEMENT.version,
      });
      assert.equal(registered.statusCode, 201, registered.body);
      assert.equal(json(registered).customer.id, customer.id);
      const accepted = await db()
        .selectFrom('agreement_acceptance')
        .selectAll()
        .where('customer_id', '=', customer.id)
        .execute();
      assert.deepEqual(
        accepted.map((row) => [row.version, row.way]),
        [[AGREEMENT.version, 'self']],
      );
      const kinds = await db().selectFrom('audit_log').select('kind').where('subject_id', '=', customer.id).execute();
      assert.ok(kinds.some((k) => k.kind === 'registration.self'));
      const auditText = JSON.stringify(await db().selectFrom('audit_log').selectAll().execute());
      assert.ok(!auditText.includes(customer.card) && !auditText.includes(customer.idNumber));

      const login = browser();
      let signed = json(
        await login.post('/api/v1/auth/login', { identifier: customer.card, password: PASSWORD, channel: 'web' }),
      );
      if (signed.state === 'challenge') {
        signed = json(
          await login.post(`/api/v1/auth/login/${signed.attemptId}/verify`, {
            method: 'sms',
            response: await latestCode(db(), customer.mobile),
          }),
        );
      }
      assert.equal(signed.state, 'authenticated');
      assert.equal(json(await login.get('/api/v1/security/media')).tier, 'static');
      assert.equal(json(await login.get('/api/v1/accounts')).items.length, 1);

      // ¥300 in total, as a customer with no medium: ¥300.00 goes (an SMS code signs it), ¥0.01 more does not.
      const payee = await createTestCustomer(db(), deps(), { name: '收款人' });
      t.clock.advance(61_000);
      const pay = (amount: string) =>
        login.post('/api/v1/transfers', {
          fromAccountId: customer.accounts[0]!.id,
          payee: { name: '收款人', accountNumber: payee.accounts[0]!.account_number },
          amount: { amount, currency: 'CNY' },
        });
      const first = json(await pay('300.00'));
      assert.equal(first.status, 'authorization_required', JSON.stringify(first));
      assert.equal(first.authorization.method, 'sms');
      const signedPayment = await login.post(`/api/v1/transfers/${first.id}/authorize`, {
        method: 'sms',
        response: await latestCode(db(), customer.mobile),
      });
      assert.equal(json(signedPayment).status, 'completed', signedPayment.body);
      assert.equal(json(await pay('0.01')).code, 'payment.limit_exceeded');
    });

    test('every mismatch answers the one registration.details_mismatch, never which field', async () => {
      const customer = await bankCustomer();
      const other = await bankCustomer();
      const registered = await bankCustomer();
      await withTransaction(db(), (trx) =>
        setLoginPassword(trx, deps(), registered.id, PASSWORD, { temporary: false }),
      );
      const client = browser();
      const base = async (who: typeof customer) => ({
        cardNumber: who.card,
        cardPin: PIN,
        name: '周兰',
        idNumber: who.idNumber,
        mobile: who.mobile,
        smsCode: await smsCode(client, who.mobile),
        password: PASSWORD,
        agreementVersion: AGREEMENT.version,
      });
      const first18 = `${customer.card.slice(0, 10)}${(Number(customer.card[10]) + 1) % 10}${customer.card.slice(11, 18)}`;
      const unknownCard = `${first18}${luhnCheckDigit(first18)}`;
      // Each attempt asks its own code when it is made (a code is used up once the phone is proved).
      const attempts: Array<[string, () => Promise<Record<string, string>>]> = [
        ['unknown card', async () => ({ ...(await base(customer)), cardNumber: unknownCard })],
        ['wrong PIN', async () => ({ ...(await base(customer)), cardPin: '000000' })],
        ['wrong name', async () => ({ ...(await base(customer)), name: '周岚' })],
        ['wrong ID number', async () => ({ ...(await base(customer)), idNumber: other.idNumber })],
        ['wrong SMS code', async () => ({ ...(await base(customer)), smsCode: '000000' })],
        [
          'another customer’s mobile and code',
          async () => ({ ...(await base(other)), cardNumber: customer.card, idNumber: customer.idNumber }),
        ],
        ['online banking already', () => base(registered)],
      ];
      const answers = [];
      for (const [why, body] of attempts) {
        const response = await client.post('/api/v1/registration/self', await body());
        assert.equal(response.statusCode, 422, `${why}: ${response.body}`);
        const { instance: _instance, ...problem } = json(response);
        answers.push(problem);
      }
      for (const answer of answers) assert.deepEqual(answer, answers[0]);
      assert.equal(answers[0].code, 'registration.details_mismatch');
      // The details right at last (the wrong SMS code above left that code unused): registered.
      const right = await client.post('/api/v1/registration/self', await base(customer));
      assert.equal(right.statusCode, 201, right.body);
    });

    test('three wrong card PINs block the PIN for the day: then even the right one is refused alike', async () => {
      const customer = await bankCustomer();
      const client = browser();
      const attempt = async (cardPin: string) =>
        client.post('/api/v1/registration/self', {
          cardNumber: customer.card,
          cardPin,
          name: '周兰',
          idNumber: customer.idNumber,
          mobile: customer.mobile,
          smsCode: await smsCode(client, customer.mobile),
          password: PASSWORD,
          agreementVersion: AGREEMENT.version,
        });
      for (const pin of ['111111', '222222', '333333']) {
        assert.equal(json(await attempt(pin)).code, 'registration.details_mismatch');
      }
      const blocked = await db()
        .selectFrom('account')
        .select('pin_blocked_until_ms')
        .where('id', '=', customer.accounts[0]!.id)
        .executeTakeFirstOrThrow();
      assert.ok(Number(blocked.pin_blocked_until_ms) > t.clock.nowMs());
      const right = await attempt(PIN);
      assert.equal(right.statusCode, 422);
      assert.equal(json(right).code, 'registration.details_mismatch');
      assert.equal(
        (
          await db()
            .selectFrom('login_credential')
            .select('customer_id')
            .where('customer_id', '=', customer.id)
            .execute()
        ).length,
        0,
      );
    });

    test('a refused password or an old agreement costs no code and says so', async () => {
      const customer = await bankCustomer();
      const client = browser();
      const body = {
        cardNumber: customer.card,
        cardPin: PIN,
        name: '周兰',
        idNumber: customer.idNumber,
        mobile: customer.mobile,
        smsCode: '123456',
        password: `a${customer.mobile}`,
        agreementVersion: AGREEMENT.version,
      };
      assert.equal(json(await client.post('/api/v1/registration/self', body)).code, 'auth.password_policy');
      const old = await client.post('/api/v1/registration/self', { ...body, agreementVersion: '2000-01' });
      assert.equal(json(old).code, 'registration.agreement_outdated');
    });

    test('mobile registration opens a session that sees no accounts and moves no money until a card is bound', async () => {
      const customer = await bankCustomer();
      const phone = browser();
      const stranger = testMobile();
      const strangerTry = await phone.post('/api/v1/registration/mobile', {
        mobile: stranger,
        smsCode: '123456',
        password: PASSWORD,
        agreementVersion: AGREEMENT.version,
      });
      assert.equal(json(strangerTry).code, 'registration.details_mismatch');
      const registered = await phone.post('/api/v1/registration/mobile', {
        mobile: customer.mobile,
        smsCode: await smsCode(phone, customer.mobile, 'mobile'),
        password: PASSWORD,
        agreementVersion: AGREEMENT.version,
      });
      assert.equal(registered.statusCode, 201, registered.body);
      const session = json(await phone.get('/api/v1/session'));
      assert.equal(session.authenticated, true);
      assert.equal(session.session.channel, 'mobile');
      assert.deepEqual(json(await phone.get('/api/v1/accounts')).items, []);
      assert.equal(json(await phone.get('/api/v1/registration/card-binding')).cardBound, false);
      const detail = await phone.get(`/api/v1/accounts/${customer.accounts[0]!.id}`);
      assert.equal(detail.statusCode, 403);
      assert.equal(json(detail).code, 'registration.card_not_bound');
      assert.equal(json(await phone.get('/api/v1/limits')).code, 'registration.card_not_bound');

      const other = await bankCustomer();
      const wrongCard = await phone.post('/api/v1/accounts/bind', {
        cardNumber: other.card,
        cardPin: PIN,
        idNumber: customer.idNumber,
      });
      assert.equal(json(wrongCard).code, 'registration.details_mismatch');
      const wrongPin = await phone.post('/api/v1/accounts/bind', {
        cardNumber: customer.card,
        cardPin: '999999',
        idNumber: customer.idNumber,
      });
      assert.equal(json(wrongPin).code, 'registration.details_mismatch');
      assert.deepEqual(json(await phone.get('/api/v1/accounts')).items, []);
      const bound = await phone.post('/api/v1/accounts/bind', {
        cardNumber: customer.card,
        cardPin: PIN,
        idNumber: customer.idNumber,
      });
      assert.equal(bound.statusCode, 200, bound.body);
      assert.equal(json(bound).cardBound, true);
      assert.equal(json(await phone.get('/api/v1/accounts')).items.length, 1);
      assert.equal((await phone.get(`/api/v1/accounts/${customer.accounts[0]!.id}`)).statusCode, 200);
      assert.equal((await phone.get('/api/v1/limits')).statusCode, 200);
      const kinds = await db().selectFrom('audit_log').select('kind').where('subject_id', '=', customer.id).execute();
      assert.ok(kinds.some((k) => k.kind === 'registration.mobile'));

      // A customer with online banking already is refused the same way.
      const again = await browser().post('/api/v1/registration/mobile', {
        mobile: customer.mobile,
        smsCode: await smsCode(browser(), customer.mobile, 'mobile'),
        password: PASSWORD,
        agreementVersion: AGREEMENT.version,
      });
      assert.equal(json(again).code, 'registration.details_mismatch');
    });
  });
}
