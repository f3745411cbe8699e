import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { chinaDate } from '../platform/business-day.ts';
import type { BillCategory } from './catalogue.ts';
import { type BillerRow, paidForPeriodFen } from './store.ts';

/** What a biller answers about a bill account: its holder (masked) and what is due for which period. */
export type BillLookup =
  | { found: false }
  | {
      found: true;
      holderName: string;
      /** What is still due for the period; null for a top-up, where the customer chooses the amount. */
      amountDueFen: number | null;
      period: string | null;
    };

/**
 * How the bank asks a biller about a bill. Outside production the simulator below answers; in
 * production each biller is reached through its own collection interface (the utility's or a
 * collection platform's 代收 API), written as another BillerAdapter and chosen by biller id in
 * `billerAdapterFor` — until one is configured, that biller's queries answer bills.biller_unavailable.
 * The simulator reads the database inside the payment's transaction; a real adapter calls the network,
 * so it must bound its time (a timeout well under the transaction's) and rely on the biller to refuse a
 * bill already paid, rather than on the bank's own records.
 */
export type BillerAdapter = {
  lookUp(db: Kysely<Database>, biller: BillerRow, billAccount: string, nowMs: number): Promise<BillLookup>;
};

/** Billed amounts per category (fen): a plausible month of each, inclusive bounds. */
const BILLED_RANGE_FEN: Readonly<Record<Exclude<BillCategory, 'mobile'>, [number, number]>> = {
  electricity: [3_000, 60_000],
  water: [2_000, 20_000],
  gas: [3_000, 30_000],
  broadband: [5_000, 20_000],
  tuition: [400_000, 600_000],
};

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '欧阳'];

/** The billing period a query made at this instant is for: last month in Beijing (YYYY-MM). */
export function billingPeriod(nowMs: number): string {
  const [year, month] = chinaDate(nowMs).split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/**
 * The simulated bill of an account, derived from a hash of biller, account and period, so the same
 * query always answers the same: pure. An account number ending in 0000 does not exist (for tests and
 * demos of the refusal).
 */
export function simulatedBill(
  biller: Pick<BillerRow, 'id' | 'category'>,
  billAccount: string,
  nowMs: number,
): { found: false } | { found: true; holderName: string; billedFen: number | null; period: string | null } {
  if (billAccount.endsWith('0000')) return { found: false };
  const period = biller.category === 'mobile' ? null : billingPeriod(nowMs);
  const digest = createHash('sha256')
    .update(`${biller.id}|${billAccount}|${period ?? ''}`)
    .digest();
  const surname = SURNAMES[digest[0]! % SURNAMES.length]!;
  const givenLength = 1 + (digest[1]! % 2);
  const holderName = surname + '*'.repeat(givenLength);
  if (biller.category === 'mobile') return { found: true, holderName, billedFen: null, period: null };
  const [low, high] = BILLED_RANGE_FEN[biller.category];
  const billedFen = low + (digest.readUInt32BE(4) % (high - low + 1));
  return { found: true, holderName, billedFen, period };
}

/**
 * The simulator as a biller: the simulated bill less what the bank has already collected for that
 * period — a real biller learns of those payments from the bank's collection file, and here the bank's
 * own records stand in for it. Once a bill is paid its amount due is 0.
 */
export const simulatorAdapter: BillerAdapter = {
  async lookUp(db, biller, billAccount, nowMs) {
    const bill = simulatedBill(biller, billAccount, nowMs);
    if (!bill.found) return bill;
    if (bill.billedFen === null || bill.period === null) {
      return { found: true, holderName: bill.holderName, amountDueFen: null, period: null };
    }
    const paidFen = await paidForPeriodFen(db, { billerId: biller.id, billAccount, period: bill.period });
    return {
      found: true,
      holderName: bill.holderName,
      amountDueFen: Math.max(0, bill.billedFen - paidFen),
      period: bill.period,
    };
  },
};

/** Production's adapters by biller id: none yet (see BillerAdapter). */
const productionAdapters: ReadonlyMap<string, BillerAdapter> = new Map();

/** The adapter that answers for a biller: the simulator outside production, the biller's own in it. */
export function billerAdapterFor(env: string, billerId: string): BillerAdapter | undefined {
  return env === 'production' ? productionAdapters.get(billerId) : simulatorAdapter;
}
