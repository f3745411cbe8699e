import { formatMoney } from '../../platform/money.ts';
import { formatAmountWithSeparators } from './receipt.ts';
import { GREY, INK, letterhead, newPdf } from './pdf.ts';

/** One line of a statement: a posting on the account. */
export type StatementLine = {
  postedAtIso: string;
  memo: string;
  counterparty: string | null;
  amountFen: number;
  balanceAfterFen: number;
};

export type StatementData = {
  holderName: string;
  accountMasked: string;
  fromIso: string;
  toIso: string;
  lines: readonly StatementLine[];
};

const CSV_HEADER = ['交易时间 Time (UTC)', '摘要 Memo', '对方 Counterparty', '金额 Amount', '余额 Balance'];

/**
 * The statement as CSV, with a byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
 * Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe (OWASP's CSV
 * injection advice): a memo is typed by whoever sent the money.
 */
export function renderStatementCsv(data: StatementData): string {
  const rows = [
    CSV_HEADER,
    ...data.lines.map((line) => [
      line.postedAtIso,
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
  doc.text(`期间 Period: ${data.fromIso.slice(0, 10)} — ${data.toIso.slice(0, 10)}`);
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
      line.postedAtIso.replace('T', ' ').slice(0, 19),
      line.memo,
      line.counterparty ?? '',
      `${line.amountFen > 0 ? '+' : ''}${formatAmountWithSeparators(line.amountFen)}`,
      formatAmountWithSeparators(line.balanceAfterFen),
    ];
    doc.fontSize(8);
    row(cells, y);
    doc.moveDown(0.5);
  }
  doc.moveDown(1).fontSize(10);
  doc.text(
    `收入合计 Credits: ¥ ${formatAmountWithSeparators(credits)}    支出合计 Debits: ¥ ${formatAmountWithSeparators(debits)}`,
    48,
  );
  doc.text(`共 ${data.lines.length} 笔 ${data.lines.length} entries`);
  doc.end();
  return bytes;
}
