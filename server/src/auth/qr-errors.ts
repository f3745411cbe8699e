import { defineErrors } from '../platform/errors.ts';

/** QR login's error codes (API.md, "Session and login": QR login), beside auth's own catalogue. */
export const qrErrors = defineErrors({
  'auth.qr_not_found': {
    status: 404,
    zh: '二维码不存在或已失效，请刷新二维码。',
    en: 'This QR code does not exist or is no longer valid; get a new one.',
  },
  'auth.qr_expired': {
    status: 410,
    zh: '二维码已过期，请在电脑上刷新二维码后重新扫描。',
    en: 'This QR code has expired; get a new one on the computer and scan again.',
  },
  'auth.qr_used': {
    status: 409,
    zh: '该二维码已被使用，请在电脑上刷新二维码后重新扫描。',
    en: 'This QR code has already been used; get a new one on the computer and scan again.',
  },
  'auth.qr_mobile_only': {
    status: 403,
    zh: '请使用已登录的金库手机银行扫码。',
    en: 'Scan the code with the Jinku mobile app, signed in.',
  },
  'auth.qr_wrong_number': {
    status: 422,
    zh: '您选择的数字与电脑上显示的不一致，本次扫码登录已拒绝。如非本人发起，请勿再扫描陌生二维码。',
    en: 'The number you picked is not the one on the computer, so this sign-in was refused. If you did not start it, do not scan codes you do not trust.',
  },
  'auth.qr_password_required': {
    status: 403,
    zh: '为确认是您本人操作，请输入登录密码后再确认登录。',
    en: 'To confirm it is you, enter your login password before approving.',
  },
  'auth.qr_too_many': {
    status: 429,
    zh: '扫码登录过于频繁，请稍后再试。',
    en: 'Too many QR sign-ins; please try again later.',
  },
});
