import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCustomer, makeResidentId } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { testConfig } from '../testing/app.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { smsText } from '../notify/index.ts';
import type { AppError } from '../platform/errors.ts';
import { issueSmsOtp, verifySmsOtp } from './sms-otp.ts';

const config = testConfig();

for (const dialect of DIALECTS) {
  describe(`SMS one-time codes [${dialect}]`, () => {
    let db: TestDatabase;
    let clock: Clock;
    let customerId: string;
    let mobileSeq = 10;
    before(async () => {
      db = await openTestDatabase(dialect);
      clock = systemClock();
      customerId = await tx((trx) =>
        createCustomer(trx, deps(), {
          name: '测试',
          idNumber: makeResidentId('110105', '19800101', '111'),
          mobile: '13700000001',
          branchCode: '0001',
        }),
      );
    });
    after(() => db.drop());
    const deps = () => ({ config, clock });
    const tx = <T>(fn: (trx: Tx) => Promise<T>) => withTransaction(db.handle.kysely, fn);
    const newMobile = () => `137000000${String(mobileSeq++).padStart(2, '0')}`;

    async function issue(mobile: string, binding = 'transfer:abc') {
      const issued = await tx((trx) =>
        issueSmsOtp(trx, deps(), {
          customerId,
          mobile,
          purpose: 'transfer.otp',
          binding,
          text: (code, minutes) =>
            smsText('transfer.otp', { code, minutes, payeeLast4: '1234', payeeName: '王五', amount: '123.45' }),
        }),
      );
      const message = await db.handle.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', mobile)
        .orderBy('created_at_ms', 'desc')
        .executeTakeFirstOrThrow();
      return { ...issued, code: message.code ?? '', text: message.text };
    }
    const verify = (otpId: string, code: string, binding = 'transfer:abc', purpose = 'transfer.otp') =>
      tx((trx) => verifySmsOtp(trx, deps(), { otpId, customerId, purpose, binding, code }));

    test('a code works once, for what it was sent for, and the SMS says what that is', async () => {
      const { otpId, code, text, maskedMobile } = await issue(newMobile());
      assert.match(code, /^\d{6}$/);
      assert.match(text, /123\.45/);
      assert.match(text, /5 分钟内有效/, "the text states the code's real lifetime");
      assert.match(maskedMobile, /^137\*{4}\d{4}$/);
      assert.deepEqual(await verify(otpId, code, 'transfer:other'), { ok: false, reason: 'expired', triesLeft: 0 });
      assert.deepEqual(await verify(otpId, code, 'transfer:abc', 'login.otp'), {
        ok: false,
        reason: 'expired',
        triesLeft: 0,
      });
      assert.deepEqual(await verify(otpId, code), { ok: true });
      assert.deepEqual(await verify(otpId, code), { ok: false, reason: 'used', triesLeft: 0 });
      const stored = await db.handle.kysely
        .selectFrom('sms_otp')
        .selectAll()
        .where('id', '=', otpId)
        .executeTakeFirst();
      assert.ok(!JSON.stringify(stored).includes(code), 'the code is not stored in clear');
    });

    test('five wrong codes use the code up', async () => {
      const { otpId, code } = await issue(newMobile());
      const wrong = code === '000000' ? '000001' : '000000';
      for (let left = 4; left >= 1; left--)
        assert.deepEqual(await verify(otpId, wrong), { ok: false, reason: 'wrong', triesLeft: left });
      assert.deepEqual(await verify(otpId, wrong), { ok: false, reason: 'too_many', triesLeft: 0 });
      assert.deepEqual(await verify(otpId, code), { ok: false, reason: 'too_many', triesLeft: 0 });
    });

    test('a code expires after 5 minutes', async () => {
      const { otpId, code } = await issue(newMobile());
      clock.advance(301_000);
      assert.deepEqual(await verify(otpId, code), { ok: false, reason: 'expired', triesLeft: 0 });
    });

    test('a new code for the same thing waits a minute; a code for something else does not', async () => {
      const mobile = newMobile();
      await issue(mobile, 'transfer:one');
      await assert.rejects(issue(mobile, 'transfer:one'), { code: 'media.sms_too_soon' });
      const other = await issue(mobile, 'transfer:two');
      assert.match(other.code, /^\d{6}$/);
      clock.advance(61_000);
      const again = await issue(mobile, 'transfer:one');
      assert.match(again.code, /^\d{6}$/);
    });

    test('a burst of codes to one mobile is capped', async () => {
      const mobile = newMobile();
      for (let i = 0; i < 10; i++) await issue(mobile, `transfer:burst${i}`);
      clock.advance(120_000);
      const refused = await issue(mobile, 'transfer:burst-extra').then(
        () => assert.fail('the eleventh code in ten minutes is refused'),
        (error: AppError) => error,
      );
      assert.equal(refused.code, 'media.sms_burst_cap', 'says too many codes were sent, not "wait a minute"');
      const retryAfterSeconds = Number(refused.extensions.retryAfterSeconds);
      // When the first code of the burst is ten minutes old (the clock also runs in real time meanwhile).
      assert.ok(retryAfterSeconds > 470 && retryAfterSeconds <= 480, `retry after ${retryAfterSeconds} s`);
      assert.match(String(refused.params.time), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      clock.advance(460_000);
      await assert.rejects(issue(mobile, 'transfer:burst-extra'), { code: 'media.sms_burst_cap' });
      clock.advance(21_000);
      assert.match((await issue(mobile, 'transfer:burst-extra')).code, /^\d{6}$/);
    });
  });
}
