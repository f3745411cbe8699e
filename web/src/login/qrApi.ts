import { api } from '../api/client';
import type { QrCreated, QrScanAnswer, QrState, QrStateAnswer } from '../api/contract';

export type { QrCreated, QrScanAnswer, QrState };

/** Asks for a QR login request bound to this browser (API.md, "Session and login"). */
export function createQrLogin(): Promise<QrCreated> {
  return api<QrCreated>('/api/v1/auth/qr', { method: 'POST' });
}

/**
 * Where the request stands; with `after`, the server waits (up to 20 s) until the state is no longer
 * that one (long polling). On `approved` the server has given this browser its session.
 */
export function pollQrLogin(qrId: string, after?: QrState, signal?: AbortSignal): Promise<QrStateAnswer> {
  const query = after === 'pending' || after === 'scanned' ? `?after=${after}` : '';
  return api<QrStateAnswer>(`/api/v1/auth/qr/${encodeURIComponent(qrId)}${query}`, signal ? { signal } : {});
}

/** The QR code as an SVG data URL. The encoder is loaded only when the QR tab opens. */
export async function qrImage(payload: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(payload, {
    type: 'svg',
    errorCorrectionLevel: 'H',
    margin: 1,
    color: { dark: '#1F2328', light: '#FFFFFF' },
  });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
