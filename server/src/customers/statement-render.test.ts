import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pdfText } from '../testing/pdf-text.ts';
import { renderStatementCsv, renderStatementPdf, type StatementData } from './statement-render.ts';

// 2026-11-02 01:00 UTC is 09:00 in Beijing; 2026-11-03 20:30 UTC is already 11-04 in Beijing.
const data: StatementData = {
  holderName: '张伟',
  accountMasked: '6228 **** **** 1234',
  fromDate: '2026-11-01',
  toDate: '2026-11-30',
  lines: [
    {
      postedAtMs: Date.UTC(2026, 10, 2, 1, 0, 0),
      memo: '=HYPERLINK("http://x")',
      counterparty: '李*',
      amountFen: -500,
      balanceAfterFen: 9_500,
    },
    {
      postedAtMs: Date.UTC(2026, 10, 3, 20, 30, 0),
      memo: '工资, 十一月',
      counterparty: null,
      amountFen: 1_000_000,
      balanceAfterFen: 1_009_500,
    },
  ],
  openingFen: 10_000,
};

describe('statement files', () => {
  test('the CSV lists every line in Beijing time and cannot smuggle a formula into a spreadsheet', () => {
    const csv = renderStatementCsv(data);
    assert.ok(csv.startsWith('\uFEFF'));
    const lines = csv.trim().split('\r\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /UTC\+8/);
    assert.equal(lines[1], `2026-11-02T09:00:00+08:00,"'=HYPERLINK(""http://x"")",李*,-5.00,95.00`);
    assert.equal(lines[2], '2026-11-04T04:30:00+08:00,"工资, 十一月",,10000.00,10095.00');
  });

  test('the PDF states the local period, local times, grouped amounts and the totals', async () => {
    const text = (await pdfText(await renderStatementPdf(data))).replace(/\s+/g, '');
    for (const expected of ['2026-11-01—2026-11-30', '2026-11-0209:00', '2026-11-0404:30', '+10,000.00', '10,095.00']) {
      assert.ok(text.includes(expected), `statement says ${expected}`);
    }
    assert.ok(text.includes('Credits:¥10,000.00'), 'credits total');
    assert.ok(text.includes('Debits:¥5.00'), 'debits total');
    assert.ok(text.includes('Openingbalance:¥100.00'), 'opening balance');
    assert.ok(text.includes('Closingbalance:¥10,095.00'), 'closing balance');
  });
});
