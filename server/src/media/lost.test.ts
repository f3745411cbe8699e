import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { signedInClient } from '../testing/session.ts';
import { issueEToken, issuePasswordCard, passwordCardDigits } from './register.ts';
import type { MediaList } from './schema.ts';

for (const dialect of DIALECTS) {
  describe(`reporting a medium lost [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const deps = () => ({ config: t.ctx.config, clock: t.clock });

    test('a card reported lost stops at once: its open challenge is refused, payments ask the device, SMS and audit say so', async () => {
      const zhang = await createTestCustomer(t.db.handle.kysely, deps(), { name: '张伟', balancesFen: [5_000_000] });
      const li = await createTestCustomer(t.db.handle.kysely, deps(), { name: '李娜' });
      const card = await withTransaction(t.db.handle.kysely, (trx) => issuePasswordCard(trx, deps(), zhang.id));
      await withTransaction(t.db.handle.kysely, (trx) => issueEToken(trx, deps(), zhang.id));
      const client = await signedInClient(t, zhang);
      const pay = async () =>
        json(
          await client.post('/api/v1/transfers', {
            fromAccountId: zhang.accounts[0]!.id,
            payee: { name: '李娜', accountNumber: li.accounts[0]!.account_number },
            amount: { amount: '8000.00', currency: 'CNY' },
          }),
        );
      const open = await pay();
      assert.equal(open.authorization.method, 'password_card');
      const digits = (await passwordCardDigits(
        t.db.handle.kysely,
        deps(),
        card.serial,
        open.authorization.challenge.cells,
      ))!;

      const media = json<MediaList>(await client.post(`/api/v1/security/media/${card.mediumId}/lost`, {}));
      assert.equal(media.items.find((m) => m.id === card.mediumId)?.status, 'lost');
      const late = await client.post(`/api/v1/transfers/${open.id}/authorize`, {
        method: 'password_card',
        response: digits,
      });
      assert.equal(json(late).code, 'media.locked', 'whoever found the card cannot sign with it');
      assert.equal((await pay()).authorization.method, 'e_token');

      const notice = await t.db.handle.kysely
        .selectFrom('outbox')
        .select('text')
        .where('recipient', '=', zhang.mobile)
        .where('purpose', '=', 'media.reported_lost')
        .execute();
      assert.equal(notice.length, 1);
      assert.ok(notice[0]!.text.includes(card.serial));
      const audit = await t.db.handle.kysely
        .selectFrom('audit_log')
        .select('kind')
        .where('subject_id', '=', card.mediumId)
        .execute();
      assert.deepEqual(
        audit.map((a) => a.kind),
        ['media.reported_lost'],
      );
      // Reporting again changes nothing; another customer cannot report it; SMS is not a thing one loses.
      assert.equal((await client.post(`/api/v1/security/media/${card.mediumId}/lost`, {})).statusCode, 200);
      const liClient = await signedInClient(t, li);
      assert.equal((await liClient.post(`/api/v1/security/media/${card.mediumId}/lost`, {})).statusCode, 404);
      const sms = media.items.find((m) => m.kind === 'sms');
      if (sms) assert.equal((await client.post(`/api/v1/security/media/${sms.id}/lost`, {})).statusCode, 404);
    });
  });
}
