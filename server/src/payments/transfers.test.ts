import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { setAccountStatus } from '../customers/index.ts';
import { transactionPage } from '../customers/overview.ts';
import type { Database } from '../database.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import type { AppError } from '../platform/errors.ts';
import { testConfig } from '../testing/app.ts';
import { createTestCustomer, latestCode, type TestCustomer } from '../testing/bank.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { issuePasswordCard, passwordCardDigits } from '../media/index.ts';
import type { CardCell } from '../media/password-card.ts';
import { settleDueTransfers } from './clearing.ts';
import { payeesOf } from './payees.ts';
import { transferById } from './store.ts';
import { authorizeTransfer, createTransfer, type NewTransfer } from './transfers.ts';

const config = testConfig({ JINKU_CLEARING_SETTLE_SECONDS: '120' });

for (const dialect of DIALECTS) {
  describe(`transfers [${dialect}]`, () => {
    let db: TestDatabase;
    let kysely: Kysely<Database>;
    let clock: Clock;
    const deps = () => ({ config, clock });
    before(async () => {
      db = await openTestDatabase(dialect);
      kysely = db.handle.kysely;
      clock = systemClock();
    });
    after(() => db.drop());

    const customer = (options: Parameters<typeof createTestCustomer>[2] = {}) =>
      createTestCustomer(kysely, deps(), options);
    const balance = async (accountId: string) => (await balancesOf(kysely, [accountId])).get(accountId)?.postedFen;
    const start = (input: NewTransfer) => withTransaction(kysely, (trx) => createTransfer(trx, deps(), input));
    const authorize = async (customerId: string, transferId: string, response: string) => {
      const result = await withTransaction(kysely, (trx) =>
        authorizeTransfer(trx, deps(), { customerId, transferId, method: 'sms', response }),
      );
      if (!result.ok) throw result.error;
      return result.transfer;
    };
    const toCustomer = (from: TestCustomer, to: TestCustomer, amountFen: number, name = to.name): NewTransfer => ({
      customerId: from.id,
      fromAccountId: from.accounts[0]!.id,
      payee: { name, accountNumber: to.accounts[0]!.card_number ?? '' },
      amountFen,
    });

    test('moves money between own accounts at once, with no challenge', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [50_000, 10_000] });
      const [a, b] = zhang.accounts as [(typeof zhang.accounts)[0], (typeof zhang.accounts)[0]];
      const transfer = await start({
        customerId: zhang.id,
        fromAccountId: a.id,
        payee: { name: '张伟', accountNumber: b.account_number },
        amountFen: 12_345,
      });
      assert.equal(transfer.status, 'completed');
      assert.equal(transfer.kind, 'own');
      assert.equal(await balance(a.id), 50_000 - 12_345);
      assert.equal(await balance(b.id), 10_000 + 12_345);
    });

    test('pays another customer after the SMS code bound to this payee and amount', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [50_000] });
      const li = await customer({ name: '李娜', balancesFen: [0] });
      const transfer = await start(toCustomer(zhang, li, 12_345));
      assert.equal(transfer.status, 'authorization_required');
      assert.equal(await balance(zhang.accounts[0]!.id), 50_000, 'nothing moves before authorisation');
      const sms = await kysely
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', zhang.mobile)
        .executeTakeFirstOrThrow();
      assert.match(sms.text, /123\.45/);
      assert.ok(
        sms.text.includes(li.accounts[0]!.card_number!.slice(-4)),
        'the SMS names the payee account’s last 4 digits',
      );
      const done = await authorize(zhang.id, transfer.id, await latestCode(kysely, zhang.mobile));
      assert.equal(done.status, 'completed');
      assert.equal(await balance(zhang.accounts[0]!.id), 50_000 - 12_345);
      assert.equal(await balance(li.accounts[0]!.id), 12_345);
      const payees = await payeesOf(kysely, zhang.id);
      assert.equal(payees[0]?.name, '李娜');
      assert.ok(payees[0]?.last_used_at_ms);
      await assert.rejects(authorize(zhang.id, transfer.id, '000000'), { code: 'payment.not_awaiting_authorization' });
      assert.deepEqual(await checkLedgerInvariants(kysely), []);
    });

    test('a code sent for one transfer does not confirm another', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [50_000] });
      const li = await customer({ name: '李娜', balancesFen: [0] });
      const first = await start(toCustomer(zhang, li, 100));
      const code = await latestCode(kysely, zhang.mobile);
      clock.advance(61_000);
      const second = await start(toCustomer(zhang, li, 40_000));
      await assert.rejects(
        authorize(zhang.id, second.id, code === (await latestCode(kysely, zhang.mobile)) ? 'x' : code),
        (error: AppError) => error.code === 'media.wrong_answer',
      );
      assert.equal((await transferById(kysely, second.id))?.status, 'authorization_required');
      assert.equal((await authorize(zhang.id, first.id, code)).status, 'completed');
    });

    test('checks the payee’s name against the account holder', async () => {
      const zhang = await customer({ name: '张伟' });
      const li = await customer({ name: '李娜' });
      await assert.rejects(start(toCustomer(zhang, li, 100, '李四')), { code: 'payment.payee_name_mismatch' });
    });

    test('refuses more than the available balance, and nothing is written', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [1_000] });
      const li = await customer({ name: '李娜' });
      await assert.rejects(start(toCustomer(zhang, li, 1_001)), { code: 'payment.insufficient_funds' });
      const rows = await kysely.selectFrom('transfer').select('id').where('customer_id', '=', zhang.id).execute();
      assert.equal(rows.length, 0);
    });

    test('a frozen account cannot pay but can be paid; an account under investigation cannot be paid', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [50_000] });
      const li = await customer({ name: '李娜', balancesFen: [50_000] });
      await withTransaction(kysely, (trx) => setAccountStatus(trx, deps(), li.accounts[0]!.id, 'frozen'));
      await assert.rejects(start(toCustomer(li, zhang, 100)), { code: 'payment.account_unavailable' });
      const toFrozen = await start(toCustomer(zhang, li, 100));
      assert.equal(
        (await authorize(zhang.id, toFrozen.id, await latestCode(kysely, zhang.mobile))).status,
        'completed',
      );
      await withTransaction(kysely, (trx) => setAccountStatus(trx, deps(), li.accounts[0]!.id, 'under_investigation'));
      await assert.rejects(start(toCustomer(zhang, li, 100)), { code: 'payment.payee_unavailable' });
    });

    test('a static-password customer may pay 300 yuan in total', async () => {
      const li = await customer({ name: '李娜', balancesFen: [2_000_000], sms: false });
      const zhang = await customer({ name: '张伟' });
      const first = await start(toCustomer(li, zhang, 20_000));
      await authorize(li.id, first.id, await latestCode(kysely, li.mobile));
      await assert.rejects(start(toCustomer(li, zhang, 10_001)), (error: AppError) => {
        assert.equal(error.code, 'payment.limit_exceeded');
        assert.equal(error.params.left, '100.00');
        return true;
      });
      clock.advance(2 * 86_400_000);
      await assert.rejects(
        start(toCustomer(li, zhang, 10_001)),
        { code: 'payment.limit_exceeded' },
        'not a daily limit',
      );
    });

    test('the daily limit holds when 20 payments are confirmed at once', async () => {
      // ¥5,000.01 is above what SMS may sign, so each asks the password card (tier: ¥50,000 a day).
      const zhang = await customer({ name: '张伟', balancesFen: [20_000_000] });
      const li = await customer({ name: '李娜' });
      const card = await withTransaction(kysely, (trx) => issuePasswordCard(trx, deps(), zhang.id));
      const started = [];
      for (let i = 0; i < 20; i++) started.push(await start(toCustomer(zhang, li, 500_001)));
      const answers = await Promise.all(
        started.map(async (transfer) => {
          const cells = (transfer.authorization!.challenge as { cells: CardCell[] }).cells;
          const digits = (await passwordCardDigits(kysely, deps(), card.serial, cells)) as string;
          // A refusal by the limits is thrown (nothing of the answer is kept); a wrong answer is returned.
          return withTransaction(kysely, (trx) =>
            authorizeTransfer(trx, deps(), {
              customerId: zhang.id,
              transferId: transfer.id,
              method: 'password_card',
              response: digits,
            }),
          ).catch((error: AppError) => ({ ok: false as const, error }));
        }),
      );
      const completed = answers.filter((a) => a.ok);
      const refused = answers.flatMap((a) => (a.ok ? [] : [a.error.code]));
      assert.equal(completed.length, 9, 'nine payments of ¥5,000.01 fit under ¥50,000, a tenth does not');
      assert.deepEqual([...new Set(refused)], ['payment.limit_exceeded']);
      assert.equal(await balance(zhang.accounts[0]!.id), 20_000_000 - 9 * 500_001);
      assert.deepEqual(await checkLedgerInvariants(kysely), []);
    });

    test('a transfer not confirmed within 5 minutes lapses', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [50_000] });
      const li = await customer({ name: '李娜' });
      const transfer = await start(toCustomer(zhang, li, 100));
      const code = await latestCode(kysely, zhang.mobile);
      clock.advance(301_000);
      await assert.rejects(authorize(zhang.id, transfer.id, code), { code: 'payment.authorization_expired' });
      assert.equal((await transferById(kysely, transfer.id))?.status, 'expired');
    });

    test('another bank’s payment waits for clearing, then settles or comes back', async () => {
      const zhang = await customer({ name: '张伟', balancesFen: [50_000] });
      const pay = async (accountNumber: string) => {
        const t = await start({
          customerId: zhang.id,
          fromAccountId: zhang.accounts[0]!.id,
          payee: { name: '赵六', accountNumber, bankCode: '102' },
          amountFen: 10_000,
        });
        clock.advance(61_000);
        return authorize(zhang.id, t.id, await latestCode(kysely, zhang.mobile));
      };
      const good = await pay('6212260000000001234');
      const bad = await pay('6212260000000010000');
      assert.equal(good.status, 'pending');
      assert.equal(await balance(zhang.accounts[0]!.id), 30_000);
      assert.equal(await settleDueTransfers(kysely, deps()), 0, 'nothing is due before the delay');
      clock.advance(121_000);
      assert.equal(await settleDueTransfers(kysely, deps()), 2);
      assert.equal((await transferById(kysely, good.id))?.status, 'completed');
      const returned = await transferById(kysely, bad.id);
      assert.equal(returned?.status, 'returned');
      assert.equal(returned?.reason_code, 'clearing.account_does_not_exist');
      assert.equal(await balance(zhang.accounts[0]!.id), 40_000, 'the returned payment is credited back');
      // The history offers the receipt of the settled payment only: a returned one has none to give.
      const history = await transactionPage(kysely, zhang.id, zhang.accounts[0]!.id, { direction: 'out' });
      const receiptOf = (id: string) => history.items.find((item) => item.serial === id)?.transferId;
      assert.equal(receiptOf(good.id), good.id);
      assert.equal(receiptOf(bad.id), null);
      assert.deepEqual(await checkLedgerInvariants(kysely), []);
    });
  });
}
