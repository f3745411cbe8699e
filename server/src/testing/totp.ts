/** The secret of an `otpauth://` link (base32, RFC 4648), as an authenticator app reads it off the QR code. */
export function otpauthSecret(otpauthUrl: string): Buffer {
  const base32 = new URL(otpauthUrl).searchParams.get('secret') ?? '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((byte) => Number.parseInt(byte, 2)));
}
