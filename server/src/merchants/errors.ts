import { defineErrors } from '../platform/errors.ts';

/** The merchant gateway's codes. Gateway page errors are shown as an HTML page, the codes name the reason. */
export const merchantErrors = defineErrors({
  'merchant.name_invalid': { status: 422, zh: '请填写商户名称。', en: 'Enter the merchant name.' },
  'merchant.public_key_invalid': {
    status: 422,
    zh: '商户公钥不是有效的 RSA 公钥（PEM 格式）。',
    en: 'The merchant public key is not a valid RSA public key in PEM format.',
  },
  'merchant.sign_type_invalid': { status: 422, zh: '签名类型只支持 RSA2。', en: 'The only signature type is RSA2.' },
  'merchant.settlement_account_invalid': {
    status: 422,
    zh: '结算账户不存在或不可用。',
    en: 'The settlement account does not exist or is not active.',
  },
  'merchant.notify_url_prefix_invalid': {
    status: 422,
    zh: '通知地址前缀须为完整的 URL（生产环境须为 https），不得含用户名密码、查询参数或片段。',
    en: 'The notify URL prefix must be an absolute URL (https in production) without credentials, query or fragment.',
  },
  'gateway.app_unknown': { status: 400, zh: '商户应用不存在或已停用。', en: 'Unknown or suspended merchant app.' },
  'gateway.sign_invalid': { status: 400, zh: '签名验证失败。', en: 'The signature does not verify.' },
  'gateway.timestamp_invalid': {
    status: 400,
    zh: '请求时间戳无效或已过期（允许误差 10 分钟）。',
    en: 'The timestamp is malformed or outside the 10-minute window.',
  },
  'gateway.param_invalid': { status: 400, zh: '请求参数 {field} 不正确。', en: 'The parameter {field} is not valid.' },
  'gateway.key_version_unknown': {
    status: 404,
    zh: '没有该版本的银行公钥（已轮换的公钥在轮换后保留 7 天）。',
    en: 'No bank public key of this version (a replaced key is kept for 7 days after the rotation).',
  },
  'gateway.order_conflict': {
    status: 400,
    zh: '该商户订单号已用于另一笔不同的订单。',
    en: 'This out_trade_no was already used for an order with different parameters.',
  },
  'gateway.order_closed': {
    status: 400,
    zh: '该订单已关闭或已支付。',
    en: 'This order is closed or already paid.',
  },
  'checkout.not_found': { status: 404, zh: '订单不存在。', en: 'No such order.' },
  'checkout.order_closed': {
    status: 409,
    zh: '该订单已关闭（超时未支付或已被商户关闭），不能再支付。请返回商户网站重新下单。',
    en: 'This order is closed (it expired or the merchant closed it) and cannot be paid. Go back to the shop and order again.',
  },
  'checkout.already_paid': { status: 409, zh: '该订单已支付。', en: 'This order has already been paid.' },
  'checkout.ecommerce_disabled': {
    status: 403,
    zh: '您尚未开通网上支付（电子商务）功能。请携带身份证件和银行卡到任一网点柜台开通后再支付。',
    en: 'Online payment (the e-commerce function) is not enabled for you. Enable it at any branch counter with your ID card and bank card, then pay.',
  },
  'checkout.merchant_unavailable': {
    status: 409,
    zh: '该商户的收款账户暂不可用，无法支付。请返回商户网站选择其他付款方式或联系商户。',
    en: "The merchant's receiving account is not available, so this order cannot be paid. Go back to the shop to choose another way to pay or contact the merchant.",
  },
  'checkout.in_progress_elsewhere': {
    status: 409,
    zh: '该订单正由另一位客户支付确认中，请稍后再试或返回商户网站重新下单。',
    en: 'Another customer is confirming a payment of this order. Try again later, or go back to the shop and order again.',
  },
  'checkout.not_awaiting_authorization': {
    status: 409,
    zh: '该订单没有等待确认的支付，请重新选择付款账户。',
    en: 'No payment of this order is waiting for confirmation; choose the paying account again.',
  },
  'checkout.authorization_expired': {
    status: 409,
    zh: '确认时间已过，请重新选择付款账户并确认。',
    en: 'The time to confirm has passed; choose the paying account and confirm again.',
  },
});
