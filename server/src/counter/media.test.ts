import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { passwordCardDigits, tierOf as mediumTier } from '../media/index.ts';
import { limitsOf } from '../payments/limits.ts';
import { newId } from '../platform/ids.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import type { TestClient } from '../testing/client.ts';
import { DIALECTS } from '../testing/database.ts';
import { pdfText } from '../testing/pdf-text.ts';
import { createTestStaff, staffClient } from './test-support.ts';

for (const dialect of DIALECTS) {
  describe(`counter security media [${dialect}]`, () => {
    let t: TestApp;
    let teller: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      teller = await staffClient(t, await createTestStaff(t, 'teller'));
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    /** The loss SMS texts queued for a mobile (media.reported_lost). */
    const lossTexts = (mobile: string) =>
      db()
        .selectFrom('outbox')
        .select('text')
        .where('recipient', '=', mobile)
        .where('purpose', '=', 'media.reported_lost')
        .execute();
    const statusOf = (mediumId: string) =>
      db().selectFrom('security_medium').select('status').where('id', '=', mediumId).executeTakeFirstOrThrow();
    /** A static-password customer holding a payment password (as 李娜 does). */
    async function staticCustomer() {
      const customer = await createTestCustomer(db(), deps(), { name: '李娜', sms: false });
      const nowMs = t.clock.nowMs();
      await db()
        .insertInto('security_medium')
        .values({
          id: newId<'Medium'>(),
          customer_id: customer.id,
          kind: 'payment_password',
          status: 'active',
          serial: null,
          secret_sealed: null,
          uses_left: null,
          wrong_in_row: 0,
          last_step: null,
          created_at_ms: nowMs,
          updated_at_ms: nowMs,
        })
        .execute();
      return customer;
    }
    const tierOf = async (customerId: string) =>
      json(await teller.get(`/api/v1/counter/customers/${customerId}`)).media;

    test('a password card lifts a static-password customer to its tier, voids the payment password, and prints once', async () => {
      const customer = await staticCustomer();
      assert.equal((await tierOf(customer.id)).tier, 'static');
      const issued = await teller.post(`/api/v1/counter/customers/${customer.id}/media`, { kind: 'password_card' });
      assert.equal(issued.statusCode, 201, issued.body);
      const card = json(issued);
      assert.equal(card.kind, 'password_card');
      assert.equal(card.status, 'active');
      assert.match(card.serial, /^PC\d{10}$/);
      const media = await tierOf(customer.id);
      assert.equal(media.tier, 'password_card');
      assert.equal(media.items.find((m: { kind: string }) => m.kind === 'payment_password').status, 'revoked');

      const first = await teller.get(`/api/v1/counter/media/${card.id}/card.pdf`);
      assert.equal(first.statusCode, 200, first.body);
      const text = await pdfText(first.rawPayload);
      const b7 = await passwordCardDigits(db(), deps(), card.serial, ['B7']);
      assert.ok(text.includes(card.serial) && text.includes('李娜'));
      assert.ok(b7 && text.includes(b7), 'the grid is printed');
      const second = await teller.get(`/api/v1/counter/media/${card.id}/card.pdf`);
      assert.equal(second.statusCode, 410);
      assert.equal(json(second).code, 'counter.card_printed');
      const kinds = (
        await db()
          .selectFrom('audit_log')
          .select('kind')
          .where('subject_id', '=', customer.id)
          .where('actor_type', '=', 'staff')
          .execute()
      ).map((row) => row.kind);
      assert.deepEqual(kinds.sort(), ['counter.media.card_print', 'counter.media.issue']);
    });

    test('an e-password device by serial (a serial once only), a U-shield issued, revoking one', async () => {
      const customer = await staticCustomer();
      const serial = `ET${Date.now() % 100_000_000}`.padEnd(10, '7');
      const device = await teller.post(`/api/v1/counter/customers/${customer.id}/media`, { kind: 'e_token', serial });
      assert.equal(json(device).serial, serial);
      assert.equal(json(device).status, 'active');
      const again = await teller.post(`/api/v1/counter/customers/${customer.id}/media`, { kind: 'e_token', serial });
      assert.equal(again.statusCode, 409);
      assert.equal(json(again).code, 'counter.serial_taken');

      const shield = json(await teller.post(`/api/v1/counter/customers/${customer.id}/media`, { kind: 'u_shield' }));
      assert.equal(shield.status, 'issued');
      assert.equal(
        (await tierOf(customer.id)).items.find((m: { kind: string }) => m.kind === 'payment_password').status,
        'revoked',
      );
      // Issue 15: a U-shield lifts a static-password customer out of the ¥300 lifetime limit at once, before
      // its certificate is downloaded (the payment password it voided no longer pays). One who holds an
      // active medium (here the e-password device) keeps its tier until the U-shield is active.
      assert.equal((await tierOf(customer.id)).tier, 'e_token');
      const onlyStatic = await staticCustomer();
      await teller.post(`/api/v1/counter/customers/${onlyStatic.id}/media`, { kind: 'u_shield' });
      const lifted = await tierOf(onlyStatic.id);
      assert.equal(lifted.tier, 'u_shield');
      assert.equal(lifted.items.find((m: { kind: string }) => m.kind === 'payment_password').status, 'revoked');
      const limits = await limitsOf(db(), t.ctx.config, onlyStatic.id, await mediumTier(db(), onlyStatic.id));
      assert.equal(limits.lifetimeFen, null);
      assert.ok(limits.perPaymentFen > 30_000);

      const revoked = await teller.post(`/api/v1/counter/media/${json(device).id}/revoke`, { reason: 'lost' });
      assert.equal(json(revoked).status, 'completed');
      const row = await statusOf(json(device).id);
      assert.equal(row.status, 'lost', "reported lost at the counter, the medium is 'lost' (API.md)");
      // The customer is told by SMS as when they report it lost online (media/service.ts reportLost).
      const told = await lossTexts(customer.mobile);
      assert.equal(told.length, 1);
      assert.ok(told[0]!.text.includes(serial), told[0]!.text);
      const returned = await teller.post(`/api/v1/counter/media/${shield.id}/revoke`, { reason: 'returned' });
      assert.equal(json(returned).status, 'completed');
      const shieldRow = await statusOf(shield.id);
      assert.equal(shieldRow.status, 'revoked', 'returned or damaged: revoked, and no SMS');
      const op = await db()
        .selectFrom('counter_operation')
        .selectAll()
        .where('id', '=', json(revoked).operationId)
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(op.params).reason, 'lost');
      assert.equal((await teller.post(`/api/v1/counter/media/${newId()}/revoke`, { reason: 'lost' })).statusCode, 404);
      const receipt = await teller.get(`/api/v1/counter/receipts/${json(revoked).operationId}.pdf`);
      assert.ok((await pdfText(receipt.rawPayload)).includes(serial));
    });

    test('unlocks a medium that wrong answers locked; under investigation only after a supervisor approves', async () => {
      const customer = await staticCustomer();
      const card = json(await teller.post(`/api/v1/counter/customers/${customer.id}/media`, { kind: 'password_card' }));
      const status = async () =>
        await db().selectFrom('security_medium').selectAll().where('id', '=', card.id).executeTakeFirstOrThrow();
      const lock = () =>
        db()
          .updateTable('security_medium')
          .set({ status: 'locked', wrong_in_row: 5 })
          .where('id', '=', card.id)
          .execute();
      await lock();
      const unlocked = await teller.post(`/api/v1/counter/media/${card.id}/unlock`, {});
      assert.equal(json(unlocked).status, 'completed', unlocked.body);
      assert.equal((await status()).status, 'active');
      assert.equal((await status()).wrong_in_row, 0);
      const receipt = await teller.get(`/api/v1/counter/receipts/${json(unlocked).operationId}.pdf`);
      assert.ok((await pdfText(receipt.rawPayload)).includes(card.serial));

      await lock();
      await db().updateTable('customer').set({ status: 'under_investigation' }).where('id', '=', customer.id).execute();
      const waiting = await teller.post(`/api/v1/counter/media/${card.id}/unlock`, {});
      assert.equal(waiting.statusCode, 202, waiting.body);
      assert.equal((await status()).status, 'locked', 'no effect before approval');
      const supervisor = await staffClient(t, await createTestStaff(t, 'supervisor'));
      const approved = await supervisor.post(`/api/v1/counter/approvals/${json(waiting).approvalId}/approve`, {});
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal((await status()).status, 'active');

      await teller.post(`/api/v1/counter/media/${card.id}/revoke`, { reason: 'damaged' });
      await db().updateTable('customer').set({ status: 'active' }).where('id', '=', customer.id).execute();
      await teller.post(`/api/v1/counter/media/${card.id}/unlock`, {});
      assert.equal((await status()).status, 'revoked', 'a revoked medium stays revoked');
    });

    test('reissues a damaged card and a lost e-password device: the old one revoked, a new one of its kind', async () => {
      const customer = await staticCustomer();
      const card = json(await teller.post(`/api/v1/counter/customers/${customer.id}/media`, { kind: 'password_card' }));
      const again = await teller.post(`/api/v1/counter/media/${card.id}/reissue`, { reason: 'damaged' });
      assert.equal(again.statusCode, 201, again.body);
      const fresh = json(again);
      assert.equal(fresh.kind, 'password_card');
      assert.notEqual(fresh.serial, card.serial);
      const statuses = Object.fromEntries(
        (
          await db()
            .selectFrom('security_medium')
            .select(['id', 'status'])
            .where('customer_id', '=', customer.id)
            .execute()
        ).map((row) => [row.id, row.status]),
      );
      assert.equal(statuses[card.id], 'revoked');
      assert.equal(statuses[fresh.id], 'active');
      const receipt = await pdfText((await teller.get(`/api/v1/counter/receipts/${fresh.operationId}.pdf`)).rawPayload);
      assert.ok(receipt.includes(card.serial) && receipt.includes(fresh.serial), 'the receipt names both cards');

      const serial = `ET${Date.now() % 100_000_000}`.padEnd(10, '3');
      const device = json(
        await teller.post(`/api/v1/counter/customers/${customer.id}/media`, { kind: 'e_token', serial }),
      );
      const noSerial = await teller.post(`/api/v1/counter/media/${device.id}/reissue`, { reason: 'lost' });
      assert.equal(json(noSerial).code, 'counter.serial_required');
      // Another last digit than the old serial's (which may itself end in 4, as ET25996064 did).
      const newSerial = serial.slice(0, -1) + (serial.endsWith('4') ? '5' : '4');
      const replaced = json(
        await teller.post(`/api/v1/counter/media/${device.id}/reissue`, { reason: 'lost', serial: newSerial }),
      );
      assert.equal(replaced.serial, newSerial);
      assert.equal(replaced.kind, 'e_token');
      const lostRow = await statusOf(device.id);
      assert.equal(lostRow.status, 'lost', "a device replaced because it was lost is 'lost', not merely revoked");
      const told = await lossTexts(customer.mobile);
      assert.equal(told.length, 1, 'the customer is told by SMS that the lost device was stopped');
      assert.ok(told[0]!.text.includes(serial), told[0]!.text);
    });
  });
}
