import { addMessages } from '../i18n';

/**
 * Messages of the sign-in's security check beyond the common ones (namespace `login`): the media it may
 * switch to and the resend button. Keep zh and en in step.
 */
const zh = {
  challenge: {
    media: { sms: '短信验证码', password_card: '密码卡', e_token: '动态令牌' },
    useInstead: '改用{{medium}}',
    resend: '重新获取验证码',
  },
};

const en: typeof zh = {
  challenge: {
    media: { sms: 'SMS code', password_card: 'password card', e_token: 'e-token' },
    useInstead: 'Use the {{medium}} instead',
    resend: 'Send a new code',
  },
};

addMessages('login', zh, en);
