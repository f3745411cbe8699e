import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { chinaDateStartMs, DAY_MS } from '../platform/business-day.ts';
import { formatMoney } from '../platform/money.ts';
import { gatewayStamp } from './service.ts';

/**
 * A merchant's daily statement for reconciliation (issue 17): every payment and refund of one Beijing
 * calendar day as CSV, the same file for `npm run merchant -- statement` and the gateway API. Times are
 * Asia/Shanghai; amounts yuan with two decimals; refunds negative; a last line sums the day.
 */
export const STATEMENT_HEADER = 'type,time,trade_no,out_trade_no,out_request_no,subject,amount';
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a text is a real calendar date `yyyy-MM-dd`. */
export function isStatementDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** One CSV field, quoted when needed. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A field the merchant wrote (subject, its numbers): never read as a formula by a spreadsheet. */
function csvText(text: string): string {
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

/** The CSV of the merchant's payments and refunds on a Beijing date (already checked by isStatementDate). */
export async function merchantStatementCsv(db: Kysely<Database>, appId: string, date: string): Promise<string> {
  const startMs = chinaDateStartMs(date);
  const endMs = startMs + DAY_MS;
  const payments = await db
    .selectFrom('gateway_order')
    .select(['trade_no', 'out_trade_no', 'subject', 'total_fen', 'paid_at_ms'])
    .where('app_id', '=', appId)
    .where('paid_at_ms', '>=', startMs)
    .where('paid_at_ms', '<', endMs)
    .execute();
  const refunds = await db
    .selectFrom('gateway_refund')
    .innerJoin('gateway_order', 'gateway_order.trade_no', 'gateway_refund.trade_no')
    .select([
      'gateway_refund.trade_no',
      'gateway_order.out_trade_no',
      'gateway_refund.out_request_no',
      'gateway_order.subject',
      'gateway_refund.refund_fen',
      'gateway_refund.created_at_ms',
    ])
    .where('gateway_order.app_id', '=', appId)
    .where('gateway_refund.created_at_ms', '>=', startMs)
    .where('gateway_refund.created_at_ms', '<', endMs)
    .execute();
  const lines = [
    ...payments.map((p) => ({
      atMs: Number(p.paid_at_ms),
      fen: Number(p.total_fen),
      fields: ['payment', p.trade_no, p.out_trade_no, '', p.subject],
    })),
    ...refunds.map((r) => ({
      atMs: Number(r.created_at_ms),
      fen: -Number(r.refund_fen),
      fields: ['refund', r.trade_no, r.out_trade_no, r.out_request_no, r.subject],
    })),
  ].sort((a, b) => a.atMs - b.atMs || (a.fields[1] ?? '').localeCompare(b.fields[1] ?? ''));
  const rows = lines.map(({ atMs, fen, fields }) => {
    const [type, tradeNo, outTradeNo, outRequestNo, subject] = fields as [string, string, string, string, string];
    return [
      type,
      gatewayStamp(atMs),
      tradeNo,
      csvText(outTradeNo),
      csvText(outRequestNo),
      csvText(subject),
      formatMoney(fen),
    ].join(',');
  });
  const paidFen = lines.filter((l) => l.fen > 0).reduce((sum, l) => sum + l.fen, 0);
  const refundedFen = lines.filter((l) => l.fen < 0).reduce((sum, l) => sum - l.fen, 0);
  const total = [
    'total',
    date,
    `${lines.filter((l) => l.fen > 0).length} payments ${formatMoney(paidFen)}`,
    `${lines.filter((l) => l.fen < 0).length} refunds ${formatMoney(refundedFen)}`,
    '',
    '',
    formatMoney(paidFen - refundedFen),
  ];
  return `${[STATEMENT_HEADER, ...rows, total.map(csvField).join(',')].join('\r\n')}\r\n`;
}
