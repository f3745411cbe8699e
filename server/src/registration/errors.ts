import { defineErrors } from '../platform/errors.ts';

const HOTLINE = '400-000-9555';

/**
 * The registration domain's codes. `registration.details_mismatch` is the one answer to every detail
 * that does not match the bank's records, whichever it is (card, PIN — blocked included — name, ID,
 * mobile, SMS code, e-banking already there): the message says what may be wrong in general, never
 * which field.
 */
export const registrationErrors = defineErrors({
  'registration.details_mismatch': {
    status: 422,
    zh: `您填写的信息与本行记录不符，或短信验证码错误、已失效。请核对后重试（银行卡密码每日最多可输错 3 次）。如已开通网上银行，请直接登录或使用"忘记密码"。如有疑问，请致电 ${HOTLINE} 或到网点办理。`,
    en: `The details do not match the bank's records, or the SMS code is wrong or has expired. Check them and try again (a card PIN may be entered wrongly at most 3 times a day). If you already have online banking, sign in or use "Forgot password". For help call ${HOTLINE} or visit a branch.`,
  },
  'registration.agreement_outdated': {
    status: 409,
    zh: '服务协议已更新，请阅读并同意最新版本后再提交。',
    en: 'The service agreement has changed: read and accept the current version, then submit again.',
  },
  'registration.sms_too_soon': {
    status: 429,
    zh: '短信验证码已发送，请 {seconds} 秒后再重新获取。',
    en: 'A code was just sent; you can ask for a new one in {seconds} seconds.',
  },
  'registration.sms_limit': {
    status: 429,
    zh: '获取验证码过于频繁，请稍后再试。',
    en: 'Too many codes were asked for; please try again later.',
  },
  'registration.card_not_bound': {
    status: 403,
    zh: '请先绑定本人银行卡，再查询账户或办理转账。',
    en: 'Bind one of your bank cards first; then you can see your accounts and make payments.',
  },
  'registration.reset_expired': {
    status: 410,
    zh: '找回密码已超时或已完成，请重新开始。',
    en: 'This password reset has timed out or is finished; please start again.',
  },
});
