import { addMessages } from '../i18n';

/**
 * Messages of the e-password device simulator at /dev/e-token (namespace `dev`), a stand-in for the
 * device in demos and tests. Keep zh and en in step.
 */
const zh = {
  eToken: {
    title: '动态令牌模拟器',
    device: '金库动态令牌',
    note: '本页仅用于演示和测试，生产环境中不可用：它代替真实的动态令牌，按挑战码算出令牌当前显示的应答码。',
    serial: '令牌序列号',
    serialHint: '印在令牌背面，例如 ET20260001',
    challenge: '挑战码',
    challengeHint: '网银页面上显示的 8 位数字',
    challengeInvalid: '请输入 8 位数字的挑战码。',
    serialInvalid: '请输入令牌序列号（大写字母和数字）。',
    compute: '计算应答码',
    clear: '清除',
    backspace: '退格',
    screen: '令牌屏幕',
    answer: '应答码',
    idle: '请输入挑战码',
  },
};

const en: typeof zh = {
  eToken: {
    title: 'E-password device simulator',
    device: 'Jinku e-token',
    note: 'This page is for demos and tests only and does not work in production: it stands in for a real e-password device and computes the answer the device shows now for a challenge.',
    serial: 'Device serial',
    serialHint: 'Printed on the back of the device, e.g. ET20260001',
    challenge: 'Challenge',
    challengeHint: 'The 8 digits shown on the online-banking page',
    challengeInvalid: 'Enter an 8-digit challenge.',
    serialInvalid: 'Enter the device serial (capital letters and digits).',
    compute: 'Compute answer',
    clear: 'Clear',
    backspace: 'Backspace',
    screen: 'Device screen',
    answer: 'Answer',
    idle: 'Enter the challenge',
  },
};

addMessages('dev', zh, en);
