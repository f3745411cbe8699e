/**
 * Reading a QR login code on the phone: the browser's own `BarcodeDetector` where it has one (Chrome on
 * Android, Safari), else the pure-JS `jsqr` decoder, loaded only when needed. Works on camera frames and
 * on a picked image alike.
 */

/** What the login page's code carries (auth/qr-login.ts). */
const PAYLOAD = /^jinku:\/\/qr-login\?id=([A-Za-z0-9_-]{43})$/;

/** The QR id in a scanned text, or null when it is not a Jinku login code. */
export function qrIdOf(text: string): string | null {
  return PAYLOAD.exec(text.trim())?.[1] ?? null;
}

type Detector = { detect(source: ImageBitmapSource): Promise<Array<{ rawValue: string }>> };
type DetectorConstructor = {
  new (options: { formats: string[] }): Detector;
  getSupportedFormats?: () => Promise<string[]>;
};

let nativeDetector: Promise<Detector | null> | undefined;

function detector(): Promise<Detector | null> {
  nativeDetector ??= (async () => {
    const Native = (globalThis as { BarcodeDetector?: DetectorConstructor }).BarcodeDetector;
    if (!Native) return null;
    try {
      const formats = (await Native.getSupportedFormats?.()) ?? ['qr_code'];
      return formats.includes('qr_code') ? new Native({ formats: ['qr_code'] }) : null;
    } catch {
      return null;
    }
  })();
  return nativeDetector;
}

/** Scaled down so jsQR's work stays small on a phone; a login code needs far fewer pixels. */
const MAX_SIDE = 800;

async function decodeWithJsQr(source: CanvasImageSource, width: number, height: number): Promise<string | null> {
  const { default: jsQR } = await import('jsqr');
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** The text of the first QR code in an image or video frame, or null when none is found. */
export async function decodeQr(source: ImageBitmap | HTMLVideoElement): Promise<string | null> {
  const native = await detector();
  if (native) {
    try {
      const found = await native.detect(source);
      if (found[0]) return found[0].rawValue;
    } catch {
      // Fall through to jsQR: some platforms declare the detector but fail on some sources.
    }
  }
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  if (!width || !height) return null;
  return decodeWithJsQr(source, width, height);
}

/** Decodes a picked image file. */
export async function decodeQrFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return await decodeQr(bitmap);
  } finally {
    bitmap.close();
  }
}
