import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, json, type TestApp } from '../../testing/app.ts';
import { createTestCustomer, latestCode } from '../../testing/bank.ts';
import { TestClient } from '../../testing/client.ts';
import { DIALECTS } from '../../testing/database.ts';
import { signedInClient, TEST_PASSWORD } from '../../testing/session.ts';

for (const dialect of DIALECTS) {
  describe(`HTTP platform [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('answers an unknown API path with problem+json in Chinese by default and English on request', async () => {
      const zh = await t.app.inject({ method: 'GET', url: '/api/v1/anything-wrong' });
      assert.equal(zh.statusCode, 404);
      assert.match(zh.headers['content-type'] as string, /^application\/problem\+json/);
      const body = json(zh);
      assert.equal(body.code, 'request.not_found');
      assert.equal(body.status, 404);
      assert.equal(body.type, 'urn:jinku:problem:request.not_found');
      assert.match(body.detail, /不存在/);
      assert.ok(body.instance);
      const en = await t.app.inject({
        method: 'GET',
        url: '/api/v1/anything-wrong',
        headers: { 'accept-language': 'en' },
      });
      assert.equal(json(en).detail, 'There is nothing at this address.');
    });

    test('answers a malformed JSON body with 400 request.malformed_json and no stack trace', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        headers: { 'content-type': 'application/json' },
        payload: '{"advanceSeconds": ',
      });
      assert.equal(response.statusCode, 400);
      assert.equal(json(response).code, 'request.malformed_json');
      assert.doesNotMatch(response.body, /at .*\.(ts|js):\d+/);
    });

    test('refuses other content types with 415 and oversized bodies with 413', async () => {
      const text = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      });
      assert.equal(text.statusCode, 415);
      assert.equal(json(text).code, 'request.unsupported_media_type');
      const big = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ advanceSeconds: 1, pad: 'x'.repeat(t.ctx.config.bodyLimitBytes) }),
      });
      assert.equal(big.statusCode, 413);
      assert.equal(json(big).code, 'request.too_large');
    });

    test('validates input by schema with a clear reason', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        headers: { 'accept-language': 'en' },
        payload: { advanceSeconds: -5 },
      });
      assert.equal(response.statusCode, 400);
      const body = json(response);
      assert.equal(body.code, 'request.invalid');
      assert.match(body.detail, /advanceSeconds/);
    });

    test('health checks report the process and the database', async () => {
      assert.equal((await t.app.inject({ url: '/livez' })).statusCode, 200);
      const ready = await t.app.inject({ url: '/readyz' });
      assert.equal(ready.statusCode, 200);
      assert.equal(json(ready).database, dialect);
    });

    test('exposes Prometheus metrics by route template', async () => {
      await t.app.inject({ url: '/livez' });
      const metrics = await t.app.inject({ url: '/metrics' });
      assert.equal(metrics.statusCode, 200);
      assert.match(metrics.body, /jinku_http_requests_total\{method="GET",route="\/livez",status="200"\} \d+/);
      assert.match(metrics.body, /jinku_http_request_duration_seconds_bucket/);
      if (dialect === 'postgres') assert.match(metrics.body, /jinku_db_pool_total_connections \d+/);
    });

    test('publishes the OpenAPI document and its docs page', async () => {
      const openapi = await t.app.inject({ url: '/api/openapi.json' });
      assert.equal(openapi.statusCode, 200);
      assert.equal(json(openapi).openapi.startsWith('3.'), true);
      assert.ok(json(openapi).paths['/api/v1/dev/clock']);
      const docs = await t.app.inject({ url: '/api/docs' });
      assert.ok([200, 302].includes(docs.statusCode));
    });

    test('sends a strict Content-Security-Policy and other security headers', async () => {
      const response = await t.app.inject({ url: '/livez' });
      const csp = response.headers['content-security-policy'] as string;
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      // frame-ancestors 'none' already forbids framing; the older header beside it is gone.
      assert.equal(response.headers['x-frame-options'], undefined);
    });

    test('refuses a cross-site POST', async () => {
      const bySite = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        headers: { 'sec-fetch-site': 'cross-site' },
        payload: { advanceSeconds: 0 },
      });
      assert.equal(bySite.statusCode, 403);
      assert.equal(json(bySite).code, 'request.csrf');
      const byOrigin = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        headers: { origin: 'https://evil.example', host: 'localhost:80' },
        payload: { advanceSeconds: 0 },
      });
      assert.equal(byOrigin.statusCode, 403);
    });

    test('refuses a state-changing request that carries a session cookie without the CSRF token', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        cookies: { jinku_sid: 'whatever' },
        payload: { advanceSeconds: 0 },
      });
      assert.equal(response.statusCode, 403);
      assert.equal(json(response).code, 'request.csrf');
    });

    test('answers a URL whose percent-encoding does not decode with 400 problem+json', async () => {
      for (const url of ['/%ZZ', '/api/v1/%ZZ', '/api/v1/transfers/%ZZ']) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 400, url);
        assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
        assert.equal(json(response).code, 'request.invalid');
      }
    });

    test('the dev clock moves the server clock forward', async () => {
      const before = t.clock.nowMs();
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dev/clock',
        payload: { advanceSeconds: 3600 },
      });
      assert.equal(response.statusCode, 200);
      assert.ok(t.clock.nowMs() - before >= 3_600_000);
    });

    test('every API answer to a signed-in customer, and every API error, says Cache-Control: no-store', async () => {
      const customer = await createTestCustomer(t.db.handle.kysely, { config: t.ctx.config, clock: t.clock });
      const client = await signedInClient(t, customer);
      const accountId = customer.accounts[0]!.id;
      for (const url of [
        '/api/v1/accounts',
        `/api/v1/accounts/${accountId}/transactions`,
        '/api/v1/payees',
        '/api/v1/limits',
        '/api/v1/security/sessions',
        '/api/v1/session',
        '/api/v1/transfers/00000000-0000-4000-8000-000000000000',
      ]) {
        const response = await client.get(url);
        assert.ok(response.statusCode < 500, `${url} ${response.statusCode}`);
        assert.equal(response.headers['cache-control'], 'no-store', url);
      }
      const anonymous = await t.app.inject({ url: '/api/v1/accounts' });
      assert.equal(anonymous.headers['cache-control'], 'no-store');
    });

    test('the session cookie has no Max-Age, and the CSRF token is bound to the session', async () => {
      const bank = { config: t.ctx.config, clock: t.clock };
      const a = await signedInClient(t, await createTestCustomer(t.db.handle.kysely, bank));
      const b = await signedInClient(t, await createTestCustomer(t.db.handle.kysely, bank));
      const post = (cookies: Map<string, string>, token: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/dev/clock',
          cookies: Object.fromEntries(cookies),
          headers: { 'x-csrf-token': token },
          payload: { advanceSeconds: 0 },
        });
      // The token this browser was given before it signed in.
      const beforeSignIn = json(
        await t.app.inject({ url: '/api/v1/session', cookies: { jinku_csrf: a.cookies.get('jinku_csrf')! } }),
      ).csrfToken as string;
      const tokenA = (await a.csrfToken())!;
      assert.notEqual(tokenA, beforeSignIn, 'a new token at sign-in');
      assert.equal((await post(a.cookies, beforeSignIn)).statusCode, 403);
      assert.equal((await post(b.cookies, tokenA)).statusCode, 403, "another session's token");
      assert.equal((await post(a.cookies, tokenA)).statusCode, 200);

      // A second sign-in of a customer, by hand, to read the Set-Cookie of the session.
      const customer = await createTestCustomer(t.db.handle.kysely, bank);
      await signedInClient(t, customer);
      const client = new TestClient(t.app, { ip: '198.51.100.7' });
      let answer = await client.post('/api/v1/auth/login', {
        identifier: customer.mobile,
        password: TEST_PASSWORD,
        channel: 'web',
      });
      if (json(answer).state === 'challenge') {
        const code = await latestCode(t.db.handle.kysely, customer.mobile);
        answer = await client.post(`/api/v1/auth/login/${json(answer).attemptId}/verify`, {
          method: 'sms',
          response: code,
        });
      }
      assert.equal(json(answer).state, 'authenticated');
      const setCookie = [answer.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('jinku_sid='));
      assert.ok(setCookie);
      assert.doesNotMatch(setCookie, /max-age|expires/i);
      assert.match(setCookie, /HttpOnly/i);
    });
  });
}

describe('production mode', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', {
      config: { env: 'production', demo: false, publicDocs: false, metricsToken: null },
    });
  });
  after(() => t.close());

  test('publishes neither metrics nor API docs to anyone', async () => {
    for (const url of ['/api/docs', '/api/docs/', '/api/openapi.json']) {
      assert.equal((await t.app.inject({ url })).statusCode, 404, url);
    }
    // Without the API prefix the path may fall through to the web app's page, but never to the figures.
    const metrics = await t.app.inject({ url: '/metrics' });
    assert.ok([200, 404].includes(metrics.statusCode));
    assert.doesNotMatch(metrics.body, /jinku_http_requests_total|process_cpu/);
  });

  test('has no dev routes', async () => {
    for (const url of ['/api/v1/dev/outbox', '/api/v1/dev/captcha/00000000-0000-4000-8000-000000000000']) {
      const response = await t.app.inject({ url });
      assert.equal(response.statusCode, 404, url);
    }
    const clock = await t.app.inject({ method: 'POST', url: '/api/v1/dev/clock', payload: { advanceSeconds: 1 } });
    assert.equal(clock.statusCode, 404);
    assert.equal(
      t.app.jinkuRoutes.some((r) => r.url.startsWith('/api/v1/dev/')),
      false,
    );
  });
});

describe('metrics behind a token, docs on request', () => {
  const token = 'm'.repeat(12) + 'e7Qx0v9ZrT1c';
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', {
      config: { env: 'production', demo: false, publicDocs: true, metricsToken: token },
    });
  });
  after(() => t.close());

  test('/metrics answers only the bearer of JINKU_METRICS_TOKEN', async () => {
    const anonymous = await t.app.inject({ url: '/metrics' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="metrics"');
    assert.match(anonymous.headers['content-type'] as string, /^application\/problem\+json/);
    const wrong = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}x` } });
    assert.equal(wrong.statusCode, 401);
    const right = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    assert.equal(right.statusCode, 200);
    assert.match(right.body, /jinku_http_requests_total/);
  });

  test('JINKU_PUBLIC_DOCS=true publishes the docs in production', async () => {
    assert.equal((await t.app.inject({ url: '/api/openapi.json' })).statusCode, 200);
  });
});

describe('requests the HTTP parser refuses', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => t.close());

  test('answers headers that are too large with 431 problem+json', async () => {
    const { port } = t.app.server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/livez`, { headers: { 'x-big': 'a'.repeat(20_000) } });
    assert.equal(response.status, 431);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = (await response.json()) as { code: string; status: number };
    assert.equal(body.code, 'request.headers_too_large');
    assert.equal(body.status, 431);
  });
});
