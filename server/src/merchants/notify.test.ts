import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { DIALECTS } from '../testing/database.ts';
import {
  deliverDueNotifies,
  isPrivateAddress,
  NOTIFY_RETRY_SCHEDULE_MS,
  notifyTarget,
  notifyUrlRefusal,
  postForm,
  type ResolveHost,
  startGatewayNotifier,
} from './notify.ts';
import { bankPublicKeyPem } from './service.ts';
import { verifyParams } from './signing.ts';
import { sweepExpiredOrders } from './expiry.ts';
import { claimDueNotifies, countExhaustedNotifies, notifiesOf, orderByTradeNo } from './store.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestShop, payOrder, placeOrder, queryOrder, testPayer } from './test-shop.ts';

/** A merchant's notify endpoint on a real local port: records every form, answers what the test says. */
class Receiver {
  readonly received: Array<Record<string, string>> = [];
  answer: { status: number; body: string } = { status: 500, body: 'busy' };
  #server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      this.received.push(Object.fromEntries(new URLSearchParams(body)));
      response.writeHead(this.answer.status, { 'content-type': 'text/plain' }).end(this.answer.body);
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`;
  }
  close() {
    this.#server.closeAllConnections();
    return new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
  async waitFor(count: number, timeoutMs = 10_000) {
    const until = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > until) throw new Error(`waited for ${count} notifications, got ${this.received.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

test('private, loopback and link-local addresses are recognised; public ones are not', () => {
  for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1']) {
    assert.ok(isPrivateAddress(address), address);
  }
  assert.ok(isPrivateAddress('::ffff:127.0.0.1'));
  for (const address of ['8.8.8.8', '203.0.113.9', '2001:4860:4860::8888'])
    assert.ok(!isPrivateAddress(address), address);
});

test('in production a notify URL must be under the registered prefix and never on a private address', async () => {
  const registered = { notify_url_prefix: 'http://127.0.0.1:9/' };
  assert.equal(
    await notifyUrlRefusal('http://127.0.0.1:9/n', registered, 'test'),
    null,
    'the demo shop outside production',
  );
  assert.equal(await notifyUrlRefusal('http://127.0.0.1:9/n', registered, 'production'), 'private address');
  assert.equal(
    await notifyUrlRefusal('http://localhost:9/n', { notify_url_prefix: 'http://localhost:9/' }, 'production'),
    'loopback address',
  );
  assert.equal(await notifyUrlRefusal('https://evil.example/n', registered, 'test'), 'outside the registered prefix');
  assert.equal(
    await notifyUrlRefusal('https://shop.example/n', { notify_url_prefix: null }, 'production'),
    'no notify URL registered',
  );
});

test('in production the host is resolved once, every answer checked, and the connection pinned to it', async () => {
  const registered = { notify_url_prefix: 'https://shop.example.com/' };
  const answers = (...addresses: string[]): ResolveHost => {
    return async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const url = 'https://shop.example.com/notify';
  assert.deepEqual(await notifyTarget(url, registered, 'production', answers('203.0.113.9')), {
    ok: true,
    pinned: { address: '203.0.113.9', family: 4 },
  });
  for (const bad of [
    '127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:127.0.0.1',
    '169.254.169.254',
    'fd00::1',
    '10.0.0.8',
    '::1',
  ]) {
    assert.deepEqual(
      await notifyTarget(url, registered, 'production', answers('203.0.113.9', bad)),
      { ok: false, reason: 'private address' },
      bad,
    );
  }
  assert.deepEqual(await notifyTarget(url, registered, 'production', answers()), {
    ok: false,
    reason: 'name does not resolve',
  });
  // A rebinding name answers a public address to the check and loopback afterwards: it is asked once.
  let asked = 0;
  const rebinding: ResolveHost = async () => [{ address: asked++ === 0 ? '203.0.113.9' : '127.0.0.1', family: 4 }];
  const target = await notifyTarget(url, registered, 'production', rebinding);
  assert.deepEqual(target, { ok: true, pinned: { address: '203.0.113.9', family: 4 } });
  assert.equal(asked, 1);
});

test('a pinned post connects to the pinned address and keeps the URL host in the Host header', async () => {
  const seen: Array<{ host?: string; body: string }> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({ ...(request.headers.host ? { host: request.headers.host } : {}), body });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    // `merchant.invalid` resolves nowhere (RFC 2606): the post can only arrive through the pin.
    const answer = await postForm(`http://merchant.invalid:${port}/notify`, 'a=1', { address: '127.0.0.1', family: 4 });
    assert.deepEqual(answer, { status: 200, text: 'success' });
    assert.deepEqual(seen, [{ host: `merchant.invalid:${port}`, body: 'a=1' }]);
    await assert.rejects(postForm(`http://merchant.invalid:${port}/notify`, 'a=1', null), /ENOTFOUND|EAI_AGAIN/);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

for (const dialect of DIALECTS) {
  describe(`merchant notify through the gateway's outbox [${dialect}]`, () => {
    let t: TestApp;
    const receiver = new Receiver();
    let base: string;
    before(async () => {
      t = await createTestApp(dialect);
      base = await receiver.start();
    });
    after(async () => {
      await receiver.close();
      await t.close();
    });
    const deps = () => ({ config: t.ctx.config, clock: t.clock });

    test('pay, the notify is delivered, and trade.query shows TRADE_SUCCESS', async () => {
      const shop = await createTestShop(t, { notifyUrlPrefix: base });
      const { tradeNo, outTradeNo } = await placeOrder(t, shop, '18.80', { notifyUrl: `${base}notify` });
      receiver.answer = { status: 200, body: 'success' };
      const before = receiver.received.length;
      await payOrder(t, await testPayer(t), tradeNo);
      const worker = startGatewayNotifier(t.db.handle.kysely, deps(), 10, (error) => assert.fail(String(error)));
      await receiver.waitFor(before + 1);
      await worker.stop();
      assert.equal(receiver.received[before]?.out_trade_no, outTradeNo);
      assert.equal(receiver.received[before]?.trade_status, 'TRADE_SUCCESS');
      const [row] = await notifiesOf(t.db.handle.kysely, tradeNo);
      assert.equal(row?.status, 'delivered');
      const query = await queryOrder(t, shop, outTradeNo);
      assert.equal(query.code, '10000');
      assert.equal(query.trade_status, 'TRADE_SUCCESS');
      assert.equal(query.trade_no, tradeNo);
      assert.equal(query.total_amount, '18.80');
    });

    test('a failed notify is retried on schedule by a restarted worker, signed, and stops at success', async () => {
      const shop = await createTestShop(t, { notifyUrlPrefix: base });
      const { tradeNo, outTradeNo } = await placeOrder(t, shop, '66.60', { notifyUrl: `${base}notify?shop=1` });
      receiver.answer = { status: 500, body: 'busy' };
      const before = receiver.received.length;
      await payOrder(t, await testPayer(t), tradeNo);

      // The first worker: the merchant's server fails.
      const first = startGatewayNotifier(t.db.handle.kysely, deps(), 10, (error) => assert.fail(String(error)));
      await receiver.waitFor(before + 1);
      await first.stop();
      const form = receiver.received[before]!;
      assert.equal(form.trade_no, tradeNo);
      assert.equal(form.out_trade_no, outTradeNo);
      assert.equal(form.app_id, shop.appId);
      assert.equal(form.total_amount, '66.60');
      assert.equal(form.trade_status, 'TRADE_SUCCESS');
      assert.match(form.gmt_payment ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.match(form.notify_time ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal(form.sign_type, 'RSA2');
      const bankKey = await bankPublicKeyPem(t.db.handle.kysely, deps());
      assert.ok(verifyParams(form, bankKey), "signed with the bank's key");
      assert.ok(!verifyParams({ ...form, total_amount: '6.66' }, bankKey));
      let [row] = await notifiesOf(t.db.handle.kysely, tradeNo);
      assert.equal(row?.status, 'pending');
      assert.equal(row?.attempts, 1);
      // The test clock runs on from the real one: the next try is 15 s after the failed one, give or take.
      const waitMs = Number(row?.next_attempt_at_ms) - t.clock.nowMs();
      assert.ok(
        waitMs > NOTIFY_RETRY_SCHEDULE_MS[0]! - 2_000 && waitMs <= NOTIFY_RETRY_SCHEDULE_MS[0]!,
        String(waitMs),
      );

      // Not before its time.
      t.clock.advance(NOTIFY_RETRY_SCHEDULE_MS[0]! - 3_000);
      assert.equal(await deliverDueNotifies(t.db.handle.kysely, deps()), 0);
      t.clock.advance(3_000);

      // The server restarts: a new worker takes the notification up, and the merchant now says success.
      receiver.answer = { status: 200, body: 'success' };
      const second = startGatewayNotifier(t.db.handle.kysely, deps(), 10, (error) => assert.fail(String(error)));
      await receiver.waitFor(before + 2);
      await second.stop();
      [row] = await notifiesOf(t.db.handle.kysely, tradeNo);
      assert.equal(row?.status, 'delivered');
      assert.equal(row?.attempts, 2);
      assert.equal(receiver.received[before + 1]?.notify_id, form.notify_id, 'the same notification again');

      // Delivered: nothing more, however long we wait.
      t.clock.advance(86_400_000);
      assert.equal(await deliverDueNotifies(t.db.handle.kysely, deps()), 0);
      assert.equal(receiver.received.length, before + 2);
    });

    test('an answer other than the body success is a failure; the last retry raises an operator alert', async () => {
      const shop = await createTestShop(t, { notifyUrlPrefix: base });
      const { tradeNo } = await placeOrder(t, shop, '1.00', { notifyUrl: `${base}notify` });
      receiver.answer = { status: 200, body: 'ok' };
      const before = receiver.received.length;
      await payOrder(t, await testPayer(t), tradeNo);
      const logged: Array<{ details: object; message: string }> = [];
      const log = { error: (details: object, message: string) => logged.push({ details, message }) };
      for (let i = 0; i <= NOTIFY_RETRY_SCHEDULE_MS.length; i++) {
        assert.equal(await deliverDueNotifies(t.db.handle.kysely, { ...deps(), log }), 1, `try ${i + 1}`);
        t.clock.advance(NOTIFY_RETRY_SCHEDULE_MS[i] ?? 86_400_000);
      }
      assert.equal(await deliverDueNotifies(t.db.handle.kysely, deps()), 0, 'given up');
      assert.equal(
        receiver.received.length - before,
        NOTIFY_RETRY_SCHEDULE_MS.length + 1,
        'the first try and 15 retries',
      );
      const [row] = await notifiesOf(t.db.handle.kysely, tradeNo);
      assert.equal(row?.status, 'failed');
      const alert = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select(['kind', 'details'])
        .where('subject_id', '=', tradeNo)
        .where('kind', '=', 'gateway.notify_exhausted')
        .executeTakeFirst();
      assert.ok(alert, 'the operator alert is in the audit log');
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      const line = metrics.body.split('\n').find((l) => l.startsWith('jinku_gateway_notify_exhausted_total'));
      // The figure is the database's count of given-up rows: the same after a restart and on every instance.
      const exhausted = await countExhaustedNotifies(t.db.handle.kysely);
      assert.ok(exhausted >= 1);
      assert.equal(Number(line?.split(' ')[1]), exhausted, line);
      assert.equal(logged.length, 1, 'logged once, at error level');
      assert.match(logged[0]!.message, /given up/);
      assert.equal((logged[0]!.details as { tradeNo?: string }).tradeNo, tradeNo);
    });

    test('a worker that died mid-delivery leaves its notification to another once the lease runs out', async () => {
      const shop = await createTestShop(t, { notifyUrlPrefix: base });
      const { tradeNo } = await placeOrder(t, shop, '3.00', { notifyUrl: `${base}notify` });
      await payOrder(t, await testPayer(t), tradeNo);
      // The dead worker claimed the row and never reported back.
      const claimed = await withTransaction(t.db.handle.kysely, (trx) =>
        claimDueNotifies(trx, t.clock.nowMs(), 20, 60_000),
      );
      assert.ok(claimed.some((row) => row.trade_no === tradeNo));
      receiver.answer = { status: 200, body: 'success' };
      const before = receiver.received.length;
      assert.equal(await deliverDueNotifies(t.db.handle.kysely, deps()), 0, 'leased: not sent twice at once');
      t.clock.advance(61_000);
      assert.equal(await deliverDueNotifies(t.db.handle.kysely, deps()), 1);
      assert.equal(receiver.received.length, before + 1);
      assert.equal((await notifiesOf(t.db.handle.kysely, tradeNo))[0]?.status, 'delivered');
    });

    test("the workers' sweep closes an expired order nobody looks at, once, and notifies TRADE_CLOSED", async () => {
      const shop = await createTestShop(t, { notifyUrlPrefix: base });
      const { tradeNo, outTradeNo } = await placeOrder(t, shop, '4.00', { notifyUrl: `${base}notify` });
      t.clock.advance(10 * 60_000);
      await sweepExpiredOrders(t.db.handle.kysely, deps());
      assert.equal((await orderByTradeNo(t.db.handle.kysely, tradeNo))?.status, 'WAIT_BUYER_PAY', 'not yet');
      t.clock.advance(6 * 60_000);
      // Two instances sweep at once: one closes it, the other changes nothing.
      await Promise.all([
        sweepExpiredOrders(t.db.handle.kysely, deps()),
        sweepExpiredOrders(t.db.handle.kysely, deps()),
      ]);
      assert.equal((await orderByTradeNo(t.db.handle.kysely, tradeNo))?.status, 'TRADE_CLOSED');
      const notes = await notifiesOf(t.db.handle.kysely, tradeNo);
      assert.deepEqual(
        notes.map((n) => JSON.parse(n.params).trade_status),
        ['TRADE_CLOSED'],
      );
      receiver.answer = { status: 200, body: 'success' };
      const before = receiver.received.length;
      const worker = startGatewayNotifier(t.db.handle.kysely, deps(), 10, (error) => assert.fail(String(error)));
      await receiver.waitFor(before + 1);
      await worker.stop();
      assert.equal(receiver.received[before]?.out_trade_no, outTradeNo);
      assert.equal(receiver.received[before]?.trade_status, 'TRADE_CLOSED');
    });

    test('an order that expires notifies TRADE_CLOSED', async () => {
      const shop = await createTestShop(t, { notifyUrlPrefix: base });
      const { tradeNo } = await placeOrder(t, shop, '2.00', { notifyUrl: `${base}notify` });
      t.clock.advance(16 * 60_000);
      const view = await t.app.inject({ method: 'GET', url: `/api/v1/checkout/${tradeNo}` });
      assert.equal(JSON.parse(view.body).status, 'TRADE_CLOSED');
      receiver.answer = { status: 200, body: 'success' };
      const before = receiver.received.length;
      assert.equal(await deliverDueNotifies(t.db.handle.kysely, deps()), 1);
      assert.equal(receiver.received.length, before + 1);
      assert.equal(receiver.received[before]?.trade_status, 'TRADE_CLOSED');
    });
  });
}
