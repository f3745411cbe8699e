import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pdfText } from '../../testing/pdf-text.ts';
import { renderReceiptPdf } from './receipt.ts';

describe('receipts', () => {
  test('a receipt states payer, payee, the amount in figures and capitals', async () => {
    const pdf = await renderReceiptPdf({
      transferId: 'T-1',
      completedAtLocal: '2026-11-24 18:00',
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
});
