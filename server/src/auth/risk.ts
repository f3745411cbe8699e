import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
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
    ? await markDeviceSeen(trx, input.customerId, deviceHash(input.deviceId), input.nowMs)
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

/** A short label for a device from its user agent ("Chrome on Windows"), for the security centre. */
export function deviceLabel(userAgent: string | undefined | null): string {
  const { browser, os } = browserAndOs(userAgent);
  return `${browser} on ${os}`;
}

/** The browser and operating system a user agent names, coarsely (QR login shows them on the phone). */
export function browserAndOs(userAgent: string | undefined | null): { browser: string; os: string } {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'unknown system';
  return { browser, os };
}
