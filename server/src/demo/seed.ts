import type { Kysely } from 'kysely';
import { seedDemoLogins } from '../auth/index.ts';
import {
  type AccountRow,
  accountsOf,
  type CustomerId,
  createCustomer,
  customerById,
  customerIdBy,
  makeResidentId,
  maskNumber,
  openAccount,
} from '../customers/index.ts';
import { DEMO_ENTERPRISE, seedDemoEnterprise } from '../corporate/index.ts';
import { seedDemoStaff } from '../counter/index.ts';
import type { Database, Tx } from '../database.ts';
import { balancesOf, bankAccountId, postEntry, vaultCode } from '../ledger/index.ts';
import { issueEToken, issuePasswordCard, issueUShield, registerSmsMedium } from '../media/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { claimSetting, readSetting } from '../platform/settings-store.ts';
import { formatMoney } from '../platform/money.ts';
import { setEcommerce } from '../merchants/index.ts';

export type SeedResult = { created: boolean; identities: string[] };

/** The branch of the demo bank, where demo customers were registered and demo staff work. */
export const DEMO_BRANCH = '0001';
const SEEDED_KEY = 'demo.seeded';
/** The demo customers' mobiles, in the order the start-up log lists them. */
const DEMO_MOBILES = ['13800000001', '13800000002', '13800000003'] as const;
/** 张伟's password card and e-password device: fixed serials, so people and tests can find them. */
export const DEMO_CARD_SERIAL = 'PC20260001';
export const DEMO_E_TOKEN_SERIAL = 'ET20260001';
/** 张伟's U-shield, handed over at the counter: `issued` until he downloads its certificate online. */
export const DEMO_U_SHIELD_SERIAL = 'US20260001';

/**
 * Seeds the demo bank of API.md ("Demo bank") on an empty database: the fixed demo identities with
 * their accounts, money and security media. Runs once: a setting claimed in the same transaction records it. Never called in production (the configuration refuses JINKU_DEMO there).
 */
export async function seedDemoBank(ctx: AppContext): Promise<SeedResult> {
  const deps = { config: ctx.config, clock: ctx.clock };
  const db = ctx.db.kysely;
  if (await readSetting(db, SEEDED_KEY)) return { created: false, identities: await describe(db) };
  const created = await withTransaction(db, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    // Instances starting together on an empty database: the first to claim the key seeds, the others skip.
    if (!(await claimSetting(trx, SEEDED_KEY, new Date(nowMs).toISOString(), nowMs))) return false;
    const customer = (name: string, mobile: string, birth: string, seq: string, status: 'active' | 'not_activated') =>
      createCustomer(trx, deps, {
        name,
        idNumber: makeResidentId('110105', birth, seq),
        mobile,
        branchCode: DEMO_BRANCH,
        status,
      });
    const account = (customerId: CustomerId) =>
      openAccount(trx, deps, {
        customerId,
        kind: 'debit_card',
        branchCode: DEMO_BRANCH,
        withCard: true,
        pin: '123456',
      });
    const zhangWeiId = await customer('张伟', '13800000001', '19850315', '031', 'active');
    const liNaId = await customer('李娜', '13800000002', '19900722', '042', 'active');
    const wangFangId = await customer('王芳', '13800000003', '19780109', '064', 'not_activated');
    await deposit(trx, await account(zhangWeiId), 5_000_000, nowMs);
    await deposit(trx, await account(zhangWeiId), 1_000_000, nowMs);
    await deposit(trx, await account(liNaId), 2_000_000, nowMs);
    await account(wangFangId);
    await registerSmsMedium(trx, zhangWeiId, nowMs);
    // API.md, "Demo bank": 张伟 holds the stronger media too; 李娜 stays static-password only.
    await issuePasswordCard(trx, deps, zhangWeiId, DEMO_CARD_SERIAL);
    await issueEToken(trx, deps, zhangWeiId, DEMO_E_TOKEN_SERIAL);
    await issueUShield(trx, deps, zhangWeiId, DEMO_U_SHIELD_SERIAL);
    // Issue 17: the e-commerce (online payment) function is on for the demo customers; others enable it at the counter.
    for (const id of [zhangWeiId, liNaId, wangFangId]) await setEcommerce(trx, id, true, nowMs);
    await seedDemoLogins(trx, deps, { zhangWeiId, liNaId, wangFangId });
    await seedDemoStaff(trx, deps, DEMO_BRANCH);
    // Corporate e-banking (issue 19): the demo enterprise's account is opened under a record in its name.
    const enterpriseHolder = await customer(DEMO_ENTERPRISE.name, '13800000010', '19700101', '105', 'active');
    const enterpriseAccount = await account(enterpriseHolder);
    await deposit(trx, enterpriseAccount, 100_000_000, nowMs);
    await seedDemoEnterprise(trx, deps, { accountId: enterpriseAccount.id, branchCode: DEMO_BRANCH });
    return true;
  });
  return { created, identities: await describe(db) };
}

/** Opening deposits: cash into the account from the branch vault. */
async function deposit(trx: Tx, account: AccountRow, amountFen: number, nowMs: number) {
  await postEntry(trx, {
    kind: 'cash_deposit',
    reference: `demo:${account.id}`,
    memo: '开户存入现金',
    postedAtMs: nowMs,
    postings: [
      { accountId: await bankAccountId(trx, vaultCode(DEMO_BRANCH)), amountFen: -amountFen },
      { accountId: account.id, amountFen, counterparty: `网点 ${DEMO_BRANCH}` },
    ],
  });
}

/** The start-up log's lines about the demo identities (API.md's table, with the generated card numbers masked). */
async function describe(db: Kysely<Database>): Promise<string[]> {
  const lines: string[] = [];
  for (const mobile of DEMO_MOBILES) {
    const customerId = await customerIdBy(db, 'mobile', mobile);
    const customer = customerId ? await customerById(db, customerId) : undefined;
    if (!customer) continue;
    const accounts = await accountsOf(db, customer.id);
    const balances = await balancesOf(
      db,
      accounts.map((account) => account.id),
    );
    const shown = accounts
      .flatMap((account) => {
        const balance = balances.get(account.id);
        return balance ? [{ account, postedFen: balance.postedFen }] : [];
      })
      .sort((a, b) => b.postedFen - a.postedFen);
    for (const { account, postedFen } of shown)
      lines.push(
        `${customer.name} mobile ${customer.mobile} (${customer.status}) card ${maskNumber(account.card_number ?? account.account_number)} balance ¥${formatMoney(postedFen)}`,
      );
  }
  return [
    ...lines,
    'passwords: 张伟 zhangwei / 李娜 lina → Jinku2026; 王芳 13800000003 → 20261122 (temporary, must change)',
    `corporate (/corporate/): enterprise ${DEMO_ENTERPRISE.code} ${DEMO_ENTERPRISE.name}, operators 001 admin, 002 maker, 003 and 004 checkers, 005 releaser, password ${DEMO_ENTERPRISE.password} (each registers a U-shield or passkey at first sign-in); account balance ¥1,000,000.00`,
    'counter (/counter/): teller teller01 / Teller2026!, supervisor super01 / Super2026!, admin admin01 / Admin2026!, all with TOTP secret JBSWY3DPEHPK3PXP, branch 0001',
    `张伟's media: SMS, password card ${DEMO_CARD_SERIAL} (digits: GET /api/v1/dev/password-card/${DEMO_CARD_SERIAL}/cells?cells=B7,E3), e-password device ${DEMO_E_TOKEN_SERIAL} (npm run e-token -- ${DEMO_E_TOKEN_SERIAL} <challenge>), U-shield ${DEMO_U_SHIELD_SERIAL} (issued: download its certificate in the security centre)`,
  ];
}
