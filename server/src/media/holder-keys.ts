import { createHash } from 'node:crypto';
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Deps } from './authorization.ts';
import { mediaErrors as errors } from './errors.ts';
import {
  deleteWebAuthnCredential,
  insertChallenge,
  insertMedium,
  insertWebAuthnCredential,
  lockChallenge,
  lockMedium,
  mediaOf,
  updateChallenge,
  updateMediumState,
} from './store.ts';

/**
 * A signing key for a holder who is not a personal customer: a corporate operator (issue 19). Each
 * operator holds their own U-shield (a security key) or passkey, never shared; it is kept as a
 * `u_shield` medium of that holder, so the one authorization service (authorization.ts) issues and
 * checks every challenge it signs, bound to what it authorizes, once. The holder's id is the operator's
 * own random id: media's `customer_id` column names the holder, whoever they are. Registration is
 * called by the owning domain after it has authenticated the holder (the operator's first sign-in).
 */

const REGISTRATION_METHOD = 'holder_key_registration';
const REGISTRATION_TTL_SECONDS = 300;
const TIMEOUT_MS = 120_000;

export type HolderKeyAttachment = 'cross-platform' | 'platform';

/** True when the holder has an active signing key. */
export async function holderHasKey(trx: Tx, holderId: string): Promise<boolean> {
  return (await mediaOf(trx, holderId)).some((m) => m.kind === 'u_shield' && m.status === 'active');
}

/**
 * The WebAuthn creation options for a holder's new key (user verification required: the key's PIN or
 * the fingerprint), stored as a single-use registration challenge bound to `purpose`.
 */
export async function startHolderKeyRegistration(
  trx: Tx,
  deps: Deps,
  input: {
    holderId: string;
    purpose: string;
    userName: string;
    displayName: string;
    attachment?: HolderKeyAttachment | undefined;
  },
): Promise<{ registrationId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const options = await generateRegistrationOptions({
    rpName: 'Jinku',
    rpID: deps.config.webauthnRpId,
    userName: input.userName,
    userDisplayName: input.displayName,
    userID: new TextEncoder().encode(input.holderId),
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    authenticatorSelection: {
      ...(input.attachment ? { authenticatorAttachment: input.attachment } : {}),
      residentKey: 'discouraged',
      userVerification: 'required',
    },
  });
  const id = newId<'Challenge'>();
  const nowMs = deps.clock.nowMs();
  await insertChallenge(trx, {
    id,
    customer_id: input.holderId,
    medium_id: null,
    method: REGISTRATION_METHOD,
    purpose: input.purpose,
    binding_hash: sha256Hex(`holder-key:${input.holderId}`),
    state: JSON.stringify({ challenge: options.challenge }),
    tries_left: 1,
    created_at_ms: nowMs,
    expires_at_ms: nowMs + REGISTRATION_TTL_SECONDS * 1000,
    used_at_ms: null,
  });
  return { registrationId: id, options };
}

/**
 * Checks the attestation against the registration's challenge, origin and RP ID, with user
 * verification, and stores the key as the holder's active `u_shield` medium. The registration is used
 * whatever the outcome (commit the transaction either way); a refusal answers `media.u_shield_rejected`.
 */
export async function finishHolderKeyRegistration(
  trx: Tx,
  deps: Deps,
  input: { holderId: string; purpose: string; registrationId: string; credential: RegistrationResponseJSON },
): Promise<{ ok: true; mediumId: string } | { ok: false; error: AppError }> {
  const nowMs = deps.clock.nowMs();
  const registration = await lockChallenge(trx, input.registrationId);
  if (
    !registration ||
    registration.customer_id !== input.holderId ||
    registration.method !== REGISTRATION_METHOD ||
    registration.purpose !== input.purpose ||
    registration.used_at_ms !== null ||
    registration.expires_at_ms <= nowMs
  ) {
    return { ok: false, error: new AppError(errors['media.challenge_invalid']) };
  }
  await updateChallenge(trx, registration.id, { usedAtMs: nowMs, triesLeft: 0, state: registration.state });
  const { challenge } = JSON.parse(registration.state) as { challenge: string };
  const verified = await verifyRegistrationResponse({
    response: input.credential,
    expectedChallenge: challenge,
    expectedOrigin: deps.config.publicOrigin,
    expectedRPID: deps.config.webauthnRpId,
    requireUserPresence: true,
    requireUserVerification: true,
  }).catch(() => ({ verified: false as const }));
  if (!verified.verified || !verified.registrationInfo.userVerified) {
    return { ok: false, error: new AppError(errors['media.u_shield_rejected']) };
  }
  const info = verified.registrationInfo;
  const mediumId = newId<'Medium'>();
  await insertMedium(trx, {
    id: mediumId,
    customer_id: input.holderId,
    kind: 'u_shield',
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
    medium_id: mediumId,
    customer_id: input.holderId,
    credential_id: info.credential.id,
    public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: JSON.stringify(info.credential.transports ?? input.credential.response.transports ?? []),
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  return { ok: true, mediumId };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A holder's key as their own list shows it (no credential material). */
export type HolderKey = { mediumId: string; status: 'active' | 'locked'; createdAtMs: number };

/** The holder's keys that still count (active or locked; removed ones are gone), oldest first. */
export async function holderKeys(db: Kysely<Database>, holderId: string): Promise<HolderKey[]> {
  return (await mediaOf(db, holderId))
    .filter((m) => m.kind === 'u_shield' && (m.status === 'active' || m.status === 'locked'))
    .map((m) => ({ mediumId: m.id, status: m.status as 'active' | 'locked', createdAtMs: m.created_at_ms }));
}

/**
 * Removes one of the holder's keys: its credential is deleted (the server keeps no key it would still
 * accept) and the medium is revoked. False when the holder has no such key.
 */
export async function removeHolderKey(trx: Tx, deps: Pick<Deps, 'clock'>, holderId: string, mediumId: string) {
  const medium = await lockMedium(trx, mediumId);
  if (!medium || medium.customer_id !== holderId || medium.kind !== 'u_shield' || medium.status === 'revoked') {
    return false;
  }
  await deleteWebAuthnCredential(trx, medium.id);
  await updateMediumState(trx, medium.id, {
    status: 'revoked',
    usesLeft: null,
    wrongInRow: 0,
    nowMs: deps.clock.nowMs(),
  });
  return true;
}
