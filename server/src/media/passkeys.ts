import { createHash } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { appendAudit } from '../audit/index.ts';
import { customerById, maskMobile } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { postInboxMessage, smsText } from '../notify/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { askFirst } from './ask-first.ts';
import { type AuthMethod, type Deps, refusal, verifyAuthorization } from './authorization.ts';
import { mediaErrors as errors } from './errors.ts';
import type { AuthorizationRequired } from './schema.ts';
import {
  deleteWebAuthnCredential,
  insertChallenge,
  insertMedium,
  insertWebAuthnCredential,
  lockChallenge,
  lockMedium,
  passkeysOf,
  passkeysOnDevice,
  setWebAuthnCounter,
  updateChallenge,
  updateMediumState,
  webAuthnCredentialById,
} from './store.ts';

/**
 * Passkeys: fingerprint / face login on a phone (issue 16, API.md "Security centre"). A passkey is a
 * WebAuthn **platform** credential with user verification, kept as a `passkey` medium with its
 * credential in `webauthn_credential` like a U-shield's. Turning it on asks the customer's current
 * medium first (so a stolen session cannot add one silently); turning it off deletes the credential,
 * so the server holds no key that could still sign in. The sign-in itself is auth's (auth/passkey-login.ts):
 * it asks {@link passkeyLoginOptions} and checks the answer with {@link verifyPasskeyLogin}.
 */

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock' | 'kickOutbox'>;
const REGISTER_PURPOSE = 'security.passkey';
const REGISTRATION_METHOD = 'passkey_registration';
const REGISTRATION_TTL_SECONDS = 300;
const APPROVERS: readonly AuthMethod[] = ['sms', 'password_card', 'totp', 'e_token', 'u_shield'];
const TIMEOUT_MS = 120_000;

export type PasskeyView = { id: string; status: string; createdAt: string; lastUsedAt: string };

/**
 * Starts turning on fingerprint / face login: without an answer the current medium is asked (202);
 * with the right one, the creation options (a platform authenticator, user verification required).
 */
export async function startPasskeyRegistration(
  ctx: Ctx,
  customerId: string,
  input: { authorization?: { method: AuthMethod; challengeId: string; response: string } | undefined },
  ip: string | null,
): Promise<
  | { status: 202; body: AuthorizationRequired }
  | { status: 201; body: { registrationId: string; options: PublicKeyCredentialCreationOptionsJSON } }
> {
  const binding = `passkey-register:${customerId}`;
  if (!input.authorization) {
    return askFirst(ctx, {
      customerId,
      purpose: REGISTER_PURPOSE,
      binding,
      accepted: APPROVERS,
      smsText: (code, minutes) => smsText('security.passkey', { code, minutes }),
    });
  }
  const answer = input.authorization;
  const result = await withTransaction(ctx.db.kysely, async (trx) => {
    const check = await verifyAuthorization(trx, ctx, {
      customerId,
      ...answer,
      purpose: REGISTER_PURPOSE,
      binding,
      ip,
    });
    if (!check.ok) return { error: refusal(check) };
    const customer = await customerById(trx, customerId);
    if (!customer) throw new AppError(errors['media.not_found']);
    const options = await generateRegistrationOptions({
      rpName: 'Jinku',
      rpID: ctx.config.webauthnRpId,
      userName: maskMobile(customer.mobile),
      userDisplayName: customer.name,
      userID: new TextEncoder().encode(customerId),
      timeout: TIMEOUT_MS,
      attestationType: 'none',
      authenticatorSelection: {
        authenticatorAttachment: 'platform',
        residentKey: 'preferred',
        userVerification: 'required',
      },
    });
    const id = newId<'Challenge'>();
    const nowMs = ctx.clock.nowMs();
    await insertChallenge(trx, {
      id,
      customer_id: customerId,
      medium_id: null,
      method: REGISTRATION_METHOD,
      purpose: REGISTER_PURPOSE,
      binding_hash: sha256Hex(binding),
      state: JSON.stringify({ challenge: options.challenge }),
      tries_left: 1,
      created_at_ms: nowMs,
      expires_at_ms: nowMs + REGISTRATION_TTL_SECONDS * 1000,
      used_at_ms: null,
    });
    await audit(trx, customerId, 'media.passkey_registration_started', id, ip, nowMs, {});
    return { registrationId: id, options };
  });
  if ('error' in result) throw result.error;
  return { status: 201, body: result };
}

/**
 * Finishes it: the attestation must answer this registration's challenge from the bank's origin and
 * RP ID with user verification. A new `passkey` medium, active, holds the credential. Tried once.
 */
export async function finishPasskeyRegistration(
  ctx: Ctx,
  customerId: string,
  registrationId: string,
  credential: RegistrationResponseJSON,
  ip: string | null,
  /** The registering device (auth's device hash), so that forgetting the device deletes the passkey. */
  deviceHash: string | null,
): Promise<PasskeyView & { kind: 'passkey'; status: 'active' }> {
  const nowMs = ctx.clock.nowMs();
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const registration = await lockChallenge(trx, registrationId);
    if (
      !registration ||
      registration.customer_id !== customerId ||
      registration.method !== REGISTRATION_METHOD ||
      registration.used_at_ms !== null ||
      registration.expires_at_ms <= nowMs
    ) {
      return { error: new AppError(errors['media.challenge_invalid']) };
    }
    await updateChallenge(trx, registration.id, { usedAtMs: nowMs, triesLeft: 0, state: registration.state });
    const { challenge } = JSON.parse(registration.state) as { challenge: string };
    const verified = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge: challenge,
      expectedOrigin: ctx.config.publicOrigin,
      expectedRPID: ctx.config.webauthnRpId,
      requireUserPresence: true,
      requireUserVerification: true,
    }).catch(() => ({ verified: false as const }));
    if (!verified.verified || !verified.registrationInfo.userVerified) {
      await audit(trx, customerId, 'media.passkey_rejected', registration.id, ip, nowMs, {});
      return { error: new AppError(errors['media.passkey_rejected']) };
    }
    const info = verified.registrationInfo;
    if (await webAuthnCredentialById(trx, info.credential.id)) {
      return { error: new AppError(errors['media.passkey_rejected']) };
    }
    const id = newId<'Medium'>();
    await insertMedium(trx, {
      id,
      customer_id: customerId,
      kind: 'passkey',
      status: 'active',
      serial: null,
      secret_sealed: null,
      uses_left: null,
      wrong_in_row: 0,
      last_step: null,
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    });
    await insertWebAuthnCredential(trx, {
      medium_id: id,
      customer_id: customerId,
      credential_id: info.credential.id,
      public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: JSON.stringify(info.credential.transports ?? credential.response.transports ?? []),
      device_hash: deviceHash,
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    });
    await audit(trx, customerId, 'media.passkey_registered', id, ip, nowMs, {});
    await postInboxMessage(trx, { customerId, kind: 'media.added', params: { medium: 'passkey' } }, nowMs);
    return { id };
  });
  if ('error' in outcome) throw outcome.error;
  const at = isoTime(nowMs);
  return { id: outcome.id, kind: 'passkey', status: 'active', createdAt: at, lastUsedAt: at };
}

/** The customer's passkeys (not revoked). */
export async function listPasskeys(ctx: Pick<AppContext, 'db'>, customerId: string): Promise<{ items: PasskeyView[] }> {
  const rows = await passkeysOf(ctx.db.kysely, customerId);
  return {
    items: rows.map((row) => ({
      id: row.id,
      status: row.status,
      createdAt: isoTime(row.created_at_ms),
      lastUsedAt: isoTime(row.updated_at_ms),
    })),
  };
}

/** Turns a passkey off: the medium is revoked and its credential deleted on the server. */
export async function deletePasskey(ctx: Ctx, customerId: string, mediumId: string, ip: string | null): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  await withTransaction(ctx.db.kysely, async (trx) => {
    if (!(await removePasskey(trx, customerId, mediumId, ip, nowMs, 'customer'))) {
      throw new AppError(errors['media.not_found']);
    }
  });
}

/**
 * The device that registered them was forgotten in the security centre: its passkeys are deleted too
 * (issue 16: revoking the device deletes the credential on the server). Returns how many.
 */
export async function deletePasskeysOfDevice(
  trx: Tx,
  deps: Pick<Deps, 'clock'>,
  customerId: string,
  deviceHash: string,
  ip: string | null,
): Promise<number> {
  const nowMs = deps.clock.nowMs();
  let removed = 0;
  for (const { medium_id } of await passkeysOnDevice(trx, customerId, deviceHash)) {
    if (await removePasskey(trx, customerId, medium_id, ip, nowMs, 'device_removed')) removed += 1;
  }
  return removed;
}

async function removePasskey(
  trx: Tx,
  customerId: string,
  mediumId: string,
  ip: string | null,
  nowMs: number,
  reason: 'customer' | 'device_removed',
): Promise<boolean> {
  const medium = await lockMedium(trx, mediumId);
  if (!medium || medium.customer_id !== customerId || medium.kind !== 'passkey' || medium.status === 'revoked') {
    return false;
  }
  await deleteWebAuthnCredential(trx, medium.id);
  await updateMediumState(trx, medium.id, { status: 'revoked', usesLeft: null, wrongInRow: 0, nowMs });
  await audit(trx, customerId, 'media.passkey_deleted', medium.id, ip, nowMs, { reason });
  await postInboxMessage(trx, { customerId, kind: 'media.removed', params: { medium: 'passkey' } }, nowMs);
  return true;
}

/** A passkey sign-in's request options: any of this bank's passkeys (discoverable), user verification required. */
export async function passkeyLoginOptions(deps: Pick<Deps, 'config'>): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: deps.config.webauthnRpId,
    userVerification: 'required',
    timeout: TIMEOUT_MS,
  });
}

/**
 * Checks a passkey sign-in's assertion against the challenge the server issued: an active passkey's
 * credential, the bank's origin and RP ID, user verification done, and the signature counter moving
 * forward (a replayed assertion is refused). Returns whose passkey it is, or null.
 */
export async function verifyPasskeyLogin(
  trx: Tx,
  deps: Pick<Deps, 'config' | 'clock'>,
  expectedChallenge: string,
  response: unknown,
): Promise<{ customerId: string; mediumId: string } | null> {
  const assertion = parseAssertion(response);
  if (!assertion) return null;
  const credential = await webAuthnCredentialById(trx, assertion.id);
  if (!credential) return null;
  const medium = await lockMedium(trx, credential.medium_id);
  if (medium?.kind !== 'passkey' || medium.status !== 'active') return null;
  const verified = await verifyAuthenticationResponse({
    response: assertion,
    expectedChallenge,
    expectedOrigin: deps.config.publicOrigin,
    expectedRPID: deps.config.webauthnRpId,
    credential: {
      id: credential.credential_id,
      publicKey: new Uint8Array(Buffer.from(credential.public_key, 'base64url')),
      counter: Number(credential.counter),
      transports: JSON.parse(credential.transports) as AuthenticatorTransport[],
    },
    requireUserVerification: true,
  }).catch(() => null);
  if (!verified?.verified || !verified.authenticationInfo.userVerified) return null;
  const nowMs = deps.clock.nowMs();
  await setWebAuthnCounter(trx, medium.id, verified.authenticationInfo.newCounter, nowMs);
  await updateMediumState(trx, medium.id, { status: 'active', usesLeft: null, wrongInRow: 0, nowMs });
  return { customerId: medium.customer_id, mediumId: medium.id };
}

function parseAssertion(response: unknown): AuthenticationResponseJSON | null {
  if (!response || typeof response !== 'object') return null;
  const candidate = response as Partial<AuthenticationResponseJSON>;
  if (typeof candidate.id !== 'string' || typeof candidate.response !== 'object' || candidate.response === null) {
    return null;
  }
  return candidate as AuthenticationResponseJSON;
}

function audit(
  trx: Tx,
  customerId: string,
  kind: string,
  subjectId: string,
  ip: string | null,
  atMs: number,
  details: Record<string, unknown>,
) {
  return appendAudit(trx, {
    kind,
    atMs,
    actor: { type: 'customer', id: customerId },
    subject: { type: 'medium', id: subjectId },
    ip,
    details,
  });
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
