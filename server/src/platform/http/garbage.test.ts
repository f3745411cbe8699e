import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { createTestCustomer } from '../../testing/bank.ts';
import { signedInClient } from '../../testing/session.ts';
import { DIALECTS } from '../../testing/database.ts';

// Whatever a client sends, no route may answer 500 or leak a stack trace (ARCHITECTURE.md: "No 500 for
// anything a client can send"). Each registered route gets malformed JSON, wrong types, odd parameters
// and random JSON documents.
const PARAM_VALUES = [
  'x',
  '00000000-0000-4000-8000-000000000000',
  '%00',
  '..%2F..%2Fetc',
  'a'.repeat(250),
  '-1',
  '%F0%9F%92%A5',
];
const QUERY = '?limit=-1&cursor=%ff%fe&from=not-a-date&to=&format=exe&to=13800000001';
const RAW_BODIES = [
  '{',
  'null',
  '[]',
  '"text"',
  '123',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
];
const OBJECT_BODIES: unknown[] = [
  {},
  { identifier: {}, password: [], channel: 'fax', captchaId: 1 },
  { amount: { amount: '1e9', currency: 'USD' }, fromAccountId: 'x', payee: { name: 7 } },
  { amount: { amount: '99999999999999999999.99', currency: 'CNY' } },
  { newPassword: 'x'.repeat(10_000), method: 'sms', response: { nested: [[[[[]]]]] } },
  { advanceSeconds: 1e308, mobile: '1'.repeat(100), smsCode: null },
];

function fillParams(url: string, value: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, value).replace(/\*/g, value);
}

for (const dialect of DIALECTS) {
  describe(`garbage to every route [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('no registered route answers 500 or a stack trace to garbage', async () => {
      const routes = t.app.jinkuRoutes.filter(
        (r) => !['HEAD', 'OPTIONS'].includes(r.method) && !r.url.startsWith('/api/docs'),
      );
      assert.ok(
        routes.some((r) => r.url === '/api/v1/dev/clock'),
        'the app lists its routes',
      );
      const randomJson = fc.sample(fc.json({ depthSize: 'small' }), { numRuns: 8, seed: 42 });
      const failures: string[] = [];
      for (const route of routes) {
        const urls = PARAM_VALUES.map((v) => fillParams(route.url, v));
        const sends: Array<{ url: string; payload?: string }> = urls.map((url) => ({ url }));
        sends.push({ url: fillParams(route.url, 'x') + QUERY });
        if (route.method !== 'GET') {
          const url = fillParams(route.url, PARAM_VALUES[1]!);
          for (const raw of RAW_BODIES) sends.push({ url, payload: raw });
          for (const body of OBJECT_BODIES) sends.push({ url, payload: JSON.stringify(body) });
          for (const body of randomJson) sends.push({ url, payload: body });
        }
        for (const send of sends) {
          const response = await t.app.inject({
            method: route.method as 'GET',
            url: send.url,
            headers: send.payload === undefined ? {} : { 'content-type': 'application/json' },
            ...(send.payload === undefined ? {} : { payload: send.payload }),
          });
          const leaked = /at .+\.(ts|js):\d+:\d+/.test(response.body);
          if (response.statusCode >= 500 || leaked) {
            failures.push(
              `${route.method} ${send.url} ${send.payload ?? ''} → ${response.statusCode} ${response.body.slice(0, 200)}`,
            );
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    test('signed in, schema-shaped nonsense to every route: no 500, every refusal a problem document', async (ctx) => {
      const customer = await createTestCustomer(
        t.db.handle.kysely,
        { config: t.ctx.config, clock: t.clock },
        {
          name: '张伟',
          balancesFen: [100_000, 100_000],
        },
      );
      const client = await signedInClient(t, customer);
      const [from, to] = customer.accounts as [(typeof customer.accounts)[0], (typeof customer.accounts)[0]];
      // Near-valid bodies, one field at a time replaced by arbitrary JSON: what gets past the parser and
      // into the schemas and services.
      const templates: Record<string, unknown>[] = [
        {
          fromAccountId: from.id,
          payee: { name: '张伟', accountNumber: to.account_number },
          amount: { amount: '1.00', currency: 'CNY' },
          memo: 'x',
        },
        { perPayment: { amount: '10.00', currency: 'CNY' }, daily: null },
        { name: '李娜', accountNumber: '6222020200112233445', bankCode: '102' },
        { method: 'sms', response: '123456' },
        { message: '春' },
        { loginName: 'zw2026' },
      ];
      const values = fc.sample(fc.jsonValue({ depthSize: 'small' }), { numRuns: 24, seed: 7 });
      const mutants = templates.flatMap((template) =>
        Object.keys(template).flatMap((key) => values.slice(0, 4).map((value) => ({ ...template, [key]: value }))),
      );
      // Routes that end the session are left to their own tests.
      const routes = t.app.jinkuRoutes.filter(
        (r) =>
          !['HEAD', 'OPTIONS'].includes(r.method) &&
          !r.url.startsWith('/api/docs') &&
          !/logout|security\/(password|sessions)/.test(r.url),
      );
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      for (const route of routes) {
        const url = fillParams(route.url, from.id);
        const bodies = route.method === 'GET' || route.method === 'DELETE' ? [undefined] : mutants;
        for (const body of bodies) {
          const response = await client.request(route.method as 'POST', url, body);
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          const problem = response.statusCode < 400 || /problem\+json/.test(String(response.headers['content-type']));
          if (response.statusCode >= 500 || !problem) {
            failures.push(
              `${route.method} ${url} ${JSON.stringify(body)} → ${response.statusCode} ${response.body.slice(0, 160)}`,
            );
          }
        }
      }
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      ctx.diagnostic(`fuzz: ${total} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
      assert.deepEqual(failures, []);
      assert.ok(total > 500, 'a real number of requests was sent');
    });
  });
}
