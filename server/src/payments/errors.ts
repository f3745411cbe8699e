import { defineErrors } from '../platform/errors.ts';

export const paymentErrors = defineErrors({
  'payment.account_not_found': { status: 404, zh: '未找到该付款账户。', en: 'No such paying account.' },
  'payment.account_unavailable': {
    status: 422,
    zh: '付款账户当前状态（{status}）不能对外付款，请携带身份证件到网点咨询。',
    en: 'The paying account cannot make payments in its current state ({status}). Please visit a branch with your ID.',
  },
  'payment.payee_not_found': {
    status: 422,
    zh: '收款账号不存在，请核对后重新输入。',
    en: 'The payee account does not exist. Please check the number.',
  },
  'payment.payee_name_mismatch': {
    status: 422,
    zh: '收款人户名与账号不符，请核对后重新输入。',
    en: 'The payee name does not match the account holder. Please check it.',
  },
  'payment.payee_check_paused': {
    status: 429,
    zh: '收款人户名与账号核对失败次数过多，请 {minutes} 分钟后再试。',
    en: 'Too many payee name checks failed. Please try again in {minutes} minutes.',
  },
  'payment.payee_unavailable': {
    status: 422,
    zh: '收款账户状态异常，暂不能收款。',
    en: 'The payee account cannot receive payments at present.',
  },
  'payment.same_account': {
    status: 422,
    zh: '付款账户与收款账户不能相同。',
    en: 'The paying and receiving accounts must differ.',
  },
  'payment.bank_unknown': { status: 422, zh: '不支持的收款银行。', en: 'Payments to this bank are not supported.' },
  'payment.limit_exceeded': {
    status: 422,
    zh: '超出{which}（{limit} 元，剩余可用 {left} 元）。如需提高限额，请到网点申领口令卡或 U 盾。',
    en: 'This exceeds your {whichEn} (¥{limit}, ¥{left} left). For higher limits, get a password card or U-shield at a branch.',
  },
  'payment.not_found': { status: 404, zh: '未找到该笔转账。', en: 'No such transfer.' },
  'payment.not_awaiting_authorization': {
    status: 409,
    zh: '该笔转账已处理（{status}），无需再次确认。',
    en: 'This transfer has already been handled ({status}).',
  },
  'payment.authorization_expired': {
    status: 409,
    zh: '确认超时，该笔转账已取消，请重新发起。',
    en: 'The time to confirm this transfer has run out; it was cancelled. Please start again.',
  },
  'payment.method_unavailable': {
    status: 422,
    zh: '该笔转账不能用此方式确认。',
    en: 'This transfer cannot be confirmed with that method.',
  },
  'payment.limit_above_tier': {
    status: 422,
    zh: '自设限额不能高于您的安全工具对应的限额（{limit} 元）。',
    en: 'Your own limit cannot be above your security tier’s limit (¥{limit}).',
  },
  'payment.receipt_unavailable': {
    status: 409,
    zh: '转账完成后才能下载电子回单。',
    en: 'The receipt is available once the transfer has completed.',
  },
  'payment.payee_invalid': {
    status: 422,
    zh: '收款账号格式不正确。',
    en: 'The payee account number is not valid.',
  },
});
