import { defineErrors } from '../platform/errors.ts';

/** Bill payment's codes (API.md, "Bill payment"). */
export const billErrors = defineErrors({
  'bills.biller_not_found': { status: 404, zh: '未找到该缴费单位。', en: 'No such biller.' },
  'bills.bill_account_invalid': {
    status: 422,
    zh: '缴费户号格式不正确，请按账单上的户号填写。',
    en: 'The bill account number is not in the form this biller uses. Copy it from your bill.',
  },
  'bills.bill_account_not_found': {
    status: 422,
    zh: '缴费单位未查到该户号，请核对后重新输入。',
    en: 'The biller has no such bill account. Please check the number.',
  },
  'bills.nothing_due': {
    status: 422,
    zh: '该户号本期账单已缴清，无需重复缴费。',
    en: 'This bill is already paid for the period; there is nothing to pay.',
  },
  'bills.amount_above_due': {
    status: 422,
    zh: '缴费金额超过本期应缴金额（{due} 元）。',
    en: 'The amount is more than is due this period (¥{due}).',
  },
  'bills.top_up_amount_invalid': {
    status: 422,
    zh: '充值金额须在 {min} 元至 {max} 元之间。',
    en: 'A top-up must be between ¥{min} and ¥{max}.',
  },
  'bills.biller_unavailable': {
    status: 503,
    zh: '缴费单位系统暂时无法连接，请稍后再试。',
    en: 'The biller cannot be reached at present. Please try again later.',
  },
  'bills.payment_not_found': { status: 404, zh: '未找到该缴费记录。', en: 'No such bill payment.' },
  'bills.not_awaiting_authorization': {
    status: 409,
    zh: '该笔缴费当前状态（{status}）无需再确认。',
    en: 'This bill payment needs no confirmation in its current state ({status}).',
  },
  'bills.authorization_expired': {
    status: 422,
    zh: '确认时间已过，该笔缴费已失效，请重新缴费。',
    en: 'The time to confirm has passed and this bill payment has lapsed. Please start again.',
  },
  'bills.receipt_unavailable': {
    status: 409,
    zh: '缴费成功后才能下载电子回单。',
    en: 'A receipt exists only for a completed bill payment.',
  },
  'bills.saved_account_not_found': { status: 404, zh: '未找到该常用缴费户号。', en: 'No such saved bill account.' },
  'bills.saved_accounts_full': {
    status: 422,
    zh: '常用缴费户号最多保存 {max} 个，请先删除不用的。',
    en: 'You can save at most {max} bill accounts. Delete one you no longer use first.',
  },
});
