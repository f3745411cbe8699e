import { addMessages } from '../i18n';

/**
 * The public documents linked from every page's footer (namespace `legal`): the privacy policy (its text
 * lives here, versioned), the frame of the service agreement (its text is the server's, the version a
 * registration records) and the safety advice. Keep zh and en in step; a new privacy text gets a new
 * `version` and `effective` date.
 */
const zh = {
  back: '返回登录页',
  updated: '版本 {{version}} · 自 {{effective}} 起生效',
  contents: '目录',
  terms: {
    title: '金库个人网上银行服务协议',
    version: '协议版本 {{version}}',
    loading: '正在加载服务协议…',
    failed: '服务协议暂时无法加载。',
    lead: '以下是您开通和使用金库个人网上银行、手机银行时与本行约定的条款。网上自助注册时，您同意的就是这一版本。',
    region: '服务协议全文',
  },
  privacy: {
    title: '金库个人信息保护政策',
    version: '2026.1',
    effective: '2026-01-01',
    lead: '本政策说明金库（“本行”）在您使用个人网上银行、手机银行和柜面服务时，收集哪些个人信息、为什么收集、如何保护，以及您享有的权利。本行依照《中华人民共和国个人信息保护法》《中华人民共和国反洗钱法》等法律法规处理您的个人信息。',
    sections: [
      {
        title: '一、我们收集哪些信息',
        paragraphs: [
          '身份信息：姓名、居民身份证号码、手机号码。开户、注册网上银行和找回密码时，用于核实是您本人。',
          '账户信息：银行卡号、账号、余额、交易记录、收款人。用于为您记账、转账和出具对账单。',
          '登录与设备信息：登录时间、IP 地址及据此推断的大致城市、浏览器和操作系统类型。用于发现陌生设备的登录并提醒您，保护账户安全。',
          '安全工具信息：您持有的密码卡、动态令牌、U 盾、手机令牌的序列号和状态。本行不保存您的登录密码、支付密码和银行卡密码的明文，只保存无法还原的加密摘要。',
        ],
      },
      {
        title: '二、我们为什么使用这些信息',
        paragraphs: [
          '为您提供您申请的银行服务；核实您的身份，防范盗用、欺诈和洗钱；履行法律法规和监管要求的义务（如保存交易记录、报告可疑交易）；在您同意的范围内向您发送账户变动和安全提醒短信。',
          '本行不会将您的个人信息用于与上述目的无关的用途，不会出售您的个人信息，也不会用于营销，除非另行取得您的单独同意。',
        ],
      },
      {
        title: '三、我们如何保护这些信息',
        paragraphs: [
          '传输全程加密；密码以单向加密摘要保存；安全工具的密钥加密存储；员工按岗位最小权限访问，所有操作记入防篡改的审计日志；页面和短信中的卡号、证件号和手机号均做遮盖处理。',
          '如发生个人信息安全事件，本行将依法及时告知您事件情况、可能的影响和我们采取的措施。',
        ],
      },
      {
        title: '四、我们与谁共享',
        paragraphs: [
          '仅在完成您的指令或法律要求时共享必要的信息：跨行转账时，向清算机构和收款银行提供收付款信息；发送短信时，向短信服务商提供手机号码和短信内容；依法向监管机构、司法机关提供。',
        ],
      },
      {
        title: '五、我们保存多久',
        paragraphs: [
          '在您使用本行服务期间保存；服务终止后，按照反洗钱等法律法规要求的期限（客户身份资料和交易记录自业务关系结束后至少五年）保存，期满后删除或匿名化处理。',
        ],
      },
      {
        title: '六、您的权利',
        paragraphs: [
          '您可以在网上银行或网点查阅、复制和更正您的个人信息；在法律允许的范围内要求删除；撤回您的同意（撤回不影响此前已进行的处理）；注销网上银行或销户。您可以在安全中心查看登录记录、结束其他设备的登录。',
        ],
      },
      {
        title: '七、联系我们',
        paragraphs: ['如有疑问、意见或投诉，请致电客服热线 400-000-9555，或前往任一网点。本行将在十五个工作日内答复。'],
      },
      {
        title: '八、本政策的更新',
        paragraphs: [
          '本政策更新时，页面顶部的版本号和生效日期随之更新；重大变更将在网上银行登录页面公告，并在您下次登录时提示。',
        ],
      },
    ],
  },
  safety: {
    title: '安全用网提示',
    lead: '守住以下几点，就能避开绝大多数网络诈骗。',
    items: [
      {
        title: '认准官方网址',
        body: '请直接输入网址或使用书签访问网上银行，不要点击短信、邮件或聊天中的陌生链接。登录页的地址栏应显示本行网址和安全锁标志。',
      },
      {
        title: '验证码和密码只属于您',
        body: '短信验证码、密码卡数字、动态口令和各类密码只在您本人操作时使用。本行工作人员不会以任何理由索取，任何索取都是诈骗。',
      },
      {
        title: '核对预留信息',
        body: '登录后页面会显示您设置的预留信息。如果内容不对或没有显示，请立即退出并致电客服热线。',
      },
      {
        title: '核对短信内容再输入验证码',
        body: '验证码短信会写明用途、金额和收款人尾号。与您正在办理的业务不一致时，不要输入。',
      },
      {
        title: '安全工具丢失立即挂失',
        body: '密码卡、动态令牌或 U 盾丢失，请在安全中心挂失，或致电客服热线。挂失后立即停用，可到网点补办。',
      },
      {
        title: '发现异常及时处理',
        body: '收到非本人操作的提醒，请立即修改登录密码，在安全中心结束陌生设备的登录，并致电客服热线 400-000-9555。',
      },
    ],
    forgot: '忘记登录密码或已被锁定？在线找回密码',
  },
};

const en: typeof zh = {
  back: 'Back to sign-in',
  updated: 'Version {{version}} · in effect from {{effective}}',
  contents: 'Contents',
  terms: {
    title: 'Jinku Personal Online Banking Service Agreement',
    version: 'Agreement version {{version}}',
    loading: 'Loading the service agreement…',
    failed: 'The service agreement could not be loaded.',
    lead: 'These are the terms between you and the bank for personal online and mobile banking. When you register online, this is the version you agree to.',
    region: 'Full text of the service agreement',
  },
  privacy: {
    title: 'Jinku Privacy Policy',
    version: '2026.1',
    effective: '2026-01-01',
    lead: 'This policy explains what personal information Jinku (“the bank”) collects when you use personal online banking, mobile banking and our branches, why, how we protect it, and your rights. We process your personal information under the Personal Information Protection Law of the PRC, the Anti-Money Laundering Law of the PRC and related regulations.',
    sections: [
      {
        title: '1. What we collect',
        paragraphs: [
          'Identity: your name, resident ID number and mobile number, to check that it is you when you open an account, register for online banking or reset a password.',
          'Accounts: card and account numbers, balances, transactions and payees, to keep your accounts, make payments and produce statements.',
          'Sign-in and device data: time of sign-in, IP address and the approximate city it suggests, browser and operating system, to notice sign-ins from unfamiliar devices and warn you.',
          'Security media: serial numbers and status of your password card, e-token, U-shield and soft token. We never keep your sign-in password, payment password or card PIN in readable form, only one-way hashes that cannot be turned back.',
        ],
      },
      {
        title: '2. Why we use it',
        paragraphs: [
          'To provide the services you ask for; to verify your identity and prevent misuse, fraud and money laundering; to meet our legal and regulatory duties (such as keeping transaction records and reporting suspicious transactions); and to send you account and security alerts by SMS.',
          'We do not use your personal information for anything else, we never sell it, and we do not use it for marketing unless you give separate consent.',
        ],
      },
      {
        title: '3. How we protect it',
        paragraphs: [
          'Everything is encrypted in transit; passwords are stored as one-way hashes; the keys of security media are stored encrypted; staff see only what their role needs, and every operation is recorded in a tamper-evident audit log; card, ID and mobile numbers are masked on screens and in messages.',
          'If a security incident affects your personal information, we will tell you promptly, as the law requires, what happened, what it may mean for you and what we are doing.',
        ],
      },
      {
        title: '4. Who we share it with',
        paragraphs: [
          'Only what is needed to carry out your instructions or the law: payer and payee details to the clearing house and the receiving bank for a transfer to another bank; your mobile number and the message to our SMS provider; and regulators and courts where the law requires.',
        ],
      },
      {
        title: '5. How long we keep it',
        paragraphs: [
          'While you use our services, and afterwards for as long as anti-money-laundering and other laws require (identity records and transaction records for at least five years after the relationship ends); then it is deleted or anonymised.',
        ],
      },
      {
        title: '6. Your rights',
        paragraphs: [
          'You may see, copy and correct your personal information online or at a branch; ask us to delete it where the law allows; withdraw your consent (which does not affect processing before); and close online banking or your account. In the security centre you can see your sign-in history and sign out other devices.',
        ],
      },
      {
        title: '7. Contact us',
        paragraphs: [
          'For questions, comments or complaints, call our hotline 400-000-9555 or visit any branch. We answer within fifteen working days.',
        ],
      },
      {
        title: '8. Changes to this policy',
        paragraphs: [
          'When this policy changes, the version and effective date at the top change with it; we announce significant changes on the sign-in page and tell you at your next sign-in.',
        ],
      },
    ],
  },
  safety: {
    title: 'Banking safely online',
    lead: 'Keep to these few habits and most online fraud will pass you by.',
    items: [
      {
        title: 'Use the official address',
        body: 'Type our address or use a bookmark; never follow links in unexpected texts, e-mails or chats. The address bar of the sign-in page should show our address and the padlock.',
      },
      {
        title: 'Codes and passwords are yours alone',
        body: 'SMS codes, password-card digits, e-token passwords and all passwords are for you to use yourself. Our staff will never ask for them: anyone who does is a fraudster.',
      },
      {
        title: 'Check your reserved message',
        body: 'After you sign in, the page shows the reserved message you chose. If it is wrong or missing, sign out at once and call our hotline.',
      },
      {
        title: 'Read the text before you type the code',
        body: 'Our code messages say what the code is for, the amount and the end of the payee’s account. If that is not what you are doing, do not type it.',
      },
      {
        title: 'Report a lost security medium at once',
        body: 'If you lose your password card, e-token or U-shield, report it in the security centre or call our hotline. It stops working at once; a branch issues a new one.',
      },
      {
        title: 'Act quickly on anything odd',
        body: 'If you get an alert for something you did not do, change your sign-in password, sign out unknown devices in the security centre and call 400-000-9555.',
      },
    ],
    forgot: 'Forgot your password or locked out? Reset it online',
  },
};

addMessages('legal', zh, en);
