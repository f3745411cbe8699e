import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { DIALECTS } from '../testing/database.ts';
import { SoftSecurityKey } from '../testing/webauthn.ts';
import { addOperator, corpClient, onboardEnterprise, signIn, type TestEnterprise } from './test-support.ts';

/** Operator sign-in, sessions and their CSRF binding, on both databases. */
for (const dialect of DIALECTS) {
  describe(`corporate sign-in [${dialect}]`, () => {
    let t: TestApp;
    let ent: TestEnterprise;
    before(async () => {
      t = await createTestApp(dialect);
      ent = await onboardEnterprise(t, { uscc: '914403001922038216', balanceFen: 100_000 });
    });
    after(() => t.close());

    test('the session names the operator; sign-out ends it on the server', async () => {
      const client = await signIn(t, ent.code, ent.admin);
      const session = json(await client.get('/api/v1/corporate/session'));
      assert.equal(session.authenticated, true);
      assert.equal(session.operator.role, 'admin');
      assert.equal(session.operator.enterprise.code, ent.code);
      const cookie = client.cookies.get('jinku_corp_sid');
      assert.ok(cookie);
      assert.equal((await client.post('/api/v1/corporate/logout')).statusCode, 204);
      const replay = corpClient(t);
      replay.cookies.set('jinku_corp_sid', cookie);
      assert.equal((await replay.get('/api/v1/corporate/operators')).statusCode, 401);
    });

    test('state-changing corporate requests need the token bound to the operator session', async () => {
      const client = await signIn(t, ent.code, ent.admin);
      const noToken = await client.post('/api/v1/corporate/payments', {}, { 'x-csrf-token': 'forged' });
      assert.equal(noToken.statusCode, 403);
      assert.equal(json(noToken).code, 'request.csrf');
      // The customer's token (bound to jinku_sid) is worth nothing here.
      const customerToken = json(await client.get('/api/v1/session')).csrfToken;
      const crossed = await client.post('/api/v1/corporate/logout', {}, { 'x-csrf-token': customerToken });
      assert.equal(crossed.statusCode, 403);
    });

    test('a wrong key is refused and a key assertion is accepted once', async () => {
      const client = corpClient(t);
      const first = json(
        await client.post('/api/v1/corporate/login', {
          enterpriseCode: ent.code,
          operatorCode: ent.admin.code,
          password: ent.admin.password,
        }),
      );
      assert.equal(first.state, 'challenge');
      const stranger = new SoftSecurityKey(t.ctx.config.publicOrigin, t.ctx.config.webauthnRpId);
      const wrong = await client.post(`/api/v1/corporate/login/${first.attemptId}/verify`, {
        method: 'u_shield',
        response: stranger.assert(first.challenge.options),
      });
      assert.equal(wrong.statusCode, 422);
      assert.equal(client.cookies.has('jinku_corp_sid'), false);
      const right = ent.admin.key.assert(first.challenge.options);
      const ok = await client.post(`/api/v1/corporate/login/${first.attemptId}/verify`, {
        method: 'u_shield',
        response: right,
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const again = await client.post(`/api/v1/corporate/login/${first.attemptId}/verify`, {
        method: 'u_shield',
        response: right,
      });
      assert.equal(again.statusCode, 409);
    });

    test('five wrong passwords lock the operator; a wrong enterprise or operator reads the same', async () => {
      const viewer = await addOperator(t, ent, { role: 'viewer' });
      const client = corpClient(t);
      const login = (password: string, operatorCode = viewer.code, enterpriseCode = ent.code) =>
        client.post('/api/v1/corporate/login', { enterpriseCode, operatorCode, password });
      const unknown = await login('whatever1', '999');
      assert.equal(unknown.statusCode, 401);
      assert.equal(json(unknown).code, 'corporate.invalid_credentials');
      for (let i = 0; i < 5; i++)
        assert.equal(json(await login(`Wrong${i}pass`)).code, 'corporate.invalid_credentials');
      const locked = await login(viewer.password);
      assert.equal(locked.statusCode, 423);
      assert.equal(json(locked).code, 'corporate.locked');
      const rows = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('kind', '=', 'corporate.locked')
        .execute();
      assert.equal(rows.length, 1);
      // The administrator unlocks it, signed with the key; the right password works again.
      const { signed } = await import('./test-support.ts');
      const unlocked = await signed(ent.admin, 'PUT', `/api/v1/corporate/operators/${viewer.id}`, { unlock: true });
      assert.equal(unlocked.statusCode, 200, unlocked.body);
      assert.equal(json(unlocked).operator.locked, false);
      const again = await login(viewer.password);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(json(again).state, 'challenge');
    });

    test('the first sign-in refuses a new password that breaks the policy', async () => {
      const response = await ent.admin.client.get('/api/v1/corporate/operators');
      assert.equal(response.statusCode, 200);
      const created = await import('./test-support.ts').then(({ signed, testIdNumber }) =>
        signed(ent.admin, 'POST', '/api/v1/corporate/operators', {
          name: '新操作员',
          idNumber: testIdNumber(),
          mobile: '13900000003',
          role: 'maker',
          accounts: [ent.accountId],
          singleLimit: { amount: '100.00', currency: 'CNY' },
          dailyLimit: { amount: '100.00', currency: 'CNY' },
        }),
      );
      assert.equal(created.statusCode, 201, created.body);
      const { operator, initialPassword } = json(created);
      assert.match(initialPassword, /^\d{8}$/);
      const client = corpClient(t);
      const first = json(
        await client.post('/api/v1/corporate/login', {
          enterpriseCode: ent.code,
          operatorCode: operator.code,
          password: initialPassword,
        }),
      );
      const weak = await client.post(`/api/v1/corporate/login/${first.attemptId}/password`, {
        newPassword: '12345678',
      });
      assert.equal(weak.statusCode, 422);
      assert.equal(json(weak).code, 'corporate.password_policy');
    });
  });
}
