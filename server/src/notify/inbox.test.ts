import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { liftLoginLock } from '../auth/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { money } from '../platform/money.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { postInboxMessage } from './inbox.ts';

type Message = { id: string; kind: string; category: string; title: string; body: string; read: boolean };
type Page = { items: Message[]; nextCursor: string | null; unreadCount: number };

for (const dialect of DIALECTS) {
  describe(`message centre [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    const customer = (options: Parameters<typeof createTestCustomer>[2] = {}) =>
      createTestCustomer(t.db.handle.kysely, { config: t.ctx.config, clock: t.clock }, options);
    const messages = async (client: TestClient, query = '', lang = 'zh-CN'): Promise<Page> =>
      json(await client.get(`/api/v1/messages${query}`, { 'accept-language': lang }));
    let keys = 0;
    const transfer = async (
      client: TestClient,
      from: TestCustomer,
      to: { name: string; number: string },
      fen: number,
    ) => {
      const created = json(
        await client.post(
          '/api/v1/transfers',
          {
            fromAccountId: from.accounts[0]!.id,
            payee: { name: to.name, accountNumber: to.number },
            amount: money(fen),
          },
          { 'idempotency-key': `inbox-${dialect}-${++keys}` },
        ),
      );
      if (created.status !== 'authorization_required') return created;
      const code = await latestCode(t.db.handle.kysely, from.mobile);
      return json(await client.post(`/api/v1/transfers/${created.id}/authorize`, { method: 'sms', response: code }));
    };

    test('a transfer to another customer tells both: money out for the payer, money in for the payee', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [5_000_000] });
      const li = await customer({ name: '李娜', balancesFen: [2_000_000] });
      const payer = await signedInClient(t, zhang);
      const payee = await signedInClient(t, li);
      const done = await transfer(payer, zhang, { name: '李娜', number: li.accounts[0]!.card_number! }, 12_345);
      assert.equal(done.status, 'completed');

      const out = (await messages(payer)).items.find((m) => m.kind === 'balance.debit');
      assert.ok(out, 'the payer has a 动账通知 of money out');
      assert.equal(out.title, '动账通知');
      assert.equal(out.category, 'balance');
      assert.match(out.body, new RegExp(`尾号 ${zhang.accounts[0]!.card_number!.slice(-4)}`));
      assert.match(out.body, /支出人民币 123\.45 元（转账，对方 李\*）/);
      assert.match(out.body, /可用余额 49,876\.55 元/);
      assert.match(out.body, /李\*/);
      assert.equal(out.read, false);

      const inbox = await messages(payee);
      const credit = inbox.items.find((m) => m.kind === 'balance.credit');
      assert.ok(credit, 'the payee has a 动账通知 of money in');
      assert.match(credit.body, /收入人民币 123\.45 元（转账，对方 张\*）/);
      assert.match(credit.body, /可用余额 20,123\.45 元/);
      assert.match(credit.body, /张\*/);
      // Nobody else's money shows in the payee's centre.
      assert.equal(
        inbox.items.some((m) => m.kind === 'balance.debit'),
        false,
      );

      const english = (await messages(payer, '', 'en')).items.find((m) => m.kind === 'balance.debit');
      assert.equal(english?.title, 'Balance change');
      assert.match(
        english?.body ?? '',
        /paid out CNY 123\.45 at .+ \(transfer, to 李\*\)\. Available balance: CNY 49,876\.55\./,
      );
    });

    test('an own-account transfer tells of both accounts in one customer centre', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [50_000, 10_000] });
      const client = await signedInClient(t, zhang);
      const done = await transfer(client, zhang, { name: '张伟', number: zhang.accounts[1]!.card_number! }, 8_800);
      assert.equal(done.status, 'completed');
      const kinds = (await messages(client)).items.filter((m) => m.category === 'balance');
      assert.deepEqual(kinds.map((m) => m.kind).sort(), ['balance.credit', 'balance.debit']);
      assert.match(kinds.find((m) => m.kind === 'balance.credit')!.body, /余额 188\.00 元/);
    });

    test('a sign-in on a new device, a lock and its lifting each leave a message', async () => {
      const wang = await customer({ name: '王芳' });
      const client = await signedInClient(t, wang);
      const first = await messages(client);
      const device = first.items.find((m) => m.kind === 'auth.new_device');
      assert.ok(device);
      assert.equal(device.title, '新设备登录');
      assert.equal(device.category, 'security');

      // Five wrong passwords from another browser lock the login.
      for (let i = 0; i < t.ctx.config.loginMaxFailures; i++) {
        const { captchaId } = json(await client.get('/api/v1/auth/captcha'));
        const { answer } = json(await client.get(`/api/v1/dev/captcha/${captchaId}`));
        await client.post('/api/v1/auth/login', {
          identifier: wang.mobile,
          password: 'Wrong2026x',
          channel: 'web',
          captchaId,
          captchaAnswer: answer,
        });
      }
      const locked = (await messages(client)).items.find((m) => m.kind === 'auth.locked');
      assert.ok(locked, 'the lock is in the message centre');
      assert.match(locked.body, new RegExp(`${t.ctx.config.loginMaxFailures} 次`));

      await withTransaction(t.db.handle.kysely, (trx) => liftLoginLock(trx, t.ctx, wang.id));
      const unlocked = (await messages(client)).items.find((m) => m.kind === 'auth.unlocked');
      assert.ok(unlocked, 'the unlock is in the message centre');
      // Lifting a lock that is not in force says nothing.
      const count = (await messages(client)).items.length;
      await withTransaction(t.db.handle.kysely, (trx) => liftLoginLock(trx, t.ctx, wang.id));
      assert.equal((await messages(client)).items.length, count);
    });

    test('a message exists only if the event that caused it commits', async () => {
      const fang = await customer({ name: '方圆' });
      await assert.rejects(
        withTransaction(t.db.handle.kysely, async (trx) => {
          await postInboxMessage(trx, { customerId: fang.id, kind: 'auth.unlocked', params: {} }, t.clock.nowMs());
          throw new Error('rolled back');
        }),
      );
      const client = await signedInClient(t, fang);
      assert.equal(
        (await messages(client)).items.some((m) => m.kind === 'auth.unlocked'),
        false,
      );
    });

    test('pages newest first by cursor, counts unread, reads one and all; another customer cannot read it', async () => {
      const he = await customer({ name: '何平' });
      const client = await signedInClient(t, he);
      for (let i = 0; i < 5; i++) {
        t.clock.advance(1000);
        await withTransaction(t.db.handle.kysely, (trx) =>
          postInboxMessage(
            trx,
            { customerId: he.id, kind: 'media.added', params: { medium: 'passkey', serial: `S${i}` } },
            t.clock.nowMs(),
          ),
        );
      }
      const all = await messages(client);
      const total = all.items.length;
      assert.equal(all.unreadCount, total);
      assert.match(all.items[0]!.body, /S4/, 'newest first');

      const first = await messages(client, '?limit=2');
      assert.equal(first.items.length, 2);
      assert.ok(first.nextCursor);
      const second = await messages(client, `?limit=2&cursor=${first.nextCursor}`);
      assert.deepEqual(
        [...first.items, ...second.items].map((m) => m.id),
        all.items.slice(0, 4).map((m) => m.id),
      );
      const bad = await client.get('/api/v1/messages?cursor=bm90LWEtY3Vyc29y');
      assert.equal(bad.statusCode, 400);
      assert.equal(json(bad).code, 'request.invalid');

      const target = all.items[0]!;
      const read = await client.post(`/api/v1/messages/${target.id}/read`);
      assert.equal(read.statusCode, 200);
      assert.equal(json(read).unreadCount, total - 1);
      // Reading it again changes nothing.
      assert.equal(json(await client.post(`/api/v1/messages/${target.id}/read`)).unreadCount, total - 1);
      assert.equal((await messages(client)).items[0]!.read, true);

      const stranger = await signedInClient(t, await customer({ name: '陌生人' }));
      const refused = await stranger.post(`/api/v1/messages/${target.id}/read`);
      assert.equal(refused.statusCode, 404);
      assert.equal(json(refused).code, 'message.not_found');
      assert.equal(
        (await messages(stranger)).items.some((m) => m.id === target.id),
        false,
      );

      const unread = json(await client.get('/api/v1/messages/unread'));
      assert.equal(unread.unreadCount, total - 1);
      assert.equal(unread.latestId, target.id);
      assert.equal(json(await client.post('/api/v1/messages/read-all')).unreadCount, 0);
      assert.equal((await messages(client)).unreadCount, 0);
    });

    test('the routes need a signed-in customer', async () => {
      for (const url of ['/api/v1/messages', '/api/v1/messages/unread', '/api/v1/messages/events']) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 401, url);
      }
    });

    test('the event stream sends the unread count at once and again when a message arrives', async () => {
      const lu = await customer({ name: '卢强' });
      const client = await signedInClient(t, lu);
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const controller = new AbortController();
      try {
        const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        const response = await fetch(`${address}/api/v1/messages/events`, {
          headers: { cookie },
          signal: controller.signal,
        });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let text = '';
        const nextEvent = async () => {
          while (!/event: unread\ndata: .*\n\n/.test(text)) {
            const { value, done } = await reader.read();
            if (done) throw new Error('stream ended');
            text += decoder.decode(value);
          }
          const match = /event: unread\ndata: (.*)\n\n/.exec(text)!;
          text = text.slice(match.index + match[0].length);
          return JSON.parse(match[1]!) as { unreadCount: number; latestId: string | null };
        };
        const initial = await nextEvent();
        await withTransaction(t.db.handle.kysely, (trx) =>
          postInboxMessage(trx, { customerId: lu.id, kind: 'auth.unlocked', params: {} }, t.clock.nowMs()),
        );
        const changed = await nextEvent();
        assert.equal(changed.unreadCount, initial.unreadCount + 1);
        assert.notEqual(changed.latestId, initial.latestId);
      } finally {
        controller.abort();
      }
    });
  });
}
