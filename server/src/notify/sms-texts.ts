import type { Lang } from '../platform/errors.ts';

/**
 * Every SMS text the bank sends, in both languages, in one place (like the error catalogue): the texts
 * had drifted apart when each call site wrote its own. `{name}` is filled from the params, and the
 * compiler knows which params each text needs. A validity period is never written into a text: the
 * caller passes the real one (`minutes`, from the code's TTL), so the message cannot promise a time the
 * code does not have. Times a person reads are local (platform/business-day.ts `chinaDateTime`).
 */
const HOTLINE = '400-000-9555';

const texts = {
  /** The sign-in step-up code (auth). */
  'login.otp': {
    zh: '【金库】验证码 {code}，用于登录网上银行，{minutes} 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。',
    en: '[Jinku] Code {code} to sign in to online banking, valid for {minutes} minutes. Bank staff never ask for it: tell no one.',
  },
  /** Confirms a new personal login name (auth, security centre). */
  /** A medium the customer reported lost has stopped (media, security centre). */
  'media.reported_lost': {
    zh: `【金库】您的安全工具（序号 {serial}）已挂失，即时停用。请携带身份证件到网点补办。如非本人操作，请立即致电 ${HOTLINE}。`,
    en: `[Jinku] Your security medium (serial {serial}) was reported lost and has stopped. Get a new one at a branch with your ID. If this was not you, call ${HOTLINE} at once.`,
  },
  /** Confirms setting the payment password (media, security centre). */
  'security.payment_password': {
    zh: '【金库】验证码 {code}，用于设置网上银行支付密码，{minutes} 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。',
    en: '[Jinku] Code {code} to set your online banking payment password, valid for {minutes} minutes. Bank staff never ask for it: tell no one.',
  },
  /** Confirms binding a soft token (an authenticator app) to online banking (media, security centre). */
  'security.totp': {
    zh: '【金库】验证码 {code}，用于绑定手机令牌（身份验证器应用），{minutes} 分钟内有效。如非本人操作，切勿告诉他人。',
    en: '[Jinku] Code {code} to bind an authenticator app to your online banking, valid for {minutes} minutes. If this was not you, tell no one.',
  },
  /** Confirms a U-shield's certificate download (media, security centre). */
  'security.u_shield': {
    zh: '【金库】验证码 {code}，用于下载 U 盾证书，{minutes} 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。',
    en: '[Jinku] Code {code} to download your U-shield certificate, valid for {minutes} minutes. Bank staff never ask for it: tell no one.',
  },
  /** Confirms turning on fingerprint / face login on a phone (a passkey, media). */
  'security.passkey': {
    zh: '【金库】验证码 {code}，用于开通本机指纹/面容登录，{minutes} 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。',
    en: '[Jinku] Code {code} to turn on fingerprint / face login on your phone, valid for {minutes} minutes. Bank staff never ask for it: tell no one.',
  },
  'security.login_name': {
    zh: '【金库】验证码 {code}，用于设置网上银行登录名 {loginName}，{minutes} 分钟内有效。切勿告诉他人。',
    en: '[Jinku] Code {code} to set your online banking login name to {loginName}, valid for {minutes} minutes. Tell no one.',
  },
  /**
   * Confirms a change of the login password (auth, security centre). The new password is never in the
   * text: the code is bound to a keyed hash of it.
   */
  'security.password': {
    zh: '【金库】验证码 {code}，用于修改网上银行登录密码，{minutes} 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。',
    en: '[Jinku] Code {code} to change your online banking login password, valid for {minutes} minutes. Bank staff never ask for it: tell no one.',
  },
  /** Online self-registration's code (registration); sent only to a mobile the bank holds. */
  'registration.self': {
    zh: '【金库】验证码 {code}，用于网上自助注册个人网上银行，{minutes} 分钟内有效。如非本人操作，请忽略本短信，切勿告诉他人。',
    en: '[Jinku] Code {code} to register for online banking, valid for {minutes} minutes. If this was not you, ignore this message and tell no one.',
  },
  /** The mobile app's registration code (registration). */
  'registration.mobile': {
    zh: '【金库】验证码 {code}，用于注册手机银行，{minutes} 分钟内有效。如非本人操作，请忽略本短信，切勿告诉他人。',
    en: '[Jinku] Code {code} to register for mobile banking, valid for {minutes} minutes. If this was not you, ignore this message and tell no one.',
  },
  /** The online password reset's code (registration). */
  'registration.reset': {
    zh: '【金库】验证码 {code}，用于找回网上银行登录密码，{minutes} 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。',
    en: '[Jinku] Code {code} to reset your online banking password, valid for {minutes} minutes. Bank staff never ask for it: tell no one.',
  },
  /** Online banking was opened online (registration); `at` is local time. */
  'registration.done': {
    zh: `【金库】您已于 {at}（北京时间）开通个人网上银行。如非本人操作，请立即致电 ${HOTLINE}。`,
    en: `[Jinku] You registered for online banking at {at} (Beijing time). If this was not you, call ${HOTLINE} at once.`,
  },
  /** A card was bound to a mobile registration (registration). */
  'registration.card_bound': {
    zh: `【金库】您已在手机银行绑定尾号 {cardLast4} 的银行卡。如非本人操作，请立即致电 ${HOTLINE}。`,
    en: `[Jinku] Your card ending {cardLast4} was bound to mobile banking. If this was not you, call ${HOTLINE} at once.`,
  },
  /** The login password was reset online (registration); `at` is local time. */
  'registration.password_reset': {
    zh: `【金库】您的网上银行登录密码已于 {at}（北京时间）在线重置，其他登录已退出。如非本人操作，请立即致电 ${HOTLINE}。`,
    en: `[Jinku] Your online banking password was reset online at {at} (Beijing time) and other sessions were signed out. If this was not you, call ${HOTLINE} at once.`,
  },
  /** The login password was locked after too many wrong ones (auth); `until` is local time. */
  'auth.locked': {
    zh: `【金库】您的网上银行登录密码连续输错 {failures} 次，已被锁定至 {until}（北京时间）。如非本人操作，请立即致电 ${HOTLINE}。`,
    en: `[Jinku] Your online banking password was entered wrongly {failures} times and is locked until {until} (Beijing time). If this was not you, call ${HOTLINE} at once.`,
  },
  /** A security medium was locked after 5 wrong answers in a row (media); `medium` is its name in the text's language. */
  'media.locked': {
    zh: `【金库】您的{medium}连续 {failures} 次验证错误，已被锁定，请携带身份证件到网点解锁。如非本人操作，请立即致电 ${HOTLINE}。`,
    en: `[Jinku] Your {medium} was answered wrongly {failures} times in a row and is locked; unlock it at a branch with your ID. If this was not you, call ${HOTLINE} at once.`,
  },
  /** A sign-in from a device the customer had not used (auth); `at` is local time, `place` the address's (platform/geo.ts). */
  'auth.new_device': {
    zh: `【金库】您的网上银行于 {at}（北京时间）在新设备（{device}，{place}）登录。如非本人操作，请立即修改密码并致电 ${HOTLINE}。`,
    en: `[Jinku] Your online banking was signed in on a new device ({device}, {place}) at {at} (Beijing time). If this was not you, change your password and call ${HOTLINE} at once.`,
  },
  /** A web sign-in approved by QR code from the customer's phone (auth), on a browser already known; `at` is local time. */
  'auth.qr_login': {
    zh: `【金库】您的网上银行于 {at}（北京时间）通过手机扫码登录（{device}，IP {ip}，{place}）。如非本人操作，请立即修改密码并致电 ${HOTLINE}。`,
    en: `[Jinku] Your online banking was signed in by QR code from your phone at {at} (Beijing time) on {device}, IP {ip} ({place}). If this was not you, change your password and call ${HOTLINE} at once.`,
  },
  /** The code that authorises one transfer (payments): bound to its payee and amount, so both are shown. */
  'transfer.otp': {
    zh: '【金库】验证码 {code}，用于向尾号 {payeeLast4} 的账户（{payeeName}）转账 {amount} 元，{minutes} 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。',
    en: '[Jinku] Code {code} to transfer CNY {amount} to the account ending {payeeLast4} ({payeeName}), valid for {minutes} minutes. Bank staff never ask for it: tell no one.',
  },
  /** The code that authorises one bill payment (bills): bound to the biller, the bill account and the amount. */
  'bill.otp': {
    zh: '【金库】验证码 {code}，用于向{billerName}缴费（户号尾号 {accountLast4}）{amount} 元，{minutes} 分钟内有效。银行工作人员不会向您索取验证码，切勿告诉他人。',
    en: '[Jinku] Code {code} to pay CNY {amount} to {billerName} for the bill account ending {accountLast4}, valid for {minutes} minutes. Bank staff never ask for it: tell no one.',
  },
  /** Money left the customer's account (payments). */
  'transfer.debit_notice': {
    zh: '【金库】您尾号 {accountLast4} 的账户转出 {amount} 元，余额 {balance} 元。',
    en: '[Jinku] CNY {amount} was paid from your account ending {accountLast4}; balance CNY {balance}.',
  },
  /** The other bank returned an inter-bank transfer (payments). */
  'transfer.returned': {
    zh: '【金库】您向{payeeName}（{bankName}）的转账 {amount} 元被对方银行退回：收款账号不存在。款项已退回尾号 {accountLast4} 的账户。',
    en: '[Jinku] Your transfer of CNY {amount} to {payeeName} ({bankName}) was returned by that bank: the account does not exist. The money is back in your account ending {accountLast4}.',
  },
  /** The counter reset the login password (counter); the temporary one is handed over at the desk, never sent. */
  'counter.password_reset': {
    zh: `【金库】您的网上银行登录密码已于 {at}（北京时间）在 {branch} 网点柜面重置，请凭柜面提供的临时密码登录并修改。如非本人办理，请立即致电 ${HOTLINE}。`,
    en: `[Jinku] Your online banking password was reset at the counter of branch {branch} at {at} (Beijing time). Sign in with the temporary password you were given and change it. If this was not you, call ${HOTLINE} at once.`,
  },
  /** The registered mobile was changed at the counter (counter); sent to the old number. */
  'counter.mobile_changed': {
    zh: `【金库】您在本行预留的手机号已于 {at}（北京时间）在 {branch} 网点柜面变更为 {newMobile}。如非本人办理，请立即致电 ${HOTLINE}。`,
    en: `[Jinku] The mobile number registered with us was changed to {newMobile} at the counter of branch {branch} at {at} (Beijing time). If this was not you, call ${HOTLINE} at once.`,
  },
} as const satisfies Record<string, { zh: string; en: string }>;

export type SmsTextKey = keyof typeof texts;

/** The `{name}` placeholders of a template, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The params a text needs: every placeholder of either language. */
export type SmsTextParams<K extends SmsTextKey> = {
  readonly [Name in Placeholders<(typeof texts)[K]['zh'] | (typeof texts)[K]['en']>]: string | number;
};

/** The text of an SMS in the customer's language (Chinese unless told otherwise). */
export function smsText<K extends SmsTextKey>(key: K, params: SmsTextParams<K>, lang: Lang = 'zh-CN'): string {
  const template: string = lang === 'en' ? texts[key].en : texts[key].zh;
  const values = params as Readonly<Record<string, string | number>>;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Every text key, for the test that checks both languages carry the same placeholders. */
export function smsTextKeys(): SmsTextKey[] {
  return Object.keys(texts) as SmsTextKey[];
}

/** Both templates of a text (for that test). */
export function smsTemplates(key: SmsTextKey): { zh: string; en: string } {
  return texts[key];
}
