import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { DIALECTS } from '../testing/database.ts';
import { deliverDueMessages, enqueueMessage, httpGatewayAdapter, MAX_DELIVERY_ATTEMPTS } from './service.ts';

for (const dialect of DIALECTS) {
  describe(`outbox [${dialect}]`, () => {
    let t: TestApp;
    // The SMS gateway is the edge of the world: a local HTTP server stands in for it.
    let gateway: Server;
    let gatewayUrl: string;
    const received: Array<{ to: string; text: string }> = [];
    const failing = new Set<string>();
    before(async () => {
      t = await createTestApp(dialect);
      gateway = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          const message = JSON.parse(body) as { to: string; text: string };
          if (failing.has(message.to)) {
            failing.delete(message.to);
            res.writeHead(503).end();
            return;
          }
          received.push(message);
          res.writeHead(200).end('{}');
        });
      });
      await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
      const address = gateway.address();
      gatewayUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/sms`;
    });
    after(async () => {
      gateway.close();
      await t.close();
    });

    const enqueue = (to: string, text: string, code?: string) =>
      withTransaction(t.db.handle.kysely, (trx) =>
        enqueueMessage(trx, { channel: 'sms', to, purpose: 'test', text, ...(code ? { code } : {}) }, t.clock.nowMs()),
      );

    test('a message is queued only if its transaction commits', async () => {
      await assert.rejects(
        withTransaction(t.db.handle.kysely, async (trx) => {
          await enqueueMessage(
            trx,
            { channel: 'sms', to: '13900000000', purpose: 'test', text: 'lost' },
            t.clock.nowMs(),
          );
          throw new Error('rolled back');
        }),
      );
      await enqueue('13900000000', '您的验证码 123456', '123456');
      const outbox = json(await t.app.inject({ url: '/api/v1/dev/outbox?to=13900000000' }));
      assert.deepEqual(
        outbox.items.map((m: { text: string; code?: string }) => [m.text, m.code]),
        [['您的验证码 123456', '123456']],
      );
      // The fields API.md names, plus purpose and status, survive the response schema.
      assert.deepEqual(Object.keys(outbox.items[0]).sort(), [
        'channel',
        'code',
        'createdAt',
        'purpose',
        'status',
        'text',
        'to',
      ]);
    });

    test('the gateway adapter retries with backoff and keeps no copy of the text once delivered', async () => {
      await enqueue('13900000001', 'code 654321', '654321');
      failing.add('13900000001');
      const adapter = httpGatewayAdapter(gatewayUrl);
      await deliverDueMessages(t.db.handle.kysely, adapter, () => t.clock.nowMs());
      let row = await t.db.handle.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', '13900000001')
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 1);
      assert.ok(row.next_attempt_at_ms > t.clock.nowMs());
      // Not due yet: nothing is sent.
      await deliverDueMessages(t.db.handle.kysely, adapter, () => t.clock.nowMs());
      assert.equal(received.filter((m) => m.to === '13900000001').length, 0);
      await deliverDueMessages(t.db.handle.kysely, adapter, () => t.clock.nowMs() + 60_000);
      row = await t.db.handle.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', '13900000001')
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'delivered');
      assert.equal(row.code, null);
      assert.doesNotMatch(row.text, /654321/);
      assert.equal(received.filter((m) => m.to === '13900000001').length, 1);
    });

    test('gives up after the maximum number of attempts', async () => {
      await enqueue('13900000002', 'never');
      const adapter = httpGatewayAdapter(gatewayUrl);
      for (let i = 0; i < MAX_DELIVERY_ATTEMPTS + 2; i++) {
        failing.add('13900000002');
        await deliverDueMessages(t.db.handle.kysely, adapter, () => t.clock.nowMs() + (i + 1) * 4_000_000);
      }
      const row = await t.db.handle.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', '13900000002')
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'failed');
      assert.equal(row.attempts, MAX_DELIVERY_ATTEMPTS);
    });
  });
}
