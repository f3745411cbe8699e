import { addMessages } from '../i18n';

/** Messages of the checkout page `/pay/{tradeNo}` (namespace `pay`). Keep zh and en in step. */
const zh = {
  title: '金库网上支付',
  merchant: '收款商户',
  subject: '订单内容',
  amount: '支付金额',
  tradeNo: '订单号',
  expiresAt: '请在 {{time}} 前完成支付',
  signInTitle: '登录网上银行付款',
  signInLead: '请用您的金库网上银行账号登录，登录后选择付款账户并用安全工具确认。',
  from: '付款账户',
  choose: '请选择付款账户',
  missingAccount: '请选择付款账户',
  available: '可用余额',
  pay: '确认付款',
  authorizeLead: '为保障资金安全，本笔网上支付需要使用{{medium}}确认。',
  signOut: '换个账号',
  paidTitle: '支付成功',
  paidBody: '您已向 {{merchant}} 支付，款项已从您的账户扣除。',
  backToShop: '返回商户',
  noReturn: '商户未提供返回地址，您可以关闭此页面。',
  closedTitle: '订单已关闭',
  closedBody: '该订单已超时或已被商户关闭，不能再支付。请返回商户网站重新下单。',
  alreadyPaid: '该订单已支付，无需再付。',
  notFound: '订单不存在，请返回商户网站重新下单。',
  safety: '金库不会通过电话、短信索要您的验证码；请确认地址栏是金库的网址，并核对上方商户和金额。',
};

const en: typeof zh = {
  title: 'Jinku online payment',
  merchant: 'Merchant',
  subject: 'Order',
  amount: 'Amount',
  tradeNo: 'Order number',
  expiresAt: 'Pay before {{time}}',
  signInTitle: 'Sign in to pay',
  signInLead:
    'Sign in with your Jinku web banking login, then choose the paying account and confirm with your security medium.',
  from: 'Pay from',
  choose: 'Choose an account',
  missingAccount: 'Choose the paying account',
  available: 'Available',
  pay: 'Pay now',
  authorizeLead: 'To keep your money safe, confirm this online payment with your {{medium}}.',
  signOut: 'Use another login',
  paidTitle: 'Payment made',
  paidBody: 'You have paid {{merchant}}; the amount has been taken from your account.',
  backToShop: 'Back to the shop',
  noReturn: 'The merchant gave no way back; you may close this page.',
  closedTitle: 'Order closed',
  closedBody:
    'This order expired or the merchant closed it, so it cannot be paid. Go back to the shop and order again.',
  alreadyPaid: 'This order has already been paid.',
  notFound: 'No such order. Go back to the shop and order again.',
  safety:
    'Jinku never asks for your codes by phone or SMS; check that the address bar shows Jinku, and check the merchant and amount above.',
};

addMessages('pay', zh, en);
