import { defineErrors } from '../platform/errors.ts';

export const mediaErrors = defineErrors({
  'media.sms_too_soon': {
    status: 429,
    zh: '验证码已发送，请 {seconds} 秒后再重新获取。',
    en: 'A code was just sent. You can ask for a new one in {seconds} seconds.',
  },
  'media.sms_burst_cap': {
    status: 429,
    zh: '发送到该手机号的验证码过多，请于 {time}（北京时间，约 {minutes} 分钟后）再获取。',
    en: 'Too many codes were sent to this mobile. Ask for a new one after {time} (Beijing time, in about {minutes} minutes).',
  },
  'media.sms_daily_cap': {
    status: 429,
    zh: '今日获取短信验证码次数过多，请明日再试或拨打客服热线 400-000-9555。',
    en: 'Too many SMS codes today. Try again tomorrow or call 400-000-9555.',
  },
  'media.otp_wrong': {
    status: 401,
    zh: '短信验证码错误，还可尝试 {triesLeft} 次。',
    en: 'The SMS code is wrong; {triesLeft} tries left.',
  },
  'media.otp_expired': {
    status: 401,
    zh: '短信验证码已失效，请重新获取。',
    en: 'The SMS code has expired or was already used. Ask for a new one.',
  },
  'media.otp_too_many': {
    status: 401,
    zh: '短信验证码错误次数过多，请重新获取。',
    en: 'Too many wrong SMS codes. Ask for a new one.',
  },
  'media.wrong_answer': {
    status: 422,
    zh: '验证错误，还可尝试 {triesLeft} 次。',
    en: 'That answer is wrong; {triesLeft} tries left.',
  },
  'media.locked': {
    status: 423,
    zh: '该安全工具因连续验证错误已被锁定，请携带身份证件到网点解锁，或选择其他安全工具。',
    en: 'This security medium is locked after too many wrong answers. Unlock it at a branch with your ID, or choose another medium.',
  },
  'media.challenge_invalid': {
    status: 409,
    zh: '本次验证已失效，请重新获取。',
    en: 'This check is no longer valid. Please ask for a new one.',
  },
  'media.method_unavailable': {
    status: 422,
    zh: '该安全工具不能用于此操作，请选择其他安全工具。',
    en: 'That security medium cannot authorize this. Please choose another.',
  },
  'media.not_found': {
    status: 404,
    zh: '未找到该安全工具。',
    en: 'There is no such security medium.',
  },
  'media.none_usable': {
    status: 422,
    zh: '您没有可用于此操作的安全工具，请到网点申领口令卡、电子密码器或 U 盾。',
    en: 'You hold no security medium that can authorize this. Get a password card, e-password device or U-shield at a branch.',
  },
  'media.payment_password_weak': {
    status: 422,
    zh: '支付密码过于简单（如 111111、123456），请换一个。',
    en: 'That payment password is too easy to guess (such as 111111 or 123456). Please choose another.',
  },
  'media.payment_password_not_for_tier': {
    status: 409,
    zh: '您已持有口令卡、电子密码器等安全工具，付款请使用它们，无需支付密码。',
    en: 'You hold a stronger security medium; pay with it. A payment password is for static-password customers only.',
  },
  'media.u_shield_not_issued': {
    status: 409,
    zh: '该 U 盾的证书已下载或不可用。',
    en: "That U-shield's certificate has already been downloaded, or the U-shield cannot be used.",
  },
  'media.passkey_rejected': {
    status: 422,
    zh: '指纹/面容登录未开通（需在本机验证指纹或面容），请重试。',
    en: 'Fingerprint / face login was not turned on (this phone must verify your fingerprint or face). Please try again.',
  },
  'media.u_shield_rejected': {
    status: 422,
    zh: 'U 盾证书下载未成功（需插入 U 盾、输入其 PIN 并按键确认），请重新下载。',
    en: 'The U-shield certificate was not downloaded (insert the U-shield, enter its PIN and press its button). Please start again.',
  },
});
