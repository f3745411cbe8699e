import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient, TEST_PASSWORD } from '../testing/session.ts';
import { endMaintenance, startMaintenance } from './maintenance.ts';
import {
  DeviceList,
  LoginAnswer,
  LoginHistory,
  LoginNameSet,
  SessionAnswer,
  SessionList,
  SmsAuthorizationRequired,
} from './schema.ts';

/**
 * The answers keep every field the web app reads (web/src/api, web/src/login, web/src/banking/security):
 * Fastify serialises with the response schema and silently drops what the schema lacks.
 */
function assertShape(schema: TSchema, body: unknown, keys: string[], what: string) {
  assert.ok(Value.Check(schema, body), `${what} matches its schema: ${JSON.stringify(body)}`);
  for (const key of keys) {
    const value = key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)?.[part], body);
    assert.notEqual(value, undefined, `${what} has ${key}`);
  }
}

const CUSTOMER_KEYS = ['id', 'name', 'maskedMobile', 'loginName', 'reservedMessage', 'lastLoginAt'];

for (const dialect of DIALECTS) {
  describe(`auth answers keep their fields [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const customer = () => createTestCustomer(t.db.handle.kysely, { config: t.ctx.config, clock: t.clock });

    test('the session route, signed out, signed in and during maintenance', async () => {
      const browser = new TestClient(t.app, { ip: '10.9.0.1' });
      const out = json(await browser.get('/api/v1/session'));
      assertShape(SessionAnswer, out, ['authenticated', 'csrfToken', 'idleTimeoutSeconds'], 'signed out');
      assert.equal(out.authenticated, false);
      const client = await signedInClient(t, await customer());
      const signedIn = json(await client.get('/api/v1/session'));
      assertShape(
        SessionAnswer,
        signedIn,
        [...CUSTOMER_KEYS.map((k) => `customer.${k}`), 'session.channel', 'session.createdAt', 'session.expiresAt'],
        'signed in',
      );
      await startMaintenance(
        t.db.handle.kysely,
        { messageZh: '升级', messageEn: 'Upgrade', untilMs: t.clock.nowMs() + 3600_000 },
        t.clock.nowMs(),
      );
      try {
        const during = json(await client.get('/api/v1/session'));
        assertShape(
          SessionAnswer,
          during,
          ['maintenance.messageZh', 'maintenance.messageEn', 'maintenance.until'],
          'notice',
        );
      } finally {
        await endMaintenance(t.db.handle.kysely);
      }
    });

    test('the sign-in states: challenge, authenticated, change_password', async () => {
      const chen = await customer();
      const client = await signedInClient(t, chen);
      await client.post('/api/v1/auth/logout');
      t.clock.advance(61_000);
      const fresh = new TestClient(t.app, { ip: '10.9.0.2' });
      const challenge = json(
        await fresh.post('/api/v1/auth/login', { identifier: chen.mobile, password: TEST_PASSWORD, channel: 'web' }),
      );
      assertShape(
        LoginAnswer,
        challenge,
        [
          'attemptId',
          'alternatives',
          'challenge.method',
          'challenge.maskedMobile',
          'challenge.resendAfterSeconds',
          'challenge.expiresAt',
        ],
        'challenge',
      );
      const done = json(
        await fresh.post(`/api/v1/auth/login/${challenge.attemptId}/verify`, {
          method: 'sms',
          response: await latestCode(t.db.handle.kysely, chen.mobile),
        }),
      );
      assertShape(
        LoginAnswer,
        done,
        CUSTOMER_KEYS.map((k) => `customer.${k}`),
        'authenticated',
      );
      assert.equal(done.state, 'authenticated');
      assert.equal(done.session, undefined, 'the token travels only in the cookie');
    });

    test('the security centre: login name, sessions, devices, sign-ins', async () => {
      const zhou = await customer();
      const client = await signedInClient(t, zhou);
      const asked = json(await client.put('/api/v1/security/login-name', { loginName: `Shape_${dialect}` }));
      assertShape(
        SmsAuthorizationRequired,
        asked,
        [
          'status',
          'challengeId',
          'authorization.method',
          'authorization.challenge.maskedMobile',
          'authorization.alternatives',
        ],
        'login name asked',
      );
      const set = json(
        await client.put('/api/v1/security/login-name', {
          loginName: `Shape_${dialect}`,
          authorization: {
            method: 'sms',
            challengeId: asked.challengeId,
            response: await latestCode(t.db.handle.kysely, zhou.mobile),
          },
        }),
      );
      assertShape(LoginNameSet, set, ['status', 'loginName'], 'login name set');
      assert.equal(json(await client.get('/api/v1/session')).customer.loginName, `Shape_${dialect}`);
      const sessions = json(await client.get('/api/v1/security/sessions'));
      assertShape(
        SessionList,
        sessions,
        ['items.0.id', 'items.0.channel', 'items.0.ip', 'items.0.createdAt', 'items.0.lastSeenAt', 'items.0.current'],
        'sessions',
      );
      const devices = json(await client.get('/api/v1/security/devices'));
      assertShape(
        DeviceList,
        devices,
        ['items.0.id', 'items.0.label', 'items.0.firstSeenAt', 'items.0.lastSeenAt'],
        'devices',
      );
      const logins = json(await client.get('/api/v1/security/logins'));
      assertShape(
        LoginHistory,
        logins,
        ['items.0.at', 'items.0.channel', 'items.0.device', 'items.0.ip', 'items.0.result'],
        'sign-ins',
      );
    });

    test('every auth and security route documents its answer in the OpenAPI document', async () => {
      const document = json(await new TestClient(t.app).get('/api/openapi.json'));
      const operations = Object.entries(document.paths as Record<string, Record<string, { responses?: object }>>)
        .filter(([path]) => /^\/api\/v1\/(auth|session|security|dev\/captcha)/.test(path))
        .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
      assert.ok(operations.length >= 14, `${operations.length} operations`);
      for (const { path, method, op } of operations) {
        const codes = Object.keys(op.responses ?? {});
        assert.ok(
          codes.some((code) => /^2\d\d$/.test(code)),
          `${method} ${path} has a success response: ${codes}`,
        );
      }
    });
  });
}
