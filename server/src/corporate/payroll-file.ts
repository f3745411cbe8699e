import { createHash } from 'node:crypto';
import { parseMoney } from '../platform/money.ts';

/**
 * The payroll file (代发工资文件), pure: CSV lines of account number, name, amount, memo and an optional
 * bank code, in UTF-8 or GBK (what spreadsheet software in China saves by default). Decoding tries
 * UTF-8 strictly first and falls back to GBK, so either arrives as the same text.
 */

export const MAX_BATCH_LINES = 5000;
export type BadLine = { line: number; reason: string; zh: string; en: string };
export type FileLine = {
  line: number;
  accountNumber: string;
  name: string;
  bankCode: string;
  amountFen: number;
  memo: string;
};
export type ParsedFile = { encoding: 'utf-8' | 'gbk'; lines: FileLine[]; bad: BadLine[]; duplicates: number[] };

/** Decodes the file: strict UTF-8 (a BOM dropped), otherwise GBK. */
export function decodePayroll(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gbk' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}

/**
 * Parses and checks each line's form (the payee checks against accounts come after, in the service).
 * A first line whose amount is not a number is a header. Lines with the same account and amount are
 * flagged as possible duplicates (kept: two payments to one person may be meant).
 */
export function parsePayroll(text: string, ownBankCode: string): Omit<ParsedFile, 'encoding'> {
  const rows = text.split(/\r?\n/);
  const lines: FileLine[] = [];
  const bad: BadLine[] = [];
  rows.forEach((raw, index) => {
    const number = index + 1;
    if (raw.trim() === '') return;
    const cells = raw.split(',').map((c) =>
      c
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    );
    const [account = '', name = '', amount = '', memo = '', bank = ''] = cells;
    if (number === 1 && !/^\d/.test(amount)) return;
    const accountNumber = account.replace(/\s+/g, '');
    const parsed = parseMoney(amount.replace(/,/g, ''));
    if (!/^\d{8,32}$/.test(accountNumber)) bad.push(badLine(number, 'account_format'));
    else if (name.length === 0 || name.length > 100) bad.push(badLine(number, 'name'));
    else if (!parsed.ok) bad.push(badLine(number, 'amount'));
    else if (bank !== '' && !/^\d{3}$/.test(bank)) bad.push(badLine(number, 'bank_code'));
    else if (memo.length > 60) bad.push(badLine(number, 'memo'));
    else lines.push({ line: number, accountNumber, name, bankCode: bank || ownBankCode, amountFen: parsed.fen, memo });
  });
  const seen = new Map<string, number>();
  const duplicates: number[] = [];
  for (const line of lines) {
    const key = `${line.bankCode}:${line.accountNumber}:${line.amountFen}`;
    if (seen.has(key)) duplicates.push(line.line);
    else seen.set(key, line.line);
  }
  return { lines, bad, duplicates };
}

const REASONS: Record<string, { zh: string; en: string }> = {
  account_format: { zh: '账号格式有误', en: 'the account number is malformed' },
  name: { zh: '户名为空或过长', en: 'the name is empty or too long' },
  amount: {
    zh: '金额有误（须为正数，最多两位小数）',
    en: 'the amount is not a positive amount with two decimals at most',
  },
  bank_code: { zh: '行号有误', en: 'the bank code is malformed' },
  memo: { zh: '附言过长', en: 'the memo is too long' },
  payee_mismatch: { zh: '本行无此账户，或户名与账号不符', en: 'no such account here, or the name does not match it' },
  too_many: { zh: `超过 ${MAX_BATCH_LINES} 行`, en: `more than ${MAX_BATCH_LINES} lines` },
};

export function badLine(line: number, reason: string): BadLine {
  const text = REASONS[reason] ?? { zh: reason, en: reason };
  return { line, reason, ...text };
}

/** SHA-256 of the accepted lines in canonical form: what the approvals sign with count and total. */
export function linesHash(lines: readonly FileLine[]): string {
  const hash = createHash('sha256');
  for (const l of lines) hash.update(`${l.line},${l.accountNumber},${l.name},${l.bankCode},${l.amountFen},${l.memo}\n`);
  return hash.digest('hex');
}
