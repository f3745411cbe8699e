import type { AuthorizationView } from '../media/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { Lang } from '../platform/errors.ts';
import { money } from '../platform/money.ts';
import type { BillerView, BillPaymentView, SavedBillAccountView } from './schema.ts';
import type { BillerRow, BillPaymentRow, SavedBillAccountRow } from './store.ts';

/** A biller's name in the reader's language. */
export function billerName(biller: Pick<BillerRow, 'name_zh' | 'name_en'>, lang: Lang): string {
  return lang === 'en' ? biller.name_en : biller.name_zh;
}

/** A biller of the catalogue as the API shows it. */
export function billerView(row: BillerRow, lang: Lang): BillerView {
  return {
    id: row.id,
    name: billerName(row, lang),
    category: row.category,
    region: lang === 'en' ? row.region_en : row.region_zh,
    accountPattern: row.account_pattern,
  };
}

/** A bill payment as its payer sees it. */
export function billPaymentView(
  row: BillPaymentRow,
  biller: BillerRow,
  lang: Lang,
  authorization?: AuthorizationView,
): BillPaymentView {
  return {
    id: row.id,
    status: row.status,
    billerId: biller.id,
    billerName: billerName(biller, lang),
    category: biller.category,
    billAccount: row.bill_account,
    holderName: row.holder_name,
    period: row.period,
    fromAccountId: row.from_account_id,
    amount: money(row.amount_fen),
    createdAt: isoTime(row.created_at_ms),
    completedAt: row.completed_at_ms === null ? null : isoTime(row.completed_at_ms),
    ...(row.reason_code ? { reasonCode: row.reason_code } : {}),
    ...(authorization ? { authorization } : {}),
  };
}

/** A saved bill account with its last completed payment. */
export function savedBillAccountView(
  row: SavedBillAccountRow,
  biller: BillerRow,
  last: { amount_fen: number; completed_at_ms: number | null } | undefined,
  lang: Lang,
): SavedBillAccountView {
  return {
    id: row.id,
    billerId: biller.id,
    billerName: billerName(biller, lang),
    category: biller.category,
    billAccount: row.bill_account,
    lastPaid:
      last && last.completed_at_ms !== null
        ? { amount: money(last.amount_fen), at: isoTime(last.completed_at_ms) }
        : null,
  };
}
