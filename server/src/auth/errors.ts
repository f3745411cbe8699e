import { defineErrors } from '../platform/errors.ts';

const HOTLINE = '400-000-9555';

export const authErrors = defineErrors({
  'auth.invalid_credentials': {
    status: 401,
    zh: '登录信息有误：账号或密码不正确。',
    en: 'The sign-in details are wrong: the account or the password is not correct.',
  },
  'auth.captcha_required': {
    status: 401,
    zh: '请输入图片中的验证码。',
    en: 'Enter the characters shown in the picture.',
  },
  'auth.captcha_invalid': {
    status: 401,
    zh: '验证码错误或已过期，请重新输入。',
    en: 'The picture code is wrong or has expired; try the new one.',
  },
  'auth.locked': {
    status: 423,
    zh: `登录密码连续输错次数过多，已被锁定，{until}（北京时间）后自动解锁。您也可以通过"忘记密码"在线重置，或携带本人身份证件到网点解锁。`,
    en: 'Too many wrong passwords: sign-in is locked until {until} (Beijing time). You can reset the password online ("Forgot password") or unlock it at a branch with your ID.',
  },
  'auth.not_activated': {
    status: 403,
    zh: '您的网上银行尚未激活，请使用柜台提供的临时密码登录并修改密码。',
    en: 'Your online banking is not activated yet: sign in with the temporary password from the branch and change it.',
  },
  'auth.temporary_password_expired': {
    status: 403,
    zh: '柜面提供的临时密码已超过 30 天有效期，不能再登录。请通过“忘记密码”在线重置，或携带本人身份证件到网点重置。',
    en: 'The temporary password from the branch is more than 30 days old and no longer signs in. Reset it online ("Forgot password") or at a branch with your ID.',
  },
  'auth.account_frozen': {
    status: 403,
    zh: `您的网上银行已暂停服务。请携带本人身份证件到网点办理，或致电客服热线 ${HOTLINE}。`,
    en: `Your online banking is suspended. Please visit a branch with your ID, or call ${HOTLINE}.`,
  },
  'auth.account_closed': {
    status: 403,
    zh: `您的网上银行已注销。如需重新开通，请携带本人身份证件到网点办理。`,
    en: 'Your online banking has been closed. To use it again, register at a branch with your ID.',
  },
  'auth.under_investigation': {
    status: 403,
    zh: `因安全原因，您的网上银行暂不能登录。请携带本人身份证件到开户网点核实，或致电客服热线 ${HOTLINE}。`,
    en: `For security reasons your online banking cannot be used at present. Please visit your branch with your ID, or call ${HOTLINE}.`,
  },
  'auth.attempt_expired': {
    status: 410,
    zh: '登录已超时，请重新登录。',
    en: 'This sign-in has timed out; please sign in again.',
  },
  'auth.challenge_failed': {
    status: 401,
    zh: '安全验证未通过：{reason}',
    en: 'The security check failed: {reason}',
  },
  'auth.password_policy': {
    status: 422,
    zh: '新密码不符合要求：{reason}',
    en: 'The new password does not meet the rules: {reasonEn}',
  },
  'auth.password_wrong': {
    status: 401,
    zh: '当前登录密码不正确。',
    en: 'The current password is not correct.',
  },
  'auth.session_required': {
    status: 401,
    zh: '您尚未登录或登录已超时，请重新登录。',
    en: 'You are not signed in, or your session has timed out; please sign in again.',
  },
  'auth.login_name_invalid': {
    status: 422,
    zh: '登录名须为 6–15 位字母、数字或下划线，以字母开头，且不能全为数字。',
    en: 'A login name has 6–15 letters, digits or underscores, starts with a letter and is not all digits.',
  },
  'auth.login_name_taken': {
    status: 409,
    zh: '该登录名已被使用，请换一个。',
    en: 'This login name is taken; choose another.',
  },
  'auth.reserved_message_invalid': {
    status: 422,
    zh: '预留信息为 1–20 个字符。',
    en: 'The reserved message has 1 to 20 characters.',
  },
  'auth.passkey_failed': {
    status: 401,
    zh: '指纹/面容登录未成功，请使用密码登录。',
    en: 'Fingerprint / face sign-in did not succeed. Please sign in with your password.',
  },
  'auth.not_found': { status: 404, zh: '未找到该记录。', en: 'No such record.' },
  'system.maintenance': {
    status: 503,
    zh: '系统维护中：{message}',
    en: 'Under maintenance: {message}',
  },
});
