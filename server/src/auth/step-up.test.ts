import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  eTokenAnswer,
  issueEToken,
  issuePasswordCard,
  MEDIUM_MAX_WRONG,
  parseCardCell,
  passwordCardDigits,
  totpCode,
} from '../media/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { otpauthSecret } from '../testing/totp.ts';
import { setLoginPassword } from './credentials.ts';

const PASSWORD = 'Qiang2026x';

/**
 * The security check a sign-in from a new device asks goes through the one authorization service:
 * SMS first for a customer who has it, the password card and the e-password device as alternatives,
 * every answer bound to its attempt, wrong answers counted against the medium.
 */
for (const dialect of DIALECTS) {
  describe(`sign-in step-up with every medium [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    let ipCounter = 1;
    /** A browser never seen before (no device cookie), from its own address: it is asked to step up. */
    const browser = () => new TestClient(t.app, { ip: `10.${dialect === 'sqlite' ? 31 : 32}.${ipCounter++}.9` });

    async function holder() {
      const customer = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟' });
      return withTransaction(t.db.handle.kysely, async (trx) => {
        await setLoginPassword(trx, deps(), customer.id, PASSWORD, { temporary: false });
        const card = await issuePasswordCard(trx, deps(), customer.id);
        const token = await issueEToken(trx, deps(), customer.id);
        return { customer, card, token };
      });
    }

    async function startLogin(client: TestClient, customer: TestCustomer) {
      const body = json(
        await client.post('/api/v1/auth/login', { identifier: customer.mobile, password: PASSWORD, channel: 'web' }),
      );
      assert.equal(body.state, 'challenge', JSON.stringify(body));
      return body;
    }

    const switchTo = async (client: TestClient, attemptId: string, method: string) =>
      json(await client.post(`/api/v1/auth/login/${attemptId}/challenge`, { method }));
    const verify = (client: TestClient, attemptId: string, method: string, response: string) =>
      client.post(`/api/v1/auth/login/${attemptId}/verify`, { method, response });
    const cardAnswer = async (serial: string, cells: string[]) => {
      const digits = await passwordCardDigits(
        t.db.handle.kysely,
        deps(),
        serial,
        cells.map((cell) => parseCardCell(cell) ?? assert.fail(`a card cell: ${cell}`)),
      );
      return digits ?? assert.fail('the card exists');
    };
    const tokenAnswer = async (serial: string, challenge: string) =>
      (await eTokenAnswer(t.db.handle.kysely, deps(), serial, challenge)) ?? assert.fail('the device exists');
    const mediumOf = (id: string) =>
      t.db.handle.kysely
        .selectFrom('security_medium')
        .select(['status', 'uses_left', 'wrong_in_row'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();

    test('asks SMS first and offers the password card and the e-password device instead', async () => {
      const { customer } = await holder();
      const first = await startLogin(browser(), customer);
      assert.equal(first.challenge.method, 'sms');
      assert.match(first.challenge.maskedMobile, /^\d{3}\*{4}\d{4}$/);
      assert.deepEqual(first.alternatives, ['password_card', 'e_token']);
    });

    test('signs in with a soft token the customer bound in the security centre', async () => {
      const { customer } = await holder();
      const known = await signedInClient(t, customer, PASSWORD);
      const asked = json(await known.post('/api/v1/security/totp', {}));
      const code = await latestCode(t.db.handle.kysely, customer.mobile);
      const authorization = { method: 'sms', challengeId: asked.challengeId, response: code };
      const { enrollmentId, otpauthUrl } = json(await known.post('/api/v1/security/totp', { authorization }));
      const secret = otpauthSecret(otpauthUrl);
      await known.post(`/api/v1/security/totp/${enrollmentId}/verify`, { code: totpCode(secret, t.clock.nowMs()) });
      t.clock.advance(30_000);
      const client = browser();
      const first = await startLogin(client, customer);
      assert.ok(first.alternatives.includes('totp'), JSON.stringify(first.alternatives));
      const switched = await switchTo(client, first.attemptId, 'totp');
      assert.deepEqual(switched.challenge, { method: 'totp' });
      const signedIn = await verify(client, first.attemptId, 'totp', totpCode(secret, t.clock.nowMs()));
      assert.equal(json(signedIn).state, 'authenticated');
    });

    test('signs in with the password card; a wrong answer draws new cells and counts', async () => {
      const { customer, card } = await holder();
      const client = browser();
      const first = await startLogin(client, customer);
      const asked = await switchTo(client, first.attemptId, 'password_card');
      assert.equal(asked.state, 'challenge');
      assert.equal(asked.attemptId, first.attemptId);
      assert.equal(asked.challenge.method, 'password_card');
      assert.equal(asked.challenge.serial, card.serial);
      assert.equal(asked.challenge.cells.length, 2);
      assert.deepEqual(asked.alternatives, ['sms', 'e_token']);
      const right = await cardAnswer(card.serial, asked.challenge.cells);
      const wrong = await verify(client, first.attemptId, 'password_card', right === '000000' ? '111111' : '000000');
      assert.equal(wrong.statusCode, 422);
      assert.equal(json(wrong).code, 'media.wrong_answer');
      assert.equal(json(wrong).triesLeft, 4);
      const next = json(wrong).authorization;
      assert.equal(next.method, 'password_card');
      assert.equal(next.challenge.cells.length, 2);
      assert.equal((await mediumOf(card.mediumId)).wrong_in_row, 1);
      const done = json(
        await verify(client, first.attemptId, 'password_card', await cardAnswer(card.serial, next.challenge.cells)),
      );
      assert.equal(done.state, 'authenticated', JSON.stringify(done));
      assert.equal(json(await client.get('/api/v1/session')).authenticated, true);
      const medium = await mediumOf(card.mediumId);
      assert.equal(medium.wrong_in_row, 0, 'a right answer starts the count again');
      assert.equal(medium.uses_left, 999, 'the sign-in used the card once');
    });

    test('signs in with the e-password device, its answer accepted once', async () => {
      const { customer, token } = await holder();
      const client = browser();
      const first = await startLogin(client, customer);
      const asked = await switchTo(client, first.attemptId, 'e_token');
      assert.equal(asked.challenge.method, 'e_token');
      assert.equal(asked.challenge.serial, token.serial);
      assert.match(asked.challenge.challenge, /^\d{8}$/);
      assert.deepEqual(asked.alternatives, ['sms', 'password_card']);
      const code = await tokenAnswer(token.serial, asked.challenge.challenge);
      const sms = await verify(client, first.attemptId, 'sms', code);
      assert.equal(json(sms).code, 'media.method_unavailable', 'the attempt awaits the device, not an SMS code');
      const done = json(await verify(client, first.attemptId, 'e_token', code));
      assert.equal(done.state, 'authenticated', JSON.stringify(done));
      const replay = await verify(client, first.attemptId, 'e_token', code);
      assert.equal(json(replay).code, 'auth.attempt_expired', 'an attempt is used once');
    });

    test("refuses one attempt's answer for another attempt", async () => {
      const { customer, token } = await holder();
      const a = browser();
      const b = browser();
      const attemptA = (await startLogin(a, customer)).attemptId;
      const attemptB = (await startLogin(b, customer)).attemptId;
      const askedA = await switchTo(a, attemptA, 'e_token');
      await switchTo(b, attemptB, 'e_token');
      const codeA = await tokenAnswer(token.serial, askedA.challenge.challenge);
      const crossed = await verify(b, attemptB, 'e_token', codeA);
      assert.equal(crossed.statusCode, 422);
      assert.equal(json(crossed).code, 'media.wrong_answer');
      assert.equal(json(await b.get('/api/v1/session')).authenticated, false);
      assert.equal(json(await verify(a, attemptA, 'e_token', codeA)).state, 'authenticated');
      // SMS codes too: each attempt's code is bound to it.
      t.clock.advance(61_000);
      const c = browser();
      const d = browser();
      const attemptC = (await startLogin(c, customer)).attemptId;
      const codeC = await latestCode(t.db.handle.kysely, customer.mobile);
      const attemptD = (await startLogin(d, customer)).attemptId;
      const codeD = await latestCode(t.db.handle.kysely, customer.mobile);
      assert.notEqual(codeC, codeD);
      assert.equal(json(await verify(d, attemptD, 'sms', codeC)).code, 'media.wrong_answer');
      assert.equal(json(await verify(c, attemptC, 'sms', codeD)).code, 'media.wrong_answer');
      assert.equal(json(await verify(d, attemptD, 'sms', codeD)).state, 'authenticated');
    });

    test('counts wrong answers: the fifth in a row locks the card, and the next sign-in does not offer it', async () => {
      const { customer, card } = await holder();
      const client = browser();
      const first = await startLogin(client, customer);
      const answerWrongly = async (cells: string[]) => {
        const right = await cardAnswer(card.serial, cells);
        return json(await verify(client, first.attemptId, 'password_card', right === '000000' ? '999999' : '000000'));
      };
      let last = await answerWrongly((await switchTo(client, first.attemptId, 'password_card')).challenge.cells);
      for (let wrong = 1; wrong < MEDIUM_MAX_WRONG; wrong++) {
        assert.equal(last.code, 'media.wrong_answer', JSON.stringify(last));
        assert.equal(last.triesLeft, MEDIUM_MAX_WRONG - wrong);
        last = await answerWrongly(last.authorization.challenge.cells);
      }
      assert.equal(last.code, 'media.locked');
      assert.equal((await mediumOf(card.mediumId)).status, 'locked');
      const failures = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('subject_id', '=', customer.id)
        .where('kind', '=', 'auth.challenge_failed')
        .execute();
      assert.equal(failures.length, MEDIUM_MAX_WRONG);
      const locked = await t.db.handle.kysely
        .selectFrom('outbox')
        .select('id')
        .where('recipient', '=', customer.mobile)
        .where('purpose', '=', 'media.locked')
        .execute();
      assert.equal(locked.length, 1, 'the customer hears of the lock');
      t.clock.advance(61_000);
      const again = await startLogin(browser(), customer);
      assert.deepEqual(again.alternatives, ['e_token']);
      const refused = await browser().post(`/api/v1/auth/login/${again.attemptId}/challenge`, {
        method: 'password_card',
      });
      assert.equal(json(refused).code, 'media.method_unavailable');
    });

    test('resends the SMS code, and a code for the old challenge no longer signs in', async () => {
      const { customer } = await holder();
      const client = browser();
      const first = await startLogin(client, customer);
      const oldCode = await latestCode(t.db.handle.kysely, customer.mobile);
      const tooSoon = await client.post(`/api/v1/auth/login/${first.attemptId}/challenge`, {});
      assert.equal(json(tooSoon).code, 'media.sms_too_soon');
      t.clock.advance(61_000);
      const resent = json(await client.post(`/api/v1/auth/login/${first.attemptId}/sms`));
      assert.equal(resent.challenge.method, 'sms');
      const newCode = await latestCode(t.db.handle.kysely, customer.mobile);
      if (oldCode !== newCode) {
        assert.equal(json(await verify(client, first.attemptId, 'sms', oldCode)).code, 'media.wrong_answer');
      }
      assert.equal(json(await verify(client, first.attemptId, 'sms', newCode)).state, 'authenticated');
    });
  });
}
