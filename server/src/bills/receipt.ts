import { amountRows, renderReceipt } from '../payments/index.ts';

/** What the electronic receipt of a bill payment (缴费电子回单) states. */
export type BillReceiptData = {
  paymentId: string;
  /** Local (Beijing) date and time with its offset, as the customer reads it. */
  completedAtLocal: string;
  payerName: string;
  payerAccountMasked: string;
  billerName: string;
  billerNameEn: string;
  categoryText: string;
  billAccount: string;
  holderName: string;
  period: string | null;
  amountFen: number;
};

/** Renders a bill payment's receipt with the payments domain's receipt builder. */
export function renderBillReceiptPdf(data: BillReceiptData): Promise<Buffer> {
  return renderReceipt({
    receiptNo: data.paymentId,
    titleZh: '缴费电子回单',
    titleEn: 'Bill Payment Receipt',
    rows: [
      ['回单编号 Receipt No.', data.paymentId],
      ['交易时间（北京时间）Time (Beijing)', data.completedAtLocal],
      ['付款人 Payer', data.payerName],
      ['付款账号 Payer account', data.payerAccountMasked],
      ['缴费单位 Biller', `${data.billerName} ${data.billerNameEn}`],
      ['缴费项目 Bill type', data.categoryText],
      ['缴费户号 Bill account', data.billAccount],
      ['户名 Account holder', data.holderName],
      ['账期 Period', data.period ?? '—'],
      ...amountRows(data.amountFen),
      ['状态 Status', '缴费成功 Completed'],
    ],
    note:
      '本回单证明本行已按上述信息代收缴费款项；缴费单位入账以其系统为准。可在网上银行凭回单编号核验。\n' +
      'This receipt shows the bank collected the payment as stated; the biller credits it in its own system.',
  });
}
