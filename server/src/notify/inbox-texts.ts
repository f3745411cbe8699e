import { chinaDateTime } from '../platform/business-day.ts';
import type { Lang } from '../platform/errors.ts';
import { formatMoneyGrouped } from '../platform/money.ts';

/**
 * The in-app messages (消息中心) the bank writes, in both languages, in one place like the SMS texts.
 * A message is stored as its kind and its facts (amounts in fen, instants in ms) and rendered in the
 * reader's language when read, so switching the app's language switches old messages too. Times a
 * person reads are Beijing time.
 */
const HOTLINE = '400-000-9555';

type Text = { title: string; body: string };
type Catalogue = Record<string, { zh: (p: Params) => Text; en: (p: Params) => Text }>;
type Params = Record<string, string | number>;

const str = (p: Params, key: string) => String(p[key] ?? '—');
const amount = (p: Params, key: string) => formatMoneyGrouped(Number(p[key] ?? 0));
const at = (p: Params) => chinaDateTime(Number(p.atMs ?? 0));
/** ", 北京" after a device when the message names the place of its address (older messages do not). */
const placeAfter = (p: Params, key: 'placeZh' | 'placeEn', comma: string) =>
  p[key] === undefined ? '' : `${comma}${String(p[key])}`;

/** The medium names a media message may carry (media's kinds). */
const MEDIA_NAMES: Record<string, { zh: string; en: string }> = {
  sms: { zh: '短信验证码', en: 'SMS codes' },
  password_card: { zh: '口令卡', en: 'password card' },
  e_token: { zh: '电子密码器', en: 'e-password device' },
  soft_token: { zh: '手机令牌', en: 'authenticator app' },
  u_shield: { zh: 'U 盾', en: 'U-shield' },
  passkey: { zh: '指纹/面容登录', en: 'fingerprint / face login' },
  payment_password: { zh: '支付密码', en: 'payment password' },
};
const mediumName = (p: Params, lang: 'zh' | 'en') => MEDIA_NAMES[str(p, 'medium')]?.[lang] ?? str(p, 'medium');
const serialZh = (p: Params) => (p.serial ? `（序号 ${p.serial}）` : '');
const serialEn = (p: Params) => (p.serial ? ` (serial ${p.serial})` : '');

/**
 * What moved the money (the 摘要 of a bank's SMS), by the journal entry's kind. A message written before
 * the kind was stored, or of a kind not named here, simply goes without it.
 */
const SUMMARIES: Record<string, { zh: string; en: string }> = {
  transfer: { zh: '转账', en: 'transfer' },
  bill_payment: { zh: '缴费', en: 'bill payment' },
  merchant_payment: { zh: '网上支付', en: 'online payment' },
  merchant_refund: { zh: '网上支付退款', en: 'online payment refund' },
  cash_deposit: { zh: '现金存入', en: 'cash deposit' },
  cash_withdrawal: { zh: '现金支取', en: 'cash withdrawal' },
  clearing_return: { zh: '跨行汇款退回', en: 'inter-bank transfer returned' },
  corporate_payment: { zh: '对公付款', en: 'company payment' },
  corporate_payroll: { zh: '代发工资', en: 'payroll' },
};

/** The summary and the other party, as the parenthesis of a 动账通知: （转账，对方 李*）. */
function balanceDetailsZh(p: Params): string {
  const parts = [
    SUMMARIES[String(p.entryKind)]?.zh,
    p.branch ? `网点 ${p.branch}` : undefined,
    p.counterparty ? `对方 ${p.counterparty}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? `（${parts.join('，')}）` : '';
}

function balanceDetailsEn(p: Params, preposition: string): string {
  const parts = [
    SUMMARIES[String(p.entryKind)]?.en,
    p.branch ? `branch ${p.branch}` : undefined,
    p.counterparty ? `${preposition} ${p.counterparty}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * A 动账通知 as Chinese banks word them: the account's last four digits only, the time in Beijing time,
 * the direction (收入/支出), the amount, what moved it and the other party, and the available balance the
 * entry left.
 */
const balanceZh = (p: Params, direction: '收入' | '支出') =>
  `您尾号 ${str(p, 'accountLast4')} 的账户于 ${at(p)} ${direction}人民币 ${amount(p, 'amountFen')} 元${balanceDetailsZh(p)}，可用余额 ${amount(p, 'balanceFen')} 元。`;

const balanceEn = (p: Params, verb: string, preposition: string) =>
  `Your account ending ${str(p, 'accountLast4')} ${verb} CNY ${amount(p, 'amountFen')} at ${at(p)}${balanceDetailsEn(p, preposition)}. Available balance: CNY ${amount(p, 'balanceFen')}.`;

const catalogue = {
  /** Money left a customer's account (动账通知, 支出): any journal entry that debited it. */
  'balance.debit': {
    zh: (p) => ({ title: '动账通知', body: balanceZh(p, '支出') }),
    en: (p) => ({ title: 'Balance change', body: balanceEn(p, 'paid out', 'to') }),
  },
  /** Money reached a customer's account (动账通知, 收入): any journal entry that credited it. */
  'balance.credit': {
    zh: (p) => ({ title: '动账通知', body: balanceZh(p, '收入') }),
    en: (p) => ({ title: 'Balance change', body: balanceEn(p, 'received', 'from') }),
  },
  /** A sign-in from a device the bank had not seen. */
  'auth.new_device': {
    zh: (p) => ({
      title: '新设备登录',
      body: `您的网上银行于 ${at(p)} 在新设备（${str(p, 'device')}${placeAfter(p, 'placeZh', '，')}）上登录。如非本人操作，请立即修改登录密码并致电 ${HOTLINE}。`,
    }),
    en: (p) => ({
      title: 'Sign-in from a new device',
      body: `Your online banking was signed in on a new device (${str(p, 'device')}${placeAfter(p, 'placeEn', ', ')}) at ${at(p)}. If this was not you, change your password and call ${HOTLINE} at once.`,
    }),
  },
  /** A web sign-in approved from the phone by QR code. */
  'auth.qr_login': {
    zh: (p) => ({
      title: '扫码登录',
      body: `您于 ${at(p)} 扫码登录了网上银行（${str(p, 'device')}，IP ${str(p, 'ip')}${placeAfter(p, 'placeZh', '，')}）。如非本人操作，请立即在安全中心结束该会话并修改密码。`,
    }),
    en: (p) => ({
      title: 'QR sign-in',
      body: `A new web sign-in by QR code at ${at(p)} (${str(p, 'device')}, IP ${str(p, 'ip')}${placeAfter(p, 'placeEn', ', ')}). If this was not you, end that session in the security centre and change your password.`,
    }),
  },
  /** The login password locked after too many wrong tries. */
  'auth.locked': {
    zh: (p) => ({
      title: '登录已锁定',
      body: `您的登录密码因连续 ${str(p, 'failures')} 次输入错误已锁定，将于 ${chinaDateTime(Number(p.untilMs ?? 0))} 自动解锁；也可通过“忘记密码”重置。如非本人操作，请致电 ${HOTLINE}。`,
    }),
    en: (p) => ({
      title: 'Sign-in locked',
      body: `Your login password is locked after ${str(p, 'failures')} wrong tries, until ${chinaDateTime(Number(p.untilMs ?? 0))}; you can also reset it with "Forgot password". If this was not you, call ${HOTLINE}.`,
    }),
  },
  /** The login lock lifted: an online reset or an unlock at the counter. */
  'auth.unlocked': {
    zh: (p) => ({
      title: '登录已解锁',
      body: `您的网上银行登录密码已于 ${at(p)} 解锁。如非本人操作，请致电 ${HOTLINE}。`,
    }),
    en: (p) => ({
      title: 'Sign-in unlocked',
      body: `Your online banking login was unlocked at ${at(p)}. If this was not you, call ${HOTLINE}.`,
    }),
  },
  /** A security medium was added or turned on. */
  'media.added': {
    zh: (p) => ({
      title: '安全工具变更',
      body: `您于 ${at(p)} 开通了${mediumName(p, 'zh')}${serialZh(p)}。如非本人操作，请立即致电 ${HOTLINE}。`,
    }),
    en: (p) => ({
      title: 'Security medium changed',
      body: `Your ${mediumName(p, 'en')}${serialEn(p)} was turned on at ${at(p)}. If this was not you, call ${HOTLINE} at once.`,
    }),
  },
  /** A security medium was turned off, revoked or deleted. */
  'media.removed': {
    zh: (p) => ({
      title: '安全工具变更',
      body: `您的${mediumName(p, 'zh')}${serialZh(p)}已于 ${at(p)} 停用。如非本人操作，请立即致电 ${HOTLINE}。`,
    }),
    en: (p) => ({
      title: 'Security medium changed',
      body: `Your ${mediumName(p, 'en')}${serialEn(p)} was turned off at ${at(p)}. If this was not you, call ${HOTLINE} at once.`,
    }),
  },
  /** A medium reported lost has stopped. */
  'media.reported_lost': {
    zh: (p) => ({
      title: '安全工具挂失',
      body: `您的${mediumName(p, 'zh')}${serialZh(p)}已于 ${at(p)} 挂失并停用。请携带身份证件到网点补办。`,
    }),
    en: (p) => ({
      title: 'Security medium reported lost',
      body: `Your ${mediumName(p, 'en')}${serialEn(p)} was reported lost at ${at(p)} and has stopped. Get a new one at a branch with your ID.`,
    }),
  },
} satisfies Catalogue;

/** Every kind of in-app message. */
export type InboxKind = keyof typeof catalogue;
export const INBOX_KINDS = Object.keys(catalogue) as InboxKind[];

/** Whether a message is about money (动账) or about security: the app files them apart. */
export function categoryOf(kind: InboxKind): 'balance' | 'security' {
  return kind.startsWith('balance.') ? 'balance' : 'security';
}

/** A stored message's title and body in the reader's language. */
export function inboxText(kind: string, params: Params, lang: Lang): Text {
  const entry = (catalogue as Catalogue)[kind];
  if (!entry) return { title: kind, body: '' };
  return lang === 'en' ? entry.en(params) : entry.zh(params);
}
