import { defineErrors } from '../platform/errors.ts';

/** The counter's error codes (API.md, "Counter"), both languages: the teller reads them at the desk. */
export const counterErrors = defineErrors({
  'counter.invalid_credentials': {
    status: 401,
    zh: '工号、密码或动态口令错误。',
    en: 'The staff ID, password or authenticator code is wrong.',
  },
  'counter.locked': {
    status: 423,
    zh: '该工号因连续输错密码已被锁定，请于 {until}（北京时间）后再试，或联系系统管理员。',
    en: 'This staff login is locked after too many wrong passwords until {until} (Beijing time); or ask an administrator.',
  },
  'counter.session_required': {
    status: 401,
    zh: '柜员尚未签到或登录已超时，请重新登录。',
    en: 'No staff member is signed in, or the session timed out; please sign in again.',
  },
  'counter.role_forbidden': {
    status: 403,
    zh: '您的岗位无权进行此操作。',
    en: 'Your role is not allowed to do this.',
  },
  'counter.self_approval': {
    status: 403,
    zh: '不能审批本人发起的业务，请由其他主管授权。',
    en: 'You cannot approve your own request; another supervisor must approve it.',
  },
  'counter.approver_role': {
    status: 403,
    zh: '只有本网点的主管可以授权该业务。',
    en: 'Only a supervisor of this branch may approve this request.',
  },
  'counter.approval_not_found': { status: 404, zh: '未找到该授权申请。', en: 'No such approval request.' },
  'counter.approval_closed': {
    status: 409,
    zh: '该授权申请已{state}，不能再处理。',
    en: 'This approval request is already {stateEn}; it can no longer be decided.',
  },
  'counter.operation_not_found': { status: 404, zh: '未找到该笔柜面业务。', en: 'No such counter operation.' },
  'counter.customer_exists': {
    status: 409,
    zh: '该身份证号码已登记为本行客户，请查询后办理。',
    en: 'A customer with this ID number is already registered; look them up instead.',
  },
  'counter.customer_not_found': { status: 404, zh: '未找到该客户。', en: 'No such customer.' },
  'counter.account_not_found': { status: 404, zh: '未找到该账户。', en: 'No such account.' },
  'counter.account_not_active': {
    status: 409,
    zh: '该账户状态为{status}，不能办理此业务。',
    en: 'The account is {statusEn}; this cannot be done on it.',
  },
  'counter.insufficient_funds': {
    status: 422,
    zh: '账户可用余额不足，可用余额为 {available} 元。',
    en: 'The available balance is not enough: CNY {available} is available.',
  },
  'counter.amount_invalid': {
    status: 422,
    zh: '金额应大于零，且最多两位小数。',
    en: 'The amount must be above zero with at most two decimals.',
  },
  'counter.idempotency_key_required': {
    status: 400,
    zh: '现金业务须附带 Idempotency-Key 请求头，以免重复记账。',
    en: 'A cash operation needs an Idempotency-Key header, so that it is never posted twice.',
  },
  'counter.balance_changed': {
    status: 409,
    zh: '账户余额自申请销户后已变动（申请时 {requested} 元，现为 {current} 元），请重新发起销户。',
    en: 'The balance changed since the closing was requested (CNY {requested} then, CNY {current} now); request the closing again.',
  },
  'counter.ebanking_exists': {
    status: 409,
    zh: '该客户已开通网上银行。',
    en: 'This customer already has online banking.',
  },
  'counter.ebanking_missing': {
    status: 409,
    zh: '该客户尚未开通网上银行。',
    en: 'This customer has no online banking yet.',
  },
  'counter.customer_state': {
    status: 409,
    zh: '客户当前状态为{status}，不能办理此业务。',
    en: 'The customer is {statusEn}; this cannot be done now.',
  },
  'counter.initial_password_format': {
    status: 422,
    zh: '初始密码应为 6 至 8 位数字。',
    en: 'The initial password is 6 to 8 digits.',
  },
  'counter.mobile_taken': {
    status: 409,
    zh: '该手机号码已被其他客户使用。',
    en: 'This mobile number is already used by another customer.',
  },
  'counter.account_has_holds': {
    status: 409,
    zh: '该账户尚有未处理的冻结款项，暂不能销户。',
    en: 'The account still has funds on hold; it cannot be closed yet.',
  },
  'counter.medium_not_found': { status: 404, zh: '未找到该安全介质。', en: 'No such security medium.' },
  'counter.serial_required': {
    status: 422,
    zh: '请填写新电子密码器背面的序列号。',
    en: 'Enter the serial number on the back of the new e-password device.',
  },
  'counter.serial_taken': {
    status: 409,
    zh: '该序列号已登记给其他介质。',
    en: 'This serial number is already registered to another medium.',
  },
  'counter.card_printed': {
    status: 410,
    zh: '该口令卡已打印过一次，不能再次打印；如有遗失请挂失后重新申领。',
    en: 'This password card was already printed once; it cannot be printed again. Revoke it and issue a new one.',
  },
  'counter.merchant_not_found': { status: 404, zh: '未找到该商户。', en: 'No such merchant.' },
  'counter.search_query': {
    status: 422,
    zh: '请输入身份证号码、卡号、账号或手机号码。',
    en: 'Enter an ID number, card number, account number or mobile number.',
  },
});

/** The states of a customer or account as a teller reads them in an error. */
export const STATUS_WORDS: Record<string, { zh: string; en: string }> = {
  active: { zh: '正常', en: 'active' },
  not_activated: { zh: '未激活', en: 'not activated' },
  suspended: { zh: '已暂停', en: 'suspended' },
  closed: { zh: '已销户', en: 'closed' },
  frozen: { zh: '已冻结', en: 'frozen' },
  under_investigation: { zh: '调查中', en: 'under investigation' },
  approved: { zh: '批准', en: 'approved' },
  rejected: { zh: '拒绝', en: 'rejected' },
  expired: { zh: '过期', en: 'expired' },
  completed: { zh: '完成', en: 'completed' },
};

/** The params of an error naming a state in both languages. */
export function statusParams(status: string, key = 'status') {
  const words = STATUS_WORDS[status] ?? { zh: status, en: status };
  return { [key]: words.zh, [`${key}En`]: words.en };
}
