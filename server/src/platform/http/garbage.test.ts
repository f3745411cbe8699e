import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../../testing/app.ts';
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
  });
}
