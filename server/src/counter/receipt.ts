import { accountById, customerById, maskNumber } from '../customers/index.ts';
import { chinaStamp } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { formatMoneyGrouped, toChineseCapital } from '../platform/money.ts';
import { BRAND_RED, GREY, INK, letterhead, newPdf } from '../platform/pdf.ts';
import { paramsOf } from './operations.ts';
import { type OperationRow, staffNames } from './store.ts';

/** The operations as the receipt names them (Chinese first, English beside). */
export const OPERATION_NAMES: Record<string, string> = {
  'customer.register': '客户开户登记 Customer registration',
  'account.open': '开立借记卡账户 Debit-card account opened',
  'cash.deposit': '现金存款 Cash deposit',
  'cash.withdrawal': '现金取款 Cash withdrawal',
  'ebanking.register': '开通网上银行 Online banking registered',
  'ebanking.password_reset': '重置登录密码 Login password reset',
  'ebanking.unlock': '解除登录锁定 Login unlocked',
  'ebanking.suspend': '暂停网上银行 Online banking suspended',
  'ebanking.resume': '恢复网上银行 Online banking resumed',
  'customer.investigation': '调查标记 Investigation flag',
  'customer.mobile': '变更预留手机号 Registered mobile changed',
  'customer.ecommerce': '开通/关闭网上支付 E-commerce payments on/off',
  'account.freeze': '账户冻结 Account frozen',
  'account.unfreeze': '账户解冻 Account unfrozen',
  'account.close': '账户销户 Account closed',
  'media.issue': '发放安全介质 Security medium issued',
  'media.revoke': '注销安全介质 Security medium revoked',
  'media.reissue': '补发安全介质 Security medium reissued',
  'media.unlock': '安全介质解锁 Security medium unlocked',
  'media.card_print': '打印口令卡 Password card printed',
};

const STATE_NAMES: Record<string, string> = {
  completed: '已办理 Completed',
  approved: '已授权办理 Approved and completed',
  pending_approval: '待主管授权 Awaiting approval',
  rejected: '主管已拒绝 Rejected',
  expired: '已过期 Expired',
};

/**
 * The counter receipt (业务凭证) for the customer to sign: the operation, the customer, masked numbers,
 * the amount in figures and in Chinese capitals where money moves, the staff, the branch, the time in
 * Beijing time, and a line for the customer's signature.
 */
export async function renderCounterReceipt(ctx: AppContext, op: OperationRow): Promise<Buffer> {
  const db = ctx.db.kysely;
  const customer = op.customer_id ? await customerById(db, op.customer_id) : undefined;
  const account = op.account_id ? await accountById(db, op.account_id) : undefined;
  const staff = await staffNames(db, op.approver_id ? [op.maker_id, op.approver_id] : [op.maker_id]);
  const maker = staff.get(op.maker_id);
  const approver = op.approver_id ? staff.get(op.approver_id) : undefined;
  const params = paramsOf(op);
  const { doc, bytes } = newPdf(`柜面业务凭证 ${op.id}`);
  letterhead(doc, '柜面业务凭证', 'Counter Receipt');
  const rows: Array<[string, string]> = [
    ['业务编号 Operation No.', op.id],
    ['业务类型 Operation', OPERATION_NAMES[op.kind] ?? op.kind],
    ['办理时间（北京时间）Time (Beijing)', chinaStamp(op.decided_at_ms ?? op.created_at_ms)],
    ['办理网点 Branch', op.branch_code],
    ['客户姓名 Customer', customer?.name ?? '—'],
    ['证件号码 ID number', customer?.id_number_masked ?? '—'],
  ];
  if (account) {
    rows.push(['账号 Account', maskNumber(account.account_number)]);
    if (account.card_number) rows.push(['卡号 Card', maskNumber(account.card_number)]);
  }
  if (op.amount_fen !== null && op.amount_fen > 0) {
    rows.push(['金额 Amount', `¥ ${formatMoneyGrouped(op.amount_fen)}`]);
    rows.push(['金额大写 In words', toChineseCapital(op.amount_fen)]);
  }
  // A card's serial is drawn when it is issued: it is in the result, not in what the teller keyed.
  const result = op.result ? (JSON.parse(op.result) as Record<string, unknown>) : {};
  const serial = typeof params.serial === 'string' ? params.serial : result.serial;
  if (typeof params.oldSerial === 'string') rows.push(['原介质序列号 Replaced', params.oldSerial]);
  if (typeof serial === 'string') rows.push(['介质序列号 Serial', serial]);
  if (typeof params.reason === 'string') rows.push(['原因 Reason', params.reason]);
  rows.push(['经办 Teller', maker ? `${maker.name}（${maker.username}）` : op.maker_id]);
  if (approver) rows.push(['授权 Approved by', `${approver.name}（${approver.username}）`]);
  rows.push(['状态 Status', STATE_NAMES[op.state] ?? op.state]);
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
  doc.moveDown(2);
  const y = doc.y;
  doc.font('regular').fontSize(11).fillColor(INK).text('客户签名 Customer signature：', left, y);
  doc
    .save()
    .lineWidth(0.8)
    .strokeColor(INK)
    .moveTo(left + 170, y + 14)
    .lineTo(left + 330, y + 14)
    .stroke()
    .restore();
  doc.text('日期 Date：', left + 340, y);
  doc
    .save()
    .lineWidth(0.8)
    .strokeColor(INK)
    .moveTo(left + 400, y + 14)
    .lineTo(left + 470, y + 14)
    .stroke()
    .restore();
  doc.moveDown(3);
  doc
    .font('regular')
    .fontSize(8)
    .fillColor(BRAND_RED)
    .text('请核对以上信息无误后签名。本凭证一式两联，客户联与银行留存联。', left, doc.y, { width: 460 });
  doc
    .fillColor(GREY)
    .text('Check the details above before you sign. One copy is yours, one the bank keeps.', { width: 460 });
  doc.end();
  return bytes;
}
