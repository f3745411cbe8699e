import { api } from '../api/client';

export type QrRequest = { qrId: string; payload: string; expiresAt: string };
export type QrState = 'pending' | 'scanned' | 'approved' | 'denied' | 'expired';

/** Asks for a QR login request bound to this browser. */
export function createQrLogin(): Promise<QrRequest> {
  return api<QrRequest>('/api/v1/auth/qr', { method: 'POST' });
}

/** Where the request stands; on `approved` the server has given this browser its session. */
export function pollQrLogin(qrId: string): Promise<{ state: QrState }> {
  return api<{ state: QrState }>(`/api/v1/auth/qr/${encodeURIComponent(qrId)}`);
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
