import { chinaDateTime, chinaIso } from '../platform/business-day.ts';
import { formatMoney, formatMoneyGrouped } from '../platform/money.ts';
import { GREY, INK, letterhead, newPdf } from '../platform/pdf.ts';

/** One line of a statement: a posting on the account. */
export type StatementLine = {
  postedAtMs: number;
  memo: string;
  counterparty: string | null;
  amountFen: number;
  balanceAfterFen: number;
};

/** A statement of one account over whole local days, `fromDate` to `toDate` inclusive (`YYYY-MM-DD`). */
export type StatementData = {
  holderName: string;
  accountMasked: string;
  fromDate: string;
  toDate: string;
  lines: readonly StatementLine[];
  /** The balance when the period began; the closing balance is the last line's, or this one. */
  openingFen: number;
};

// The bank's local time, with its offset written out so a spreadsheet or a program reads the instant exactly.
const CSV_HEADER = ['交易时间 Time (UTC+8)', '摘要 Memo', '对方 Counterparty', '金额 Amount', '余额 Balance'];

/**
 * The statement as CSV, with a byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
 * Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe (OWASP's CSV
 * injection advice): a memo is typed by whoever sent the money.
 */
export function renderStatementCsv(data: StatementData): string {
  const rows = [
    CSV_HEADER,
    ...data.lines.map((line) => [
      chinaIso(line.postedAtMs),
      safeText(line.memo),
      safeText(line.counterparty ?? ''),
      formatMoney(line.amountFen),
      formatMoney(line.balanceAfterFen),
    ]),
  ];
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The statement as a PDF table, paged, with totals of credits and debits at the end. */
export async function renderStatementPdf(data: StatementData): Promise<Buffer> {
  const { doc, bytes } = newPdf(`对账单 ${data.accountMasked}`);
  letterhead(doc, '账户对账单', 'Account Statement');
  doc.fontSize(10).fillColor(INK);
  doc.text(`户名 Holder: ${data.holderName}    账号 Account: ${data.accountMasked}`, 48);
  doc.text(`期间 Period: ${data.fromDate} — ${data.toDate}（北京时间 Beijing time）`);
  doc.text(`期初余额 Opening balance: ¥ ${formatMoneyGrouped(data.openingFen)}`);
  doc.moveDown(0.8);
  const columns = [48, 170, 290, 400, 480];
  // Text columns on the left, amounts right-aligned on the right; one line per cell.
  const row = (cells: readonly string[], y: number) => {
    for (const [i, text] of cells.entries()) {
      doc.text(text, columns[i], y, { width: i >= 3 ? 70 : 115, align: i >= 3 ? 'right' : 'left', lineBreak: false });
    }
  };
  const header = () => {
    const y = doc.y;
    doc.font('bold').fontSize(9).fillColor(GREY);
    row(['时间 Time', '摘要 Memo', '对方 Counterparty', '金额 Amount', '余额 Balance'], y);
    doc.moveDown(0.4).font('regular').fillColor(INK);
  };
  header();
  let credits = 0;
  let debits = 0;
  for (const line of data.lines) {
    if (doc.y > 760) {
      doc.addPage();
      header();
    }
    if (line.amountFen > 0) credits += line.amountFen;
    else debits -= line.amountFen;
    const y = doc.y;
    const cells = [
      chinaDateTime(line.postedAtMs),
      line.memo,
      line.counterparty ?? '',
      `${line.amountFen > 0 ? '+' : ''}${formatMoneyGrouped(line.amountFen)}`,
      formatMoneyGrouped(line.balanceAfterFen),
    ];
    doc.fontSize(8);
    row(cells, y);
    doc.moveDown(0.5);
  }
  doc.moveDown(1).fontSize(10);
  doc.text(
    `收入合计 Credits: ¥ ${formatMoneyGrouped(credits)}    支出合计 Debits: ¥ ${formatMoneyGrouped(debits)}`,
    48,
  );
  doc.text(`共 ${data.lines.length} 笔 ${data.lines.length} entries`);
  const closingFen = data.lines.at(-1)?.balanceAfterFen ?? data.openingFen;
  doc.text(`期末余额 Closing balance: ¥ ${formatMoneyGrouped(closingFen)}`);
  doc.end();
  return bytes;
}
