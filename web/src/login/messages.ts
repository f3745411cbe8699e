import { addMessages } from '../i18n';

/**
 * Messages of the sign-in's security check beyond the common ones (namespace `login`): the media it may
 * switch to and the resend button; the QR tab's matching number and countdown. Keep zh and en in step.
 */
const zh = {
  challenge: {
    media: { sms: '短信验证码', password_card: '密码卡', e_token: '动态令牌' },
    useInstead: '改用{{medium}}',
    resend: '重新获取验证码',
  },
  qr: {
    numberLabel: '配对数字',
    numberHint: '扫码后请在手机上选择这个数字',
    countdown: '{{seconds}} 秒后自动更新二维码',
    step3: '选择配对数字并确认',
  },
};

const en: typeof zh = {
  challenge: {
    media: { sms: 'SMS code', password_card: 'password card', e_token: 'e-token' },
    useInstead: 'Use the {{medium}} instead',
    resend: 'Send a new code',
  },
  qr: {
    numberLabel: 'Matching number',
    numberHint: 'After scanning, pick this number on your phone',
    countdown: 'A new code in {{seconds}} s',
    step3: 'Pick the number and confirm',
  },
};

addMessages('login', zh, en);
