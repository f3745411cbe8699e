import { addMessages } from '../i18n';

/**
 * Messages of the phone app's registration and card binding (namespace `mobileRegister`). Keep zh and en
 * in step. The field words shared with the web wizard come from the `register` namespace.
 */
const zh = {
  title: '注册手机银行',
  lead: '用手机号即可注册，注册后绑定本行银行卡查看账户。',
  back: '返回登录',
  mobile: '手机号码',
  mobileMissing: '请输入 11 位手机号码',
  send: '获取验证码',
  resendIn: '{{seconds}} 秒',
  resend: '重新获取',
  sentTo: '验证码已发送至 {{mobile}}',
  code: '短信验证码',
  codeMissing: '请输入短信验证码',
  codeFirst: '请先获取短信验证码',
  agree: '我已阅读并同意《{{title}}》',
  agreeMissing: '请先阅读并同意服务协议',
  readAgreement: '阅读服务协议全文',
  next: '下一步',
  passwordTitle: '设置登录密码',
  passwordLead: '今后用手机号和这个密码登录手机银行。',
  submit: '完成注册',
  submitting: '正在注册…',
  previous: '上一步',
  bind: {
    title: '绑定银行卡',
    lead: '绑定本行借记卡后，即可在手机银行查看账户和转账。',
    submit: '绑定',
    submitting: '正在绑定…',
    later: '以后再说',
    done: '银行卡已绑定。',
    registered: '注册成功！请绑定您的银行卡。',
  },
  home: { noAccounts: '您还没有绑定银行卡', bindCard: '绑定银行卡' },
};

const en: typeof zh = {
  title: 'Register for mobile banking',
  lead: 'Register with your mobile number, then bind your Jinku card to see your accounts.',
  back: 'Back to sign-in',
  mobile: 'Mobile number',
  mobileMissing: 'Enter your 11-digit mobile number',
  send: 'Send code',
  resendIn: '{{seconds}} s',
  resend: 'Send again',
  sentTo: 'We sent a code to {{mobile}}',
  code: 'SMS code',
  codeMissing: 'Enter the SMS code',
  codeFirst: 'Ask for an SMS code first',
  agree: 'I have read and agree to the “{{title}}”',
  agreeMissing: 'Please read and agree to the service agreement first',
  readAgreement: 'Read the full service agreement',
  next: 'Next',
  passwordTitle: 'Choose your sign-in password',
  passwordLead: 'From now on, sign in to mobile banking with your mobile number and this password.',
  submit: 'Complete registration',
  submitting: 'Registering…',
  previous: 'Back',
  bind: {
    title: 'Bind a card',
    lead: 'Bind your Jinku debit card to see your accounts and make transfers in the app.',
    submit: 'Bind card',
    submitting: 'Binding…',
    later: 'Later',
    done: 'Your card is bound.',
    registered: 'You are registered! Now bind your card.',
  },
  home: { noAccounts: 'You have not bound a card yet', bindCard: 'Bind a card' },
};

addMessages('mobileRegister', zh, en);
