import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { Deps } from '../media/authorization.ts';
import { issueUShield } from '../media/u-shield.ts';
import { withTransaction } from '../platform/db/transaction.ts';

/**
 * Marks a customer as holder of a U-shield the counter handed over (`issued`, its certificate not yet
 * downloaded), as the counter will (issue 15). Returns the medium's id.
 */
export function issueUShieldFor(
  db: Kysely<Database>,
  deps: Deps,
  customerId: string,
  serial = `US${String(Date.now()).slice(-8)}`,
): Promise<string> {
  return withTransaction(db, (trx) => issueUShield(trx, deps, customerId, serial));
}

/**
 * A software security key for tests: an ES256 credential with a PIN it always verifies (UV) and a button
 * it always presses (UP). It answers `@simplewebauthn/server`'s options as a browser would hand them
 * over (`RegistrationResponseJSON`, `AuthenticationResponseJSON`), with "none" attestation.
 */
export class SoftSecurityKey {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly credentialId = randomBytes(32);
  #counter = 0;
  readonly origin: string;
  readonly rpId: string;
  readonly userVerified: boolean;
  constructor(origin: string, rpId: string, userVerified = true) {
    this.origin = origin;
    this.rpId = rpId;
    this.userVerified = userVerified;
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = pair.privateKey;
    this.#publicKey = pair.publicKey;
  }

  #flags(extra: number) {
    return 0x01 | (this.userVerified ? 0x04 : 0) | extra;
  }

  #counterBytes() {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.#counter);
    return bytes;
  }

  register(options: { challenge: string }) {
    const jwk = this.#publicKey.export({ format: 'jwk' });
    const x = Buffer.from(jwk.x ?? '', 'base64url');
    const y = Buffer.from(jwk.y ?? '', 'base64url');
    // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y} in CBOR.
    const cose = Buffer.concat([
      Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]),
      x,
      Buffer.from([0x22, 0x58, 0x20]),
      y,
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(this.rpId),
      Buffer.from([this.#flags(0x40)]),
      this.#counterBytes(),
      Buffer.alloc(16),
      idLength,
      this.credentialId,
      cose,
    ]);
    const attestationObject = Buffer.concat([
      Buffer.from([0xa3, 0x63]),
      Buffer.from('fmt'),
      Buffer.from([0x64]),
      Buffer.from('none'),
      Buffer.from([0x67]),
      Buffer.from('attStmt'),
      Buffer.from([0xa0, 0x68]),
      Buffer.from('authData'),
      cborBytesHeader(authData.length),
      authData,
    ]);
    const clientDataJSON = this.#clientData('webauthn.create', options.challenge);
    const id = this.credentialId.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['usb'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform',
    };
  }

  /** Signs the challenge of request options, as the key would after its PIN and button. */
  assert(options: { challenge: string }, origin = this.origin) {
    this.#counter += 1;
    const authenticatorData = Buffer.concat([sha256(this.rpId), Buffer.from([this.#flags(0)]), this.#counterBytes()]);
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge, origin);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.#privateKey);
    const id = this.credentialId.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authenticatorData.toString('base64url'),
        signature: signature.toString('base64url'),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform',
    };
  }

  #clientData(type: string, challenge: string, origin = this.origin) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}

function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function cborBytesHeader(length: number): Buffer {
  if (length < 24) return Buffer.from([0x40 | length]);
  if (length < 256) return Buffer.from([0x58, length]);
  return Buffer.from([0x59, length >> 8, length & 0xff]);
}
