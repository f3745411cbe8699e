import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../database.ts';
import { migrations } from '../migrations.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createTestApp } from '../testing/app.ts';
import { createTestDatabaseUrl, DIALECTS } from '../testing/database.ts';
import { type ServerProcess, startServerProcess } from '../testing/server-process.ts';
import { bankPublicKeyPem } from './service.ts';
import { verifyParams } from './signing.ts';
import { notifiesOf } from './store.ts';
import { createTestShop, payOrder, placeOrder, testPayer } from './test-shop.ts';

/**
 * Issue 17's acceptance: a merchant's notify is retried after the merchant's server failed, survives a
 * real server restart (SIGKILL while the notify is being sent, its answer never read) and stops at the
 * merchant's `success`. The server is a real process on a shared database; its clock is moved with the
 * dev clock route (stored in the database, so the restarted process reads it too).
 */
for (const dialect of DIALECTS) {
  describe(`merchant notify across a server kill [${dialect}]`, () => {
    let url: string;
    let drop: () => Promise<void>;
    let db: DatabaseHandle<Database>;
    let server: ServerProcess | null = null;
    const received: Array<Record<string, string>> = [];
    let mode: 'fail' | 'hang' | 'success' = 'fail';
    const held: ServerResponse[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(Object.fromEntries(new URLSearchParams(body)));
        if (mode === 'hang') held.push(response);
        else if (mode === 'fail') response.writeHead(500).end('busy');
        else response.writeHead(200, { 'content-type': 'text/plain' }).end('success');
      });
    });
    before(async () => {
      ({ url, drop } = await createTestDatabaseUrl(dialect));
      db = openDatabase<Database>(url, { poolSize: 4 });
      await migrateToLatest(db.kysely, migrations);
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      await server?.kill('SIGKILL');
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await db.close();
      await drop();
    });

    const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        assert.ok(
          Date.now() < deadline,
          `waited for ${what}: ${JSON.stringify(await db.kysely.selectFrom('gateway_notify').selectAll().execute())}`,
        );
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const advance = async (seconds: number) => {
      const response = await fetch(`${server!.baseUrl}/api/v1/dev/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: seconds }),
      });
      assert.equal(response.status, 200, await response.text());
    };

    test('a failed notify is retried, survives SIGKILL mid-delivery and a restart, and stops at success', async () => {
      const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
      const local = await createTestApp(dialect, { db: { url, handle: db, drop: async () => {} } });
      const shop = await createTestShop(local, { notifyUrlPrefix: base });
      const { tradeNo, outTradeNo } = await placeOrder(local, shop, '12.30', { notifyUrl: `${base}notify` });
      await payOrder(local, await testPayer(local), tradeNo);
      const bankKey = await bankPublicKeyPem(db.kysely, { config: local.ctx.config, clock: local.clock });
      // Signing in moved this process's clock on: the server's clock (the dev offset in the database) follows.
      const localOffsetSeconds = Math.ceil(local.clock.offsetMs() / 1000);
      await local.app.close();
      const row = async () => (await notifiesOf(db.kysely, tradeNo))[0];

      // The first server: the merchant's server fails the first try.
      server = await startServerProcess(url);
      await advance(localOffsetSeconds);
      await until('the first try', () => received.length >= 1);
      await until('the failure recorded', async () => (await row())?.attempts === 1);
      assert.equal((await row())?.status, 'pending');
      // The retry 15 s later reaches a merchant that never answers; the bank is killed meanwhile.
      mode = 'hang';
      await advance(16);
      await until('the retry', () => received.length >= 2);
      assert.equal((await row())?.status, 'sending');
      await server.kill('SIGKILL');
      for (const response of held.splice(0)) response.destroy();
      mode = 'success';

      // A new server takes the notification over once the dead one's lease has run out.
      server = await startServerProcess(url);
      await advance(120);
      await until('the notify after the restart', () => received.length >= 3);
      await until('the delivery recorded', async () => (await row())?.status === 'delivered');
      // Delivered: no more tries however late it gets.
      await advance(86_400);
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(received.length, 3, 'the first try, the cut-off retry and the successful one');
      for (const form of received) {
        assert.equal(form.trade_no, tradeNo);
        assert.equal(form.out_trade_no, outTradeNo);
        assert.equal(form.trade_status, 'TRADE_SUCCESS');
        assert.equal(form.notify_id, received[0]!.notify_id, 'one notification, sent again');
        assert.ok(verifyParams(form, bankKey), "signed with the bank's key");
      }
      const final = await row();
      assert.equal(final?.status, 'delivered');
      assert.equal(final?.attempts, 2, 'the cut-off try was never recorded');
    });
  });
}
