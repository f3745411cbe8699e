import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Tx } from '../database.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { testConfig } from '../testing/app.ts';
import { createTestCustomer, type TestCustomer } from '../testing/bank.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import {
  type AuthMethod,
  type AuthorizationView,
  MEDIUM_MAX_WRONG,
  requestAuthorization,
  verifyAuthorization,
} from './authorization.ts';
import type { CardCell } from './password-card.ts';
import { eTokenAnswer, issueEToken, issuePasswordCard, passwordCardDigits } from './register.ts';
import { mediaOf, updateMediumState } from './store.ts';

const config = testConfig();

for (const dialect of DIALECTS) {
  describe(`one authorization service for every medium [${dialect}]`, () => {
    let db: TestDatabase;
    let clock: Clock;
    before(async () => {
      db = await openTestDatabase(dialect);
      clock = systemClock();
    });
    after(() => db.drop());
    const deps = () => ({ config, clock });
    const tx = <T>(fn: (trx: Tx) => Promise<T>) => withTransaction(db.handle.kysely, fn);

    async function holder() {
      const customer = await createTestCustomer(db.handle.kysely, deps(), { name: '张伟' });
      const card = await tx((trx) => issuePasswordCard(trx, deps(), customer.id));
      const token = await tx((trx) => issueEToken(trx, deps(), customer.id));
      return { customer, card, token };
    }
    const ask = (customer: TestCustomer, binding: string, accepted: AuthMethod[], method?: AuthMethod) =>
      tx((trx) =>
        requestAuthorization(trx, deps(), {
          customerId: customer.id,
          mobile: customer.mobile,
          purpose: 'transfer',
          binding,
          method,
          accepted,
          payeeAccountNumber: '6228880000001234',
          smsText: (code, minutes) => `code ${code} for ${minutes} minutes`,
        }),
      );
    const answer = (customer: TestCustomer, challengeId: string, binding: string, method: string, response: string) =>
      tx((trx) =>
        verifyAuthorization(trx, deps(), {
          customerId: customer.id,
          challengeId,
          purpose: 'transfer',
          binding,
          method,
          response,
        }),
      );
    const cardAnswer = async (serial: string, authorization: AuthorizationView) => {
      assert.equal(authorization.method, 'password_card');
      const cells = (authorization.challenge as { cells: CardCell[] }).cells;
      return (await passwordCardDigits(db.handle.kysely, deps(), serial, cells)) as string;
    };

    test('asks the least-friction medium the caller accepts, and offers the stronger ones', async () => {
      const { customer, card, token } = await holder();
      const asked = await ask(customer, 'x', ['password_card', 'e_token']);
      assert.equal(asked.authorization.method, 'password_card');
      assert.deepEqual(asked.authorization.alternatives, ['e_token']);
      assert.equal((asked.authorization.challenge as { serial: string }).serial, card.serial);
      const chosen = await ask(customer, 'x', ['password_card', 'e_token'], 'e_token');
      const challenge = (chosen.authorization.challenge as { challenge: string }).challenge;
      assert.match(challenge, /^1234\d{4}$/, 'the device shows the payee account’s last four digits');
      const device = await eTokenAnswer(db.handle.kysely, deps(), token.serial, challenge);
      assert.deepEqual(await answer(customer, chosen.challengeId, 'x', 'e_token', device as string), {
        ok: true,
        method: 'e_token',
      });
      await assert.rejects(ask(customer, 'x', ['password_card'], 'sms'), { code: 'media.method_unavailable' });
    });

    test('an answer is accepted once, only for its binding', async () => {
      const { customer, card } = await holder();
      const forX = await ask(customer, 'transfer:X', ['password_card']);
      const digits = await cardAnswer(card.serial, forX.authorization);
      const onY = await answer(customer, forX.challengeId, 'transfer:Y', 'password_card', digits);
      assert.equal(onY.ok || onY.error.code, 'media.challenge_invalid');
      assert.equal((await answer(customer, forX.challengeId, 'transfer:X', 'password_card', digits)).ok, true);
      const again = await answer(customer, forX.challengeId, 'transfer:X', 'password_card', digits);
      assert.equal(again.ok || again.error.code, 'media.challenge_invalid');
      const card0 = (await mediaOf(db.handle.kysely, customer.id)).find((m) => m.kind === 'password_card');
      assert.equal(card0?.uses_left, 999);
    });

    test('a wrong card answer draws new cells; five in a row lock the card, with an SMS and an audit row', async () => {
      const { customer, card } = await holder();
      let asked = await ask(customer, 'b', ['password_card']);
      let challengeId = asked.challengeId;
      let authorization = asked.authorization;
      for (let wrong = 1; wrong <= MEDIUM_MAX_WRONG; wrong++) {
        if (wrong === 4) {
          // A fresh challenge does not reset the medium's count of wrong answers in a row.
          asked = await ask(customer, 'b', ['password_card']);
          challengeId = asked.challengeId;
          authorization = asked.authorization;
        }
        const right = await cardAnswer(card.serial, authorization);
        const wrongDigits = right.replace(/^\d/, (d) => String((Number(d) + 1) % 10));
        const result = await answer(customer, challengeId, 'b', 'password_card', wrongDigits);
        assert.equal(result.ok, false);
        if (result.ok) return;
        if (wrong < MEDIUM_MAX_WRONG) {
          assert.equal(result.error.code, 'media.wrong_answer');
          assert.ok(result.authorization, 'new cells come with the refusal');
          authorization = result.authorization;
        } else {
          assert.equal(result.error.code, 'media.locked');
        }
      }
      const locked = (await mediaOf(db.handle.kysely, customer.id)).find((m) => m.kind === 'password_card');
      assert.equal(locked?.status, 'locked');
      const notice = await db.handle.kysely
        .selectFrom('outbox')
        .select('text')
        .where('recipient', '=', customer.mobile)
        .where('purpose', '=', 'media.locked')
        .execute();
      assert.equal(notice.length, 1);
      assert.match(notice[0]!.text, /口令卡/);
      const audit = await db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('subject_id', '=', locked!.id)
        .execute();
      assert.deepEqual(
        audit.map((a) => a.kind),
        ['media.locked'],
      );
      await assert.rejects(ask(customer, 'b', ['password_card']), { code: 'media.none_usable' });
    });

    test('a card is good for its uses: after the last one it is expired and asked no more', async () => {
      const { customer, card } = await holder();
      await tx((trx) =>
        updateMediumState(trx, card.mediumId, { status: 'active', usesLeft: 1, wrongInRow: 0, nowMs: clock.nowMs() }),
      );
      const last = await ask(customer, 'c', ['password_card', 'e_token']);
      assert.equal(
        (
          await answer(
            customer,
            last.challengeId,
            'c',
            'password_card',
            await cardAnswer(card.serial, last.authorization),
          )
        ).ok,
        true,
      );
      const expired = (await mediaOf(db.handle.kysely, customer.id)).find((m) => m.kind === 'password_card');
      assert.deepEqual([expired?.status, expired?.uses_left], ['expired', 0]);
      const next = await ask(customer, 'c', ['password_card', 'e_token']);
      assert.equal(next.authorization.method, 'e_token');
    });

    test('a challenge lapses after five minutes', async () => {
      const { customer, card } = await holder();
      const asked = await ask(customer, 'd', ['password_card']);
      const digits = await cardAnswer(card.serial, asked.authorization);
      clock.advance(5 * 60_000 + 1);
      const late = await answer(customer, asked.challengeId, 'd', 'password_card', digits);
      assert.equal(late.ok || late.error.code, 'media.challenge_invalid');
    });
  });
}
