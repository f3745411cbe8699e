import { defineErrors } from '../platform/errors.ts';

/** Corporate e-banking's error codes (API.md, "Corporate e-banking"), both languages. */
export const corporateErrors = defineErrors({
  'corporate.uscc_invalid': {
    status: 422,
    zh: '统一社会信用代码有误（应为 18 位，末位校验码须正确），请核对营业执照。',
    en: 'The unified social credit code is not valid (18 characters with the right check character); check the business licence.',
  },
  'corporate.enterprise_exists': {
    status: 409,
    zh: '该统一社会信用代码已开通企业网银。',
    en: 'An enterprise with this unified social credit code already has corporate e-banking.',
  },
  'corporate.account_unavailable': {
    status: 409,
    zh: '账户不存在、不是正常状态，或已属于其他企业。',
    en: 'An account does not exist, is not active, or already belongs to another enterprise.',
  },
  'corporate.invalid_credentials': {
    status: 401,
    zh: '企业客户号、操作员号或密码错误。',
    en: 'The enterprise code, operator code or password is wrong.',
  },
  'corporate.locked': {
    status: 423,
    zh: '该操作员因连续输错密码已被锁定，请于 {until}（北京时间）后再试，或请本企业主管解锁。',
    en: "This operator is locked after too many wrong passwords until {until} (Beijing time); or ask the enterprise's administrator to unlock it.",
  },
  'corporate.attempt_invalid': {
    status: 409,
    zh: '登录已超时或步骤不对，请重新登录。',
    en: 'The sign-in timed out or this step does not fit; please sign in again.',
  },
  'corporate.password_policy': {
    status: 422,
    zh: '新密码不符合要求：{reason}',
    en: 'The new password does not meet the rules: {reasonEn}',
  },
  'corporate.session_required': {
    status: 401,
    zh: '尚未登录企业网银或登录已超时，请重新登录。',
    en: 'You are not signed in to corporate e-banking, or the session timed out; please sign in again.',
  },
  'corporate.role_forbidden': {
    status: 403,
    zh: '您的操作员角色无权进行此操作。',
    en: 'Your operator role is not allowed to do this.',
  },
  'corporate.operator_code_taken': {
    status: 409,
    zh: '该操作员号已被使用。',
    en: 'This operator code is already in use.',
  },
  'corporate.operator_not_found': { status: 404, zh: '未找到该操作员。', en: 'No such operator.' },
  'corporate.enterprise_not_found': { status: 404, zh: '未找到该企业。', en: 'No such enterprise.' },
  'corporate.account_not_allowed': {
    status: 403,
    zh: '该账户不属于本企业，或您无权使用该账户。',
    en: 'This account does not belong to the enterprise, or you may not use it.',
  },
  'corporate.policy_invalid': {
    status: 422,
    zh: '授权策略有误：{reason}',
    en: 'The approval policy is not valid: {reasonEn}',
  },
  'corporate.no_policy': {
    status: 409,
    zh: '该账户尚未设置授权策略，不能付款。请主管先设置授权策略。',
    en: 'This account has no approval policy, so it cannot pay; the administrator must set one first.',
  },
  'corporate.operator_limit': {
    status: 422,
    zh: '超过您的操作员限额：单笔 {single} 元，当日 {daily} 元，今日已用 {used} 元。',
    en: 'This is above your operator limit: CNY {single} a payment, CNY {daily} a day, CNY {used} used today.',
  },
  'corporate.enterprise_limit': {
    status: 422,
    zh: '超过企业当日付款限额 {daily} 元，今日已付 {used} 元。',
    en: 'This is above the enterprise daily limit of CNY {daily}; CNY {used} was paid today.',
  },
  'corporate.instruction_not_found': { status: 404, zh: '未找到该指令。', en: 'No such instruction.' },
  'corporate.instruction_closed': {
    status: 409,
    zh: '该指令当前状态为“{state}”，不能再处理。',
    en: 'This instruction is {stateEn}; it can no longer be acted on.',
  },
  'corporate.maker_cannot_approve': {
    status: 403,
    zh: '制单人不能复核或授权本人录入的指令。',
    en: 'The maker of an instruction cannot approve or release it.',
  },
  'corporate.already_signed': {
    status: 409,
    zh: '您已签署过该指令，同一人不能重复签署。',
    en: 'You have already signed this instruction; nobody signs twice.',
  },
  'corporate.not_eligible': {
    status: 403,
    zh: '您不在该指令当前审批级别的授权人之列。',
    en: 'You are not among the approvers of this instruction at its current level.',
  },
  'corporate.medium_required': {
    status: 409,
    zh: '您尚未登记 U 盾或通行密钥，不能签署。',
    en: 'You have no U-shield or passkey registered, so you cannot sign.',
  },
  'corporate.insufficient_funds': {
    status: 422,
    zh: '付款账户可用余额不足。',
    en: 'The paying account does not have enough available balance.',
  },
  'corporate.batch_invalid': {
    status: 422,
    zh: '代发文件有误：{reason}',
    en: 'The payroll file cannot be used: {reasonEn}',
  },
  'corporate.payee_invalid': {
    status: 422,
    zh: '收款账号或户名有误，请核对。',
    en: 'The payee account number or name is wrong; please check it.',
  },
});

/** The Chinese and English names of an instruction's state, for messages. */
export const STATE_NAMES: Record<string, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'a draft' },
  pending: { zh: '待复核', en: 'waiting for approval' },
  pending_release: { zh: '待授权', en: 'waiting for release' },
  executed: { zh: '已执行', en: 'executed' },
  rejected: { zh: '已拒绝', en: 'rejected' },
  expired: { zh: '已过期', en: 'expired' },
};
