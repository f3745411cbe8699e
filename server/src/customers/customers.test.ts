import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Tx } from '../database.ts';
import { nextChinaMidnightMs } from '../platform/business-day.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { testConfig } from '../testing/app.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { makeResidentId } from './resident-id.ts';
import { checkCardPin, createCustomer, idNumberHmac, openAccount } from './service.ts';
import { accountBy, customerById } from './store.ts';

const config = testConfig();

for (const dialect of DIALECTS) {
  describe(`customers and accounts [${dialect}]`, () => {
    let db: TestDatabase;
    let clock: Clock;
    before(async () => {
      db = await openTestDatabase(dialect);
      clock = systemClock();
    });
    after(() => db.drop());
    const deps = () => ({ config, clock });
    const tx = <T>(fn: (trx: Tx) => Promise<T>) => withTransaction(db.handle.kysely, fn);

    test('registers a customer without storing the full ID number', async () => {
      const idNumber = makeResidentId('110105', '19880512', '123');
      const id = await tx((trx) =>
        createCustomer(trx, deps(), { name: '赵敏', idNumber, mobile: '13900000011', branchCode: '0001' }),
      );
      const row = await customerById(db.handle.kysely, id);
      assert.ok(row);
      assert.equal(row.birth_date, '1988-05-12');
      assert.equal(row.sex, 'male');
      assert.equal(row.id_number_hmac, idNumberHmac(config.secret, idNumber));
      assert.ok(!JSON.stringify(row).includes(idNumber), 'the full ID number is not stored');
    });

    test('refuses a bad ID number, a reused ID number and a reused mobile', async () => {
      const idNumber = makeResidentId('110105', '19900101', '221');
      const create = (id: string, mobile: string) =>
        tx((trx) => createCustomer(trx, deps(), { name: '钱七', idNumber: id, mobile, branchCode: '0001' }));
      await assert.rejects(
        create(`${idNumber.slice(0, 17)}0`.replace(/.$/, idNumber.endsWith('0') ? '1' : '0'), '13900000021'),
        {
          code: 'customer.id_number_invalid',
        },
      );
      await create(idNumber, '13900000021');
      await assert.rejects(create(idNumber, '13900000022'), { code: 'customer.id_number_taken' });
      await assert.rejects(create(makeResidentId('110105', '19900101', '231'), '13900000021'), {
        code: 'customer.mobile_taken',
      });
      await assert.rejects(create(makeResidentId('110105', '19900101', '241'), '1390000002'), {
        code: 'customer.mobile_invalid',
      });
    });

    test('opens accounts with valid, unique card and account numbers', async () => {
      const customerId = await tx((trx) =>
        createCustomer(trx, deps(), {
          name: '孙八',
          idNumber: makeResidentId('320102', '19750303', '315'),
          mobile: '13900000031',
          branchCode: '0001',
        }),
      );
      const numbers = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const account = await tx((trx) =>
          openAccount(trx, deps(), {
            customerId,
            kind: 'debit_card',
            branchCode: '0001',
            withCard: true,
            pin: '246810',
          }),
        );
        assert.ok(account.card_number?.startsWith(config.bankCardPrefix));
        numbers.add(account.card_number ?? '');
        numbers.add(account.account_number);
        const found = await accountBy(db.handle.kysely, 'card_number', account.card_number ?? '');
        assert.equal(found?.id, account.id);
      }
      assert.equal(numbers.size, 10);
    });

    test('blocks the card PIN for the rest of the day after 3 wrong PINs', async () => {
      const customerId = await tx((trx) =>
        createCustomer(trx, deps(), {
          name: '周九',
          idNumber: makeResidentId('320102', '19750303', '335'),
          mobile: '13900000041',
          branchCode: '0001',
        }),
      );
      const account = await tx((trx) =>
        openAccount(trx, deps(), { customerId, kind: 'debit_card', branchCode: '0001', withCard: true, pin: '135790' }),
      );
      const check = (pin: string) => tx((trx) => checkCardPin(trx, deps(), account.id, pin));
      assert.deepEqual(await check('000000'), { ok: false, reason: 'wrong', failuresLeft: 2 });
      assert.deepEqual(await check('135790'), { ok: true }, 'a right PIN resets the count');
      await check('000000');
      await check('000001');
      assert.deepEqual(await check('000002'), { ok: false, reason: 'blocked', failuresLeft: 0 });
      assert.deepEqual(await check('135790'), { ok: false, reason: 'blocked', failuresLeft: 0 }, 'even the right PIN');
      clock.advance(nextChinaMidnightMs(clock.nowMs()) - clock.nowMs() + 1000);
      assert.deepEqual(await check('135790'), { ok: true }, 'unblocked the next day');
    });

    test('refuses a PIN that is not 6 digits', async () => {
      const customer = await tx((trx) =>
        createCustomer(trx, deps(), {
          name: '吴十',
          idNumber: makeResidentId('320102', '19750303', '355'),
          mobile: '13900000051',
          branchCode: '0001',
        }),
      );
      await assert.rejects(
        tx((trx) =>
          openAccount(trx, deps(), {
            customerId: customer,
            kind: 'debit_card',
            branchCode: '0001',
            withCard: true,
            pin: '12345',
          }),
        ),
        (error: unknown) => error instanceof AppError && error.code === 'account.pin_format',
      );
    });
  });
}
