import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AccountRow, type CustomerId, createCustomer, makeResidentId, openAccount } from '../customers/index.ts';
import type { Database } from '../database.ts';
import { bankAccountId, ensureBankAccounts, postEntry, vaultCode } from '../ledger/index.ts';
import { registerSmsMedium } from '../media/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { setEcommerce } from '../merchants/index.ts';

export const TEST_BRANCH = '0001';

export type TestCustomer = { id: CustomerId; name: string; mobile: string; accounts: AccountRow[] };

let mobileCounter = randomInt(1_000_000);

/** A fresh, unused mobile number for a test customer. */
export function testMobile(): string {
  mobileCounter = (mobileCounter + 1) % 100_000_000;
  return `159${String(mobileCounter).padStart(8, '0')}`;
}

/** Creates the bank's own ledger accounts (idempotent). */
export function ensureTestBank(db: Kysely<Database>, clock: Clock) {
  return withTransaction(db, (trx) => ensureBankAccounts(trx, clock.nowMs(), [TEST_BRANCH]));
}

/**
 * A customer with one account per given opening balance (cash from the branch vault), and SMS
 * verification registered unless `sms` is false (a static-password customer).
 */
export async function createTestCustomer(
  db: Kysely<Database>,
  deps: { config: Config; clock: Clock },
  options: {
    name?: string;
    balancesFen?: number[];
    sms?: boolean;
    status?: 'active' | 'not_activated';
    /** Each card's PIN; none when not given. */
    pin?: string;
    /** The e-commerce (merchant payment) function; on unless false. */
    ecommerce?: boolean;
  } = {},
): Promise<TestCustomer> {
  await ensureTestBank(db, deps.clock);
  const name = options.name ?? '测试客户';
  const mobile = testMobile();
  return withTransaction(db, async (trx) => {
    const nowMs = deps.clock.nowMs();
    const birth = `19${String(randomInt(50, 99))}0${randomInt(1, 9)}1${randomInt(0, 9)}`;
    const id = await createCustomer(trx, deps, {
      name,
      idNumber: makeResidentId('310104', birth, String(randomInt(1000)).padStart(3, '0')),
      mobile,
      branchCode: TEST_BRANCH,
      ...(options.status ? { status: options.status } : {}),
    });
    const accounts: AccountRow[] = [];
    for (const fen of options.balancesFen ?? [100_000]) {
      const account = await openAccount(trx, deps, {
        customerId: id,
        kind: 'debit_card',
        branchCode: TEST_BRANCH,
        withCard: true,
        ...(options.pin ? { pin: options.pin } : {}),
      });
      if (fen > 0) {
        await postEntry(trx, {
          kind: 'cash_deposit',
          reference: `test:${account.id}`,
          memo: '存入现金',
          postedAtMs: nowMs,
          postings: [
            { accountId: await bankAccountId(trx, vaultCode(TEST_BRANCH)), amountFen: -fen },
            { accountId: account.id, amountFen: fen },
          ],
        });
      }
      accounts.push(account);
    }
    if (options.sms !== false) await registerSmsMedium(trx, id, nowMs);
    // Like the demo customers, test customers may pay merchants unless a test says otherwise.
    if (options.ecommerce !== false) await setEcommerce(trx, id, true, nowMs);
    return { id, name, mobile, accounts };
  });
}

/** The newest one-time code sent to a mobile (what the customer reads off their phone). */
export async function latestCode(db: Kysely<Database>, mobile: string): Promise<string> {
  const row = await db
    .selectFrom('outbox')
    .select(['code'])
    .where('recipient', '=', mobile)
    .where('code', 'is not', null)
    .orderBy('created_at_ms', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.code ?? '';
}
