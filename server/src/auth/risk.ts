import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import Bowser from 'bowser';
import type { Tx } from '../database.ts';
import { hasSignedInFromNetwork, markDeviceSeen } from './store.ts';

/**
 * The risk decision of a sign-in (ARCHITECTURE.md §3): a device this customer has not used before, a
 * network (IPv4 /24, IPv6 /48) they have not signed in from, or recent failures ask for a one-time
 * code on top of the password. Stored with the attempt and in the audit log, so support can say why.
 */
export type RiskDecision = {
  newDevice: boolean;
  newNetwork: boolean;
  recentFailures: number;
  channel: string;
  decision: 'allow' | 'step_up';
};

/** The network an address belongs to, for "have we seen this customer here before". */
export function networkOf(ip: string): string {
  if (isIPv6(ip) && !ip.startsWith('::ffff:')) {
    const groups = expandIpv6(ip);
    return `${groups.slice(0, 3).join(':')}::/48`;
  }
  const v4 = ip.replace(/^::ffff:/, '');
  const parts = v4.split('.');
  return parts.length === 4 ? `${parts.slice(0, 3).join('.')}.0/24` : ip;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = Array(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().padStart(4, '0'));
}

export function deviceHash(deviceId: string): string {
  return createHash('sha256').update(`device:${deviceId}`).digest('hex');
}

/** Decides whether this sign-in needs a one-time code, marking a known device seen. */
export async function decideRisk(
  trx: Tx,
  input: {
    customerId: string;
    deviceId: string | null;
    ip: string;
    channel: string;
    recentFailures: number;
    nowMs: number;
  },
): Promise<RiskDecision> {
  // A known device is marked seen now, in the same statement that recognises it.
  const knownDevice = input.deviceId
    ? await markDeviceSeen(trx, input.customerId, deviceHash(input.deviceId), input.nowMs, input.ip)
    : false;
  const newDevice = !knownDevice;
  const newNetwork = !(await hasSignedInFromNetwork(trx, input.customerId, networkOf(input.ip)));
  return {
    newDevice,
    newNetwork,
    recentFailures: input.recentFailures,
    channel: input.channel,
    decision: newDevice || newNetwork || input.recentFailures >= 3 ? 'step_up' : 'allow',
  };
}

/** A short label for a device from its user agent ("Chrome · Windows"), for the security centre and SMS. */
export function deviceLabel(userAgent: string | undefined | null): string {
  const { browser, os } = browserAndOs(userAgent);
  return `${browser} · ${os}`;
}

/** Shorter names than the parser's for what a customer recognises at a glance. */
const SHORT_NAMES: Record<string, string> = {
  'Microsoft Edge': 'Edge',
  'Chrome Headless': 'Chrome',
  Chromium: 'Chrome',
  'QQ Browser': 'QQ浏览器',
  'UC Browser': 'UC浏览器',
  WeChat: '微信',
  macOS: 'macOS',
  'Chrome OS': 'ChromeOS',
};

/**
 * The browser and operating system a user agent names (the maintained `bowser` parser); QR login shows
 * them on the phone, the security centre in its lists. An empty or unreadable agent is named plainly.
 */
export function browserAndOs(userAgent: string | undefined | null): { browser: string; os: string } {
  const ua = (userAgent ?? '').slice(0, 512).trim();
  if (!ua) return { browser: 'Browser', os: 'unknown system' };
  let browser = '';
  let os = '';
  try {
    const parser = Bowser.getParser(ua);
    browser = parser.getBrowserName();
    os = parser.getOSName();
  } catch {
    // An agent the parser cannot read is named like an empty one.
  }
  return {
    browser: (browser && (SHORT_NAMES[browser] ?? browser)) || 'Browser',
    os: (os && (SHORT_NAMES[os] ?? os)) || 'unknown system',
  };
}
