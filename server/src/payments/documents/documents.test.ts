import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pdfText } from '../../testing/pdf-text.ts';
import { renderReceiptPdf } from './receipt.ts';
import { renderStatementCsv, renderStatementPdf } from './statement.ts';

describe('receipts and statements', () => {
  test('a receipt states payer, payee, the amount in figures and capitals', async () => {
    const pdf = await renderReceiptPdf({
      transferId: 'T-1',
      completedAtIso: '2026-11-24T10:00:00.000Z',
      payerName: '张伟',
      payerAccountMasked: '6228 **** **** 1234',
      payeeName: '李娜',
      payeeAccountMasked: '6228 **** **** 5678',
      payeeBankName: '金库银行',
      amountFen: 1_234_512,
      memo: '房租',
      statusText: '交易成功 Completed',
    });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    for (const expected of ['张伟', '李娜', '¥12,345.12', '壹万贰仟叁佰肆拾伍元壹角贰分', '房租', '6228********5678']) {
      assert.ok(text.includes(expected), `receipt says ${expected}`);
    }
  });

  test('a statement lists every line, and its CSV cannot smuggle a formula', async () => {
    const data = {
      holderName: '张伟',
      accountMasked: '6228 **** **** 1234',
      fromIso: '2026-11-01T00:00:00.000Z',
      toIso: '2026-11-30T00:00:00.000Z',
      lines: [
        {
          postedAtIso: '2026-11-02T01:00:00.000Z',
          memo: '=HYPERLINK("http://x")',
          counterparty: '李*',
          amountFen: -500,
          balanceAfterFen: 9_500,
        },
        {
          postedAtIso: '2026-11-03T01:00:00.000Z',
          memo: '工资, 十一月',
          counterparty: null,
          amountFen: 1_000_000,
          balanceAfterFen: 1_009_500,
        },
      ],
    };
    const csv = renderStatementCsv(data);
    assert.ok(csv.startsWith('\uFEFF'));
    const lines = csv.trim().split('\r\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[1], `2026-11-02T01:00:00.000Z,"'=HYPERLINK(""http://x"")",李*,-5.00,95.00`);
    assert.equal(lines[2], '2026-11-03T01:00:00.000Z,"工资, 十一月",,10000.00,10095.00');
    const text = (await pdfText(await renderStatementPdf(data))).replace(/\s+/g, '');
    assert.ok(text.includes('+10,000.00'));
    assert.ok(text.includes('10,095.00'));
  });
});
