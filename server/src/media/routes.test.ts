import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { customerIdBy } from '../customers/index.ts';
import { DEMO_CARD_SERIAL, DEMO_E_TOKEN_SERIAL, DEMO_U_SHIELD_SERIAL, seedDemoBank } from '../demo/seed.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, ensureTestBank, type TestCustomer } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { eTokenAnswer, issueEToken, issuePasswordCard, passwordCardDigits } from './register.ts';
import type { MediaList } from './schema.ts';
import { updateMediumState } from './store.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const KINDS = ['sms', 'password_card', 'e_token', 'u_shield'];
/** Media issued in the same millisecond (the demo seed's one transaction) have no order among them. */
const byKind = <T extends { kind: string }>(items: T[]) =>
  [...items].sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));

for (const dialect of DIALECTS) {
  describe(`security media list and the password-card dev route [${dialect}]`, () => {
    let t: TestApp;
    let zhang: TestCustomer;
    let li: TestCustomer;
    let zhangClient: TestClient;
    let liClient: TestClient;
    let card: { mediumId: string; serial: string };
    let token: { mediumId: string; serial: string };
    before(async () => {
      t = await createTestApp(dialect);
      const deps = { config: t.ctx.config, clock: t.clock };
      zhang = await createTestCustomer(t.db.handle.kysely, deps, { name: '张伟' });
      li = await createTestCustomer(t.db.handle.kysely, deps, { name: '李娜', sms: false });
      card = await withTransaction(t.db.handle.kysely, (trx) => issuePasswordCard(trx, deps, zhang.id));
      token = await withTransaction(t.db.handle.kysely, (trx) => issueEToken(trx, deps, zhang.id));
      zhangClient = await signedInClient(t, zhang);
      liClient = await signedInClient(t, li);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    const media = async (client: TestClient) => {
      const response = await client.get('/api/v1/security/media');
      assert.equal(response.statusCode, 200, response.body);
      return json<MediaList>(response);
    };

    test('lists the tier and every medium the customer holds, with the card’s uses left', async () => {
      const list = await media(zhangClient);
      assert.equal(list.tier, 'e_token');
      assert.deepEqual(
        byKind(list.items).map(({ kind, status, serial, usesLeft }) => ({ kind, status, serial, usesLeft })),
        [
          { kind: 'sms', status: 'active', serial: undefined, usesLeft: undefined },
          { kind: 'password_card', status: 'active', serial: card.serial, usesLeft: 1000 },
          { kind: 'e_token', status: 'active', serial: token.serial, usesLeft: undefined },
        ],
      );
      assert.deepEqual(
        byKind(list.items)
          .map((item) => item.id)
          .slice(1),
        [card.mediumId, token.mediumId],
      );
      for (const item of list.items) {
        assert.match(item.createdAt, ISO);
        assert.deepEqual(
          Object.keys(item).filter((key) => !['id', 'kind', 'status', 'serial', 'usesLeft', 'createdAt'].includes(key)),
          [],
        );
      }
    });

    test('shows a locked medium as locked, and the tier falls to the strongest active one', async () => {
      const other = await createTestCustomer(t.db.handle.kysely, deps(), { name: '王强' });
      const device = await withTransaction(t.db.handle.kysely, (trx) => issueEToken(trx, deps(), other.id));
      await withTransaction(t.db.handle.kysely, (trx) =>
        updateMediumState(trx, device.mediumId, {
          status: 'locked',
          usesLeft: null,
          wrongInRow: 5,
          nowMs: t.clock.nowMs(),
        }),
      );
      const list = await media(await signedInClient(t, other));
      assert.equal(list.tier, 'sms');
      assert.deepEqual(
        byKind(list.items).map(({ kind, status }) => ({ kind, status })),
        [
          { kind: 'sms', status: 'active' },
          { kind: 'e_token', status: 'locked' },
        ],
      );
    });

    test('never shows another customer’s media', async () => {
      const list = await media(liClient);
      assert.deepEqual(list, { tier: 'static', items: [] });
      const anonymous = await t.app.inject({ url: '/api/v1/security/media' });
      assert.equal(anonymous.statusCode, 401);
      assert.match(String(anonymous.headers['content-type']), /^application\/problem\+json/);
    });

    test('the dev route gives the digits the printed card shows', async () => {
      const response = await t.app.inject({ url: `/api/v1/dev/password-card/${card.serial}/cells?cells=B7,E3` });
      assert.equal(response.statusCode, 200, response.body);
      const expected = await passwordCardDigits(t.db.handle.kysely, deps(), card.serial, ['B7', 'E3']);
      assert.match(expected ?? '', /^\d{6}$/);
      assert.deepEqual(json(response), { digits: expected });
      const corners = json(await t.app.inject({ url: `/api/v1/dev/password-card/${card.serial}/cells?cells=A1,H10` }));
      assert.equal(corners.digits, await passwordCardDigits(t.db.handle.kysely, deps(), card.serial, ['A1', 'H10']));
    });

    test('the dev route refuses bad cells with request.invalid', async () => {
      const twelve = Array.from({ length: 11 }, () => 'A1').join(',');
      for (const cells of ['B7,I3', 'b7', 'A0', 'A11', 'B7,,E3', 'B7;E3', ' B7', twelve, '']) {
        const response = await t.app.inject({
          url: `/api/v1/dev/password-card/${card.serial}/cells?cells=${encodeURIComponent(cells)}`,
        });
        assert.equal(response.statusCode, 400, cells);
        assert.equal(json(response).code, 'request.invalid', cells);
      }
      const missing = await t.app.inject({ url: `/api/v1/dev/password-card/${card.serial}/cells` });
      assert.equal(json(missing).code, 'request.invalid');
    });

    test('the dev route answers 404 media.not_found for an unknown serial or a device that is no card', async () => {
      for (const serial of ['PC0000000000', token.serial]) {
        const response = await t.app.inject({ url: `/api/v1/dev/password-card/${serial}/cells?cells=B7,E3` });
        assert.equal(response.statusCode, 404, serial);
        assert.equal(json(response).code, 'media.not_found');
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      }
    });

    test('the e-token dev route gives the answer the device shows for the challenge', async () => {
      const response = await t.app.inject({ url: `/api/v1/dev/e-token/${token.serial}/answer?challenge=12345678` });
      assert.equal(response.statusCode, 200, response.body);
      const expected = await eTokenAnswer(t.db.handle.kysely, deps(), token.serial, '12345678');
      assert.match(expected ?? '', /^\d{6}$/);
      assert.deepEqual(json(response), { answer: expected });
    });

    test('the e-token dev route refuses a challenge that is not 8 digits with request.invalid', async () => {
      for (const challenge of ['1234567', '123456789', '1234567a', ' 12345678', '']) {
        const response = await t.app.inject({
          url: `/api/v1/dev/e-token/${token.serial}/answer?challenge=${encodeURIComponent(challenge)}`,
        });
        assert.equal(response.statusCode, 400, challenge);
        assert.equal(json(response).code, 'request.invalid', challenge);
      }
      const missing = await t.app.inject({ url: `/api/v1/dev/e-token/${token.serial}/answer` });
      assert.equal(missing.statusCode, 400);
      assert.equal(json(missing).code, 'request.invalid');
      const lower = await t.app.inject({ url: `/api/v1/dev/e-token/et20260001/answer?challenge=12345678` });
      assert.equal(json(lower).code, 'request.invalid');
    });

    test('the e-token dev route answers 404 media.not_found for an unknown serial or a device that is no e-token', async () => {
      for (const serial of ['ET0000000000', card.serial]) {
        const response = await t.app.inject({ url: `/api/v1/dev/e-token/${serial}/answer?challenge=12345678` });
        assert.equal(response.statusCode, 404, serial);
        assert.equal(json(response).code, 'media.not_found');
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      }
    });
  });

  describe(`the demo bank's media [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { config: { demo: true } });
      // As main.ts does: the bank's own ledger accounts at the demo branch (0001) exist before the seed.
      await ensureTestBank(t.db.handle.kysely, t.clock);
      await seedDemoBank(t.ctx);
    });
    after(() => t.close());
    const demoCustomer = async (mobile: string, name: string): Promise<TestCustomer> => {
      const id = await customerIdBy(t.db.handle.kysely, 'mobile', mobile);
      assert.ok(id, mobile);
      return { id, name, mobile, accounts: [] };
    };

    test('张伟 holds SMS, password card PC20260001, e-password device ET20260001 and an issued U-shield; 李娜 none', async () => {
      const zhang = json<MediaList>(
        await (await signedInClient(t, await demoCustomer('13800000001', '张伟'), 'Jinku2026')).get(
          '/api/v1/security/media',
        ),
      );
      assert.equal(zhang.tier, 'e_token');
      assert.deepEqual(
        byKind(zhang.items).map(({ kind, status, serial }) => ({ kind, status, serial })),
        [
          { kind: 'sms', status: 'active', serial: undefined },
          { kind: 'password_card', status: 'active', serial: DEMO_CARD_SERIAL },
          { kind: 'e_token', status: 'active', serial: DEMO_E_TOKEN_SERIAL },
          { kind: 'u_shield', status: 'issued', serial: DEMO_U_SHIELD_SERIAL },
        ],
      );
      const li = json<MediaList>(
        await (await signedInClient(t, await demoCustomer('13800000002', '李娜'), 'Jinku2026')).get(
          '/api/v1/security/media',
        ),
      );
      assert.deepEqual(li, { tier: 'static', items: [] });
      const digits = await t.app.inject({ url: `/api/v1/dev/password-card/${DEMO_CARD_SERIAL}/cells?cells=B7,E3` });
      assert.match(json(digits).digits, /^\d{6}$/);
      const answer = await t.app.inject({
        url: `/api/v1/dev/e-token/${DEMO_E_TOKEN_SERIAL}/answer?challenge=12345678`,
      });
      assert.match(json(answer).answer, /^\d{6}$/);
    });
  });

  describe(`production has no password-card or e-token dev route [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, {
        config: { env: 'production', demo: false, publicDocs: false, metricsToken: null },
      });
    });
    after(() => t.close());

    test('answers 404 request.not_found, and the media list still needs a session', async () => {
      const response = await t.app.inject({ url: '/api/v1/dev/password-card/PC20260001/cells?cells=B7,E3' });
      assert.equal(response.statusCode, 404);
      assert.equal(json(response).code, 'request.not_found');
      assert.ok(!t.app.jinkuRoutes.some((route) => route.url.startsWith('/api/v1/dev/password-card')));
      const answer = await t.app.inject({ url: '/api/v1/dev/e-token/ET20260001/answer?challenge=12345678' });
      assert.equal(answer.statusCode, 404);
      assert.equal(json(answer).code, 'request.not_found');
      assert.ok(!t.app.jinkuRoutes.some((route) => route.url.startsWith('/api/v1/dev/e-token')));
      assert.equal((await t.app.inject({ url: '/api/v1/security/media' })).statusCode, 401);
    });
  });
}
