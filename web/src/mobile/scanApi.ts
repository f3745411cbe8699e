import { api } from '../api/client';
import type { QrScanAnswer, QrStateAnswer } from '../api/contract';

export type { QrScanAnswer };

/** The signed-in phone scanned a QR login code: who asked, and three numbers to pick from. */
export function scanQrLogin(qrId: string): Promise<QrScanAnswer> {
  return api<QrScanAnswer>(`/api/v1/auth/qr/${encodeURIComponent(qrId)}/scan`, { method: 'POST' });
}

/** Approves with the number picked (a wrong one denies the sign-in); the password when the server asks it. */
export function approveQrLogin(qrId: string, matchNumber: number, password?: string): Promise<QrStateAnswer> {
  return api<QrStateAnswer>(`/api/v1/auth/qr/${encodeURIComponent(qrId)}/approve`, {
    method: 'POST',
    body: password ? { matchNumber, password } : { matchNumber },
  });
}

export function denyQrLogin(qrId: string): Promise<QrStateAnswer> {
  return api<QrStateAnswer>(`/api/v1/auth/qr/${encodeURIComponent(qrId)}/deny`, { method: 'POST' });
}
