/**
 * The e-banking service agreement (网上银行服务协议) a customer accepts when registering online, in both
 * languages. The web shows it in full; registration records the version accepted and when
 * (agreement_acceptance). A change of wording is a new version: the old text stays what earlier
 * customers accepted, so a version string is never reused for other words.
 */
export type Agreement = {
  readonly version: string;
  readonly titleZh: string;
  readonly bodyZh: string;
  readonly titleEn: string;
  readonly bodyEn: string;
};

const HOTLINE = '400-000-9555';

export const AGREEMENT: Agreement = {
  version: '2026-01',
  titleZh: '金库银行个人网上银行服务协议',
  bodyZh: [
    '欢迎您使用金库银行（以下简称"本行"）个人网上银行服务（包括网页版、手机银行，以下统称"网上银行"）。请您在注册前仔细阅读本协议全部条款，特别是以加粗或下划线方式提示您注意的免除或限制责任的条款。您点击"同意"并完成注册，即表示您已阅读、理解并同意本协议的全部内容。',
    '第一条　服务内容\n网上银行为您提供账户查询、交易明细与对账单、转账汇款、缴费、安全设置等服务。具体服务以本行网上银行届时提供的功能为准，本行可根据业务发展增加、调整或暂停部分功能，并通过网上银行页面公告。',
    '第二条　注册与身份验证\n1. 您可以通过本行营业网点、网上自助注册或手机银行注册开通网上银行。网上自助注册须提供本人银行卡号、银行卡密码、姓名、身份证件号码及在本行预留的手机号码，并通过短信验证码验证。\n2. 您提供的信息必须真实、准确、完整，且与本行记录一致。信息不一致的，本行有权拒绝注册，且出于安全考虑不告知具体不一致的项目。\n3. 银行卡密码每日连续输错 3 次，当日将被锁定，次日自动解除。',
    '第三条　登录密码与安全工具\n1. 登录密码由您本人设置，应为 6–30 位字母与数字的组合，不得使用常见密码或您的手机号、证件号码、生日。登录密码连续输错 5 次将被锁定，您可通过网上"忘记密码"或到网点办理解锁。\n2. 仅使用登录密码（静态密码）的客户，通过网上银行对外支付累计限额为人民币 300 元。如需更高额度，请到网点申领口令卡、电子密码器或 U 盾等安全工具。\n3. 您的用户名、登录密码、银行卡密码、短信验证码及安全工具是您在网上银行的身份凭证，请妥善保管，切勿告诉他人（包括自称本行工作人员的人）。凡使用正确身份凭证进行的操作，均视为您本人所为。',
    '第四条　手机银行注册与绑定银行卡\n通过手机银行以预留手机号注册的，须在绑定本人银行卡（验证卡号、银行卡密码及证件号码）后，方可查询账户和办理转账等资金业务。',
    '第五条　您的义务\n1. 请通过本行官方网址或官方应用访问网上银行，不要点击短信、邮件中的不明链接。\n2. 请核对每次登录后显示的预留信息；如不一致，请立即停止操作并致电本行。\n3. 如发现身份凭证泄露、手机号码变更、安全工具遗失或账户异常，请立即通过网上银行挂失或致电客服热线 ' +
      HOTLINE +
      '，并到网点办理相关手续。挂失生效前已发生的损失，按法律规定及本协议约定承担。',
    '第六条　本行的义务\n1. 本行采取合理的技术和管理措施保护网上银行系统及您的信息安全，按照法律法规及本行隐私政策处理您的个人信息。\n2. 本行对每笔资金交易记录完整的流水，并通过短信向您预留的手机号码发送交易及安全提醒。',
    '第七条　费用\n网上银行注册免费。各项业务的收费标准以本行公布的服务价目表为准，调整前将依法公告。',
    '第八条　服务中断\n因系统维护、升级或不可抗力等原因，网上银行可能暂停服务。计划内维护本行将提前在网上银行公告；因此未能办理的业务，您可通过本行其他渠道办理。',
    '第九条　协议的变更与终止\n1. 本行修改本协议时，将在网上银行公告新版本及生效日期；您在新版本生效后继续使用网上银行的，视为接受修改后的协议。\n2. 您可以随时到网点申请注销网上银行。您违反本协议或存在违法使用情形的，本行有权暂停或终止服务。',
    '第十条　法律适用与争议解决\n本协议适用中华人民共和国法律。因本协议产生的争议，双方应协商解决；协商不成的，任何一方均可向本行所在地有管辖权的人民法院提起诉讼。',
    '客服热线：' + HOTLINE,
  ].join('\n\n'),
  titleEn: 'Jinku Bank Personal Online Banking Service Agreement',
  bodyEn: [
    'Welcome to the personal online banking service of Jinku Bank ("the Bank"), on the web and in the mobile app ("online banking"). Please read every clause of this agreement before you register, in particular the clauses that limit or exclude liability. By choosing "Agree" and completing registration you confirm that you have read, understood and accepted this agreement in full. The Chinese version prevails if the two versions differ.',
    '1. The service\nOnline banking lets you see your accounts, transactions and statements, make transfers, pay bills and manage your security settings. The functions offered are those the Bank provides at the time; the Bank may add, change or suspend functions and will say so on the online banking pages.',
    "2. Registration and identity checks\n(1) You may register at a branch, online (self-registration) or in the mobile app. Online self-registration asks for your own bank card number, the card PIN, your name, your ID number and the mobile number held by the Bank, confirmed by a code sent by SMS.\n(2) The details you give must be true, accurate, complete and match the Bank's records. If they do not, the Bank may refuse registration and, for your security, will not say which detail did not match.\n(3) Three wrong card PINs in one day block the PIN for the rest of that day; it unblocks the next day.",
    '3. Login password and security media\n(1) You choose your login password: 6 to 30 characters mixing letters and digits, not a common password and not made of your mobile number, ID number or birthday. Five wrong passwords in a row lock it; unlock it online with "Forgot password" or at a branch.\n(2) A customer who uses the login password alone (a static password) may pay out at most CNY 300 in total through online banking. For higher limits, obtain a password card, an e-password device or a U-shield at a branch.\n(3) Your username, login password, card PIN, SMS codes and security media prove who you are in online banking. Keep them safe and never tell anyone, including people who say they work for the Bank. Anything done with your correct credentials is treated as done by you.',
    '4. Mobile registration and binding a card\nIf you register in the mobile app with your mobile number, you can see your accounts and move money only after you bind one of your own bank cards (card number, card PIN and ID number).',
    "5. Your obligations\n(1) Reach online banking only through the Bank's official address or app; do not follow links in unexpected messages or e-mails.\n(2) Check the reserved message shown after you sign in; if it is not yours, stop at once and call the Bank.\n(3) If a credential may have been disclosed, your mobile number changes, a security medium is lost or you see anything unusual in your account, report it at once online or on " +
      HOTLINE +
      ', and complete the formalities at a branch. Losses that occur before a report takes effect are borne as the law and this agreement provide.',
    "6. The Bank's obligations\n(1) The Bank takes reasonable technical and organisational measures to keep online banking and your information secure, and processes your personal information as the law and its privacy policy require.\n(2) The Bank keeps a complete record of every payment and sends payment and security notices by SMS to the mobile number it holds for you.",
    "7. Fees\nRegistering for online banking is free. Fees for individual services are those in the Bank's published tariff; changes are announced as the law requires.",
    "8. Interruptions\nOnline banking may be unavailable during maintenance, upgrades or events beyond the Bank's control. Planned maintenance is announced on the online banking pages in advance; you may use the Bank's other channels meanwhile.",
    '9. Changes and termination\n(1) When the Bank changes this agreement it publishes the new version and its effective date in online banking; using online banking after that date means you accept the new version.\n(2) You may close your online banking at a branch at any time. The Bank may suspend or end the service if you break this agreement or use it unlawfully.',
    "10. Law and disputes\nThis agreement is governed by the law of the People's Republic of China. The parties will try to settle any dispute by consultation; failing that, either party may bring proceedings in the competent people's court where the Bank is located.",
    'Hotline: ' + HOTLINE,
  ].join('\n\n'),
};

/** Whether a version string names the agreement now in force (registration accepts only that one). */
export function isCurrentAgreement(version: string): boolean {
  return version === AGREEMENT.version;
}
