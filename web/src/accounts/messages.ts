import { addMessages } from '../i18n';

const zh = {
  title: '账户总览',
  nav: {
    label: '网上银行功能',
    overview: '账户总览',
    transfer: '转账汇款',
    payees: '收款人',
    statements: '交易明细',
    security: '安全中心',
  },
  reserved: '您的预留信息',
  reservedHint: '请核对预留信息与您设置的一致；如不一致，请立即退出并致电客服热线。',
  reservedMissing: '您尚未设置预留信息，可在安全中心设置。',
  accounts: '我的账户',
  number: '卡号 / 账号',
  type: '账户类型',
  status: '状态',
  balance: '余额',
  available: '可用余额',
  total: '人民币资产合计',
  empty: '暂无账户',
  types: { debit_card: '借记卡', savings: '活期储蓄', current: '活期', term: '定期' },
  statuses: {
    active: '正常',
    not_activated: '未激活',
    frozen: '冻结',
    closed: '已销户',
    under_investigation: '调查中',
  },
  signedOut: '您尚未登录或登录已超时，请重新登录。',
  toLogin: '前往登录',
};

const en: typeof zh = {
  title: 'Accounts overview',
  nav: {
    label: 'Online banking',
    overview: 'Overview',
    transfer: 'Transfers',
    payees: 'Payees',
    statements: 'Statements',
    security: 'Security centre',
  },
  reserved: 'Your reserved message',
  reservedHint: 'Check that this is the message you set; if it is not, sign out at once and call our hotline.',
  reservedMissing: 'You have not set a reserved message yet; set one in the security centre.',
  accounts: 'My accounts',
  number: 'Card / account number',
  type: 'Type',
  status: 'Status',
  balance: 'Balance',
  available: 'Available',
  total: 'Total in CNY',
  empty: 'No accounts yet',
  types: { debit_card: 'Debit card', savings: 'Savings', current: 'Current', term: 'Term deposit' },
  statuses: {
    active: 'Active',
    not_activated: 'Not activated',
    frozen: 'Frozen',
    closed: 'Closed',
    under_investigation: 'Under investigation',
  },
  signedOut: 'You are not signed in, or your session has timed out. Please sign in again.',
  toLogin: 'Sign in',
};

addMessages('accounts', zh, en);
