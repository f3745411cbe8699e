import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestStaff, staffClient } from '../counter/test-support.ts';
import { makeResidentId } from '../customers/index.ts';
import { json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, type TestCustomer } from '../testing/bank.ts';
import { TestClient } from '../testing/client.ts';
import { SoftSecurityKey } from '../testing/webauthn.ts';

/**
 * Test helpers of corporate e-banking: an enterprise onboarded at the counter, operators signed in with
 * their own software security keys (real ES256 signatures over the server's challenges, never a fake
 * verifier), and requests signed by the authorization pattern.
 */

export type TestOperator = { id: string; code: string; password: string; key: SoftSecurityKey; client: TestClient };
export type TestEnterprise = {
  id: string;
  code: string;
  holder: TestCustomer;
  accountId: string;
  admin: TestOperator;
};

let idCounter = 100;
/** A fresh, valid resident ID number. */
export function testIdNumber(): string {
  idCounter += 1;
  return makeResidentId('110101', '19800101', String(idCounter % 1000).padStart(3, '0'));
}

/**
 * Onboards an enterprise at the counter: its account is opened under a customer record that carries
 * the enterprise's name (the counter's account opening), then the teller registers it; the
 * administrator signs in, changes the password and registers a key.
 */
export async function onboardEnterprise(
  t: TestApp,
  options: { uscc: string; balanceFen: number; dailyLimit?: string; name?: string },
): Promise<TestEnterprise> {
  const name = options.name ?? '金库测试科技有限公司';
  const holder = await createTestCustomer(
    t.db.handle.kysely,
    { config: t.ctx.config, clock: t.clock },
    {
      name,
      balancesFen: [options.balanceFen],
    },
  );
  const accountId = holder.accounts[0]!.id;
  const teller = await staffClient(t, await createTestStaff(t, 'teller'));
  const response = await teller.post('/api/v1/counter/enterprises', {
    name,
    unifiedSocialCreditCode: options.uscc,
    accounts: [accountId],
    admin: { name: '主管 王总', idNumber: testIdNumber(), mobile: '13900000001' },
    ...(options.dailyLimit ? { dailyLimit: { amount: options.dailyLimit, currency: 'CNY' } } : {}),
  });
  assert.equal(response.statusCode, 201, response.body);
  const body = json(response);
  const admin = await signInFirstTime(t, body.enterpriseCode, body.admin.operatorCode, body.admin.initialPassword);
  return { id: body.id, code: body.enterpriseCode, holder, accountId, admin };
}

/** A new browser for corporate e-banking. */
export function corpClient(t: TestApp): TestClient {
  return new TestClient(t.app, { sessionPath: '/api/v1/corporate/session' });
}

/** First sign-in: initial password, new password, key registration; the session opens. */
export async function signInFirstTime(
  t: TestApp,
  enterpriseCode: string,
  operatorCode: string,
  initialPassword: string,
): Promise<TestOperator> {
  const client = corpClient(t);
  const key = new SoftSecurityKey(t.ctx.config.publicOrigin, t.ctx.config.webauthnRpId);
  const first = await client.post('/api/v1/corporate/login', {
    enterpriseCode,
    operatorCode,
    password: initialPassword,
  });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(json(first).state, 'change_password');
  const password = `Corp${operatorCode}x2026`;
  const changed = await client.post(`/api/v1/corporate/login/${json(first).attemptId}/password`, {
    newPassword: password,
  });
  assert.equal(changed.statusCode, 200, changed.body);
  const registering = json(changed);
  assert.equal(registering.state, 'register_medium');
  const registered = await client.post(`/api/v1/corporate/login/${registering.attemptId}/medium`, {
    credential: key.register(registering.options),
  });
  assert.equal(registered.statusCode, 200, registered.body);
  const done = json(registered);
  assert.equal(done.state, 'authenticated');
  return { id: done.operator.id, code: operatorCode, password, key, client };
}

/** A later sign-in: password, then the key's assertion. */
export async function signIn(t: TestApp, enterpriseCode: string, operator: TestOperator): Promise<TestClient> {
  const client = corpClient(t);
  const first = json(
    await client.post('/api/v1/corporate/login', {
      enterpriseCode,
      operatorCode: operator.code,
      password: operator.password,
    }),
  );
  assert.equal(first.state, 'challenge');
  const verified = await client.post(`/api/v1/corporate/login/${first.attemptId}/verify`, {
    method: 'u_shield',
    response: operator.key.assert(first.challenge.options),
  });
  assert.equal(verified.statusCode, 200, verified.body);
  return client;
}

/** Sends a request by the authorization pattern: the 202's challenge is signed with the operator's key. */
export async function signed(
  operator: TestOperator,
  method: 'POST' | 'PUT',
  url: string,
  body: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  const asked = await operator.client.request(method, url, body);
  if (asked.statusCode !== 202) return asked;
  const { challengeId, authorization } = json(asked);
  return operator.client.request(method, url, {
    ...body,
    authorization: { method: 'u_shield', challengeId, response: operator.key.assert(authorization.challenge.options) },
  });
}

/** The administrator creates an operator (signed with their key); the operator signs in for the first time. */
export async function addOperator(
  t: TestApp,
  enterprise: TestEnterprise,
  input: { role: 'maker' | 'checker' | 'releaser' | 'viewer'; single?: string; daily?: string },
): Promise<TestOperator> {
  const response = await signed(enterprise.admin, 'POST', '/api/v1/corporate/operators', {
    name: `操作员 ${input.role}`,
    idNumber: testIdNumber(),
    mobile: '13900000002',
    role: input.role,
    accounts: [enterprise.accountId],
    singleLimit: { amount: input.single ?? '1000000.00', currency: 'CNY' },
    dailyLimit: { amount: input.daily ?? '2000000.00', currency: 'CNY' },
  });
  assert.equal(response.statusCode, 201, response.body);
  const created = json(response);
  return signInFirstTime(t, enterprise.code, created.operator.code, created.initialPassword);
}
