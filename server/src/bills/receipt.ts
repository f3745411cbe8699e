import { formatMoneyGrouped, toChineseCapital } from '../platform/money.ts';
import { BRAND_RED, GREY, INK, letterhead, newPdf } from '../platform/pdf.ts';

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

/** Renders the receipt as a PDF: every field as a labelled row, the amount in figures and in capitals. */
export async function renderBillReceiptPdf(data: BillReceiptData): Promise<Buffer> {
  const { doc, bytes } = newPdf(`缴费电子回单 ${data.paymentId}`);
  letterhead(doc, '缴费电子回单', 'Bill Payment Receipt');
  const rows: Array<[string, string]> = [
    ['回单编号 Receipt No.', data.paymentId],
    ['交易时间（北京时间）Time (Beijing)', data.completedAtLocal],
    ['付款人 Payer', data.payerName],
    ['付款账号 Payer account', data.payerAccountMasked],
    ['缴费单位 Biller', `${data.billerName} ${data.billerNameEn}`],
    ['缴费项目 Bill type', data.categoryText],
    ['缴费户号 Bill account', data.billAccount],
    ['户名 Account holder', data.holderName],
    ['账期 Period', data.period ?? '—'],
    ['金额 Amount', `¥ ${formatMoneyGrouped(data.amountFen)}`],
    ['金额大写 In words', toChineseCapital(data.amountFen)],
    ['状态 Status', '缴费成功 Completed'],
  ];
  const left = 64;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('regular').fontSize(10).fillColor(GREY).text(label, left, y, { width: 170 });
    doc
      .font(label.startsWith('金额') ? 'bold' : 'regular')
      .fontSize(11)
      .fillColor(INK)
      .text(value, left + 180, y, { width: 300 });
    doc.moveDown(0.6);
  }
  doc.moveDown(1);
  const sealY = doc.y + 40;
  doc.save().lineWidth(2).strokeColor(BRAND_RED).circle(450, sealY, 38).stroke().restore();
  doc
    .font('bold')
    .fontSize(9)
    .fillColor(BRAND_RED)
    .text('金库 Jinku', 420, sealY - 14, { width: 60, align: 'center' });
  doc.text('电子回单专用章', 410, sealY + 2, { width: 80, align: 'center' });
  doc
    .font('regular')
    .fontSize(8)
    .fillColor(GREY)
    .text(
      '本回单证明本行已按上述信息代收缴费款项；缴费单位入账以其系统为准。可在网上银行凭回单编号核验。\n' +
        'This receipt shows the bank collected the payment as stated; the biller credits it in its own system.',
      64,
      sealY + 60,
      { width: 460 },
    );
  doc.end();
  return bytes;
}
