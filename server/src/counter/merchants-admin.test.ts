import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { signParams } from '../merchants/signing.ts';
import { CHINA_OFFSET_MS } from '../platform/business-day.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { createTestStaff, staffClient, type TestStaff } from './test-support.ts';

/** Merchants in the counter's admin area (issue 17): list, register, suspend, resume, by admins only. */

const stamp = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

for (const dialect of DIALECTS) {
  describe(`counter admin: merchants [${dialect}]`, () => {
    let t: TestApp;
    let admin: TestClient;
    let adminStaff: TestStaff;
    let teller: TestClient;
    let settlementNumber: string;
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    before(async () => {
      t = await createTestApp(dialect);
      const owner = await createTestCustomer(
        t.db.handle.kysely,
        { config: t.ctx.config, clock: t.clock },
        { name: '茶铺' },
      );
      settlementNumber = owner.accounts[0]?.account_number ?? '';
      adminStaff = await createTestStaff(t, 'admin');
      admin = await staffClient(t, adminStaff);
      teller = await staffClient(t, await createTestStaff(t, 'teller'));
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    const auditKinds = async (appId: string) =>
      (
        await db()
          .selectFrom('audit_log')
          .select(['kind', 'actor_type', 'actor_id'])
          .where('subject_id', '=', appId)
          .orderBy('at_ms')
          .orderBy('seq')
          .execute()
      ).filter((row) => row.kind.startsWith('merchant.'));
    /** A signed page-pay request in the merchant's name, as its shop's page would post it. */
    const pagePay = (appId: string) => {
      const params = {
        app_id: appId,
        method: 'jinku.trade.page.pay',
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: stamp(t.clock.nowMs()),
        version: '1.0',
        notify_url: 'https://shop.example.com/notify',
        return_url: 'https://shop.example.com/return',
        biz_content: JSON.stringify({ out_trade_no: `T${t.clock.nowMs()}`, total_amount: '12.00', subject: '龙井' }),
      };
      return t.app.inject({
        method: 'POST',
        url: '/gateway/v1/pay',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...params, sign: signParams(params, pair.privateKey) }).toString(),
      });
    };

    test('an admin registers a merchant through the CLI’s service, lists it, suspends (the gateway refuses it) and resumes it', async () => {
      const created = await admin.post('/api/v1/counter/merchants', {
        name: '西湖茶铺',
        settlementAccountNumber: settlementNumber,
        publicKeyPem,
        signType: 'RSA2',
        notifyUrlPrefix: 'https://shop.example.com/',
      });
      assert.equal(created.statusCode, 201, created.body);
      const merchant = json(created);
      assert.match(merchant.appId, /^\d{16}$/);
      assert.equal(merchant.status, 'active');
      assert.equal(merchant.settlementAccountNumber, settlementNumber);
      assert.equal(merchant.notifyUrlPrefix, 'https://shop.example.com/');
      const listed = json(await admin.get('/api/v1/counter/merchants'));
      assert.ok(listed.items.some((m: { appId: string }) => m.appId === merchant.appId));

      const paid = await pagePay(merchant.appId);
      assert.equal(paid.statusCode, 303, paid.body);

      const suspended = await admin.post(`/api/v1/counter/merchants/${merchant.appId}/suspend`, {});
      assert.equal(suspended.statusCode, 200, suspended.body);
      assert.equal(json(suspended).status, 'suspended');
      const again = await admin.post(`/api/v1/counter/merchants/${merchant.appId}/suspend`, {});
      assert.equal(json(again).status, 'suspended');
      const refused = await pagePay(merchant.appId);
      assert.equal(refused.statusCode, 400);
      assert.match(String(refused.headers['content-type']), /^text\/html/);
      assert.ok(refused.body.includes('gateway.app_unknown'), 'the error page names the refusal');

      const resumed = await admin.post(`/api/v1/counter/merchants/${merchant.appId}/resume`, {});
      assert.equal(json(resumed).status, 'active');
      assert.equal((await pagePay(merchant.appId)).statusCode, 303);

      const rows = await auditKinds(merchant.appId);
      assert.deepEqual(
        rows.map((r) => r.kind),
        ['merchant.registered', 'merchant.suspended', 'merchant.resumed'],
        'one row per change (suspending twice writes one)',
      );
      for (const row of rows) {
        assert.equal(row.actor_type, 'staff');
        assert.equal(row.actor_id, adminStaff.id);
      }
    });

    test('refuses bad input with the merchants’ codes, an unknown merchant with 404, and anyone but an admin with 403', async () => {
      const base = { name: '茶铺', settlementAccountNumber: settlementNumber, publicKeyPem };
      const badKey = await admin.post('/api/v1/counter/merchants', { ...base, publicKeyPem: 'not a key' });
      assert.equal(json(badKey).code, 'merchant.public_key_invalid');
      const badAccount = await admin.post('/api/v1/counter/merchants', { ...base, settlementAccountNumber: '1' });
      assert.equal(json(badAccount).code, 'merchant.settlement_account_invalid');
      const badPrefix = await admin.post('/api/v1/counter/merchants', { ...base, notifyUrlPrefix: 'ftp://x' });
      assert.equal(json(badPrefix).code, 'merchant.notify_url_prefix_invalid');
      assert.equal((await admin.post('/api/v1/counter/merchants', { ...base, signType: 'SM2' })).statusCode, 400);
      const unknown = await admin.post('/api/v1/counter/merchants/1234567890123456/suspend', {});
      assert.equal(unknown.statusCode, 404);
      assert.equal(json(unknown).code, 'counter.merchant_not_found');

      for (const call of [
        teller.get('/api/v1/counter/merchants'),
        teller.post('/api/v1/counter/merchants', base),
        teller.post('/api/v1/counter/merchants/1234567890123456/suspend', {}),
      ]) {
        const answer = await call;
        assert.equal(answer.statusCode, 403);
        assert.equal(json(answer).code, 'counter.role_forbidden');
      }
      const supervisor = await staffClient(t, await createTestStaff(t, 'supervisor'));
      assert.equal((await supervisor.get('/api/v1/counter/merchants')).statusCode, 403);
    });
  });
}
