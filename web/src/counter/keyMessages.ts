import { addMessages } from '../i18n';

/**
 * The messages of staff security keys (namespace `counterKeys`): the sign-in's "security key" choice and
 * the console's "my security keys" panel. Kept apart from messages.ts so the two change independently.
 */
const zh = {
  method: '验证方式',
  totp: '动态口令',
  key: '安全密钥',
  keyHint: '输入柜员号和密码后，插入安全密钥，按提示输入其 PIN 并触摸按键。',
  keySubmit: '使用安全密钥登录',
  keyWaiting: '请在安全密钥上输入 PIN 并触摸按键…',
  keyCancelled: '安全密钥验证未完成，请重试。',
  missing: '请填写柜员号和密码',
  panel: {
    open: '我的安全密钥',
    title: '我的安全密钥',
    lead: '登记一把 USB 安全密钥后，可使用“密码 + 安全密钥”登录，无需动态口令。每位柜员可登记一把。',
    none: '尚未登记安全密钥。',
    register: '登记安全密钥',
    code: '动态口令',
    codeHint: '登记前请再次输入认证器上当前显示的 6 位动态口令。',
    codeMissing: '请输入 6 位动态口令',
    registering: '请插入安全密钥，输入其 PIN 并触摸按键…',
    registered: '安全密钥已登记，下次可用它登录。',
    cancelled: '安全密钥登记未完成，请重试。',
    remove: '删除',
    removeConfirm: '确定删除这把安全密钥？删除后不能再用它登录。',
    removed: '安全密钥已删除。',
    addedAt: '登记时间',
    statusLabel: '状态',
    status: { active: '可用', locked: '已锁定' },
    close: '关闭',
  },
};

const en: typeof zh = {
  method: 'Verify with',
  totp: 'Authenticator code',
  key: 'Security key',
  keyHint: 'Enter your staff ID and password, then insert your security key, enter its PIN and touch it.',
  keySubmit: 'Sign in with security key',
  keyWaiting: 'Enter the PIN on your security key and touch it…',
  keyCancelled: 'The security key was not used; please try again.',
  missing: 'Enter your staff ID and password',
  panel: {
    open: 'My security keys',
    title: 'My security keys',
    lead: 'With a USB security key registered you can sign in with password and key instead of an authenticator code. One key per staff member.',
    none: 'No security key registered.',
    register: 'Register a security key',
    code: 'Authenticator code',
    codeHint: 'Enter the 6-digit code your authenticator shows now before registering.',
    codeMissing: 'Enter the 6-digit code',
    registering: 'Insert your security key, enter its PIN and touch it…',
    registered: 'Security key registered: you can sign in with it next time.',
    cancelled: 'The security key was not registered; please try again.',
    remove: 'Remove',
    removeConfirm: 'Remove this security key? It will no longer sign you in.',
    removed: 'Security key removed.',
    addedAt: 'Registered',
    statusLabel: 'Status',
    status: { active: 'Usable', locked: 'Locked' },
    close: 'Close',
  },
};

addMessages('counterKeys', zh, en);
