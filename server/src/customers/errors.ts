import { defineErrors } from '../platform/errors.ts';

export const customerErrors = defineErrors({
  'customer.not_found': { status: 404, zh: '未找到该客户。', en: 'No such customer.' },
  'customer.id_number_invalid': {
    status: 422,
    zh: '身份证号码不正确，请核对后重新输入。',
    en: 'The resident ID number is not valid. Please check it and try again.',
  },
  'customer.id_number_taken': {
    status: 409,
    zh: '该身份证号码已登记为本行客户。',
    en: 'A customer with this ID number is already registered.',
  },
  'customer.mobile_invalid': {
    status: 422,
    zh: '手机号码应为 11 位数字。',
    en: 'The mobile number must be 11 digits starting with 1.',
  },
  'customer.mobile_taken': {
    status: 409,
    zh: '该手机号码已被其他客户使用。',
    en: 'This mobile number is already used by another customer.',
  },
  'customer.name_invalid': { status: 422, zh: '请输入证件上的姓名。', en: 'Enter the name as on the ID card.' },
  'account.not_found': { status: 404, zh: '未找到该账户。', en: 'No such account.' },
  'account.pin_invalid': {
    status: 401,
    zh: '银行卡密码错误，当日连续错误 3 次将被锁定。',
    en: 'The card PIN is wrong; after 3 wrong PINs in a day the card PIN is blocked until tomorrow.',
  },
  'account.pin_blocked': {
    status: 423,
    zh: '银行卡密码当日错误次数过多，已暂停使用，请明日再试或携带身份证件到网点办理。',
    en: 'Too many wrong card PINs today: the PIN is blocked until tomorrow. Try again then, or visit a branch with your ID.',
  },
  'account.pin_format': { status: 422, zh: '银行卡密码为 6 位数字。', en: 'The card PIN is 6 digits.' },
});
