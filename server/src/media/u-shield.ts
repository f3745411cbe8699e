import { createHash, randomBytes } from 'node:crypto';
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
import { accountsOf, checkCardPin, customerById, customerErrors, maskMobile } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { postInboxMessage, smsText } from '../notify/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { type AuthMethod, type Deps, refusal, verifyAuthorization } from './authorization.ts';
import { mediaErrors as errors } from './errors.ts';
import { askFirst } from './ask-first.ts';
import type { AuthorizationRequired } from './schema.ts';
import {
  activateMedium,
  insertChallenge,
  insertMedium,
  insertWebAuthnCredential,
  lockChallenge,
  lockMedium,
  type MediumRow,
  setWebAuthnCounter,
  updateChallenge,
  webAuthnCredentialOf,
} from './store.ts';

/**
 * The U-shield (U盾): a WebAuthn security key with a PIN (user verification) and a button (user
 * presence). "Certificate download" (证书下载) registers it: the counter hands it over `issued`, the
 * customer approves the download with their current medium, and the key's credential is stored with
 * the medium, which becomes `active`. Signing (the `u_shield` provider of authorization.ts) asks an
 * assertion over SHA-256 of the binding and a nonce, so the key signs exactly that one payment.
 */

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock' | 'kickOutbox'>;
const REGISTER_PURPOSE = 'security.u_shield';
/** The registration challenge lives in media_challenge under this method (it is not an answer to anything). */
const REGISTRATION_METHOD = 'u_shield_registration';
const REGISTRATION_TTL_SECONDS = 300;
/** The media that may approve a certificate download: any the customer already holds. */
const APPROVERS: readonly AuthMethod[] = ['sms', 'password_card', 'totp', 'e_token'];
const TIMEOUT_MS = 120_000;

/** The counter hands a U-shield over: `issued` until its certificate is downloaded (issue 15 gives the counter a route). */
export async function issueUShield(trx: Tx, deps: Deps, customerId: string, serial: string): Promise<string> {
  const id = newId<'Medium'>();
  const nowMs = deps.clock.nowMs();
  await insertMedium(trx, {
    id,
    customer_id: customerId,
    kind: 'u_shield',
    status: 'issued',
    serial,
    secret_sealed: null,
    uses_left: null,
    wrong_in_row: 0,
    last_step: null,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  return id;
}

async function issuedUShield(trx: Tx, customerId: string, mediumId: string): Promise<MediumRow> {
  const medium = await lockMedium(trx, mediumId);
  if (!medium || medium.customer_id !== customerId || medium.kind !== 'u_shield') {
    throw new AppError(errors['media.not_found']);
  }
  if (medium.status !== 'issued') throw new AppError(errors['media.u_shield_not_issued']);
  return medium;
}

/**
 * Starts a certificate download by the authorization pattern: without an answer the current medium is
 * asked (202); with the right one, the WebAuthn creation options (a cross-platform key, its PIN
 * required) and the registration's id.
 */
export async function startUShieldRegistration(
  ctx: Ctx,
  customerId: string,
  input: {
    mediumId: string;
    /** The customer's card PIN, checked before anything else (API.md, "Security centre"). */
    cardPin: string;
    authorization?: { method: AuthMethod; challengeId: string; response: string } | undefined;
  },
  ip: string | null,
): Promise<
  | { status: 202; body: AuthorizationRequired }
  | { status: 201; body: { registrationId: string; options: PublicKeyCredentialCreationOptionsJSON } }
> {
  const binding = `u-shield-register:${customerId}:${input.mediumId}`;
  await checkHoldersCardPin(ctx, customerId, input.cardPin);
  if (!input.authorization) {
    return askFirst(ctx, {
      customerId,
      purpose: REGISTER_PURPOSE,
      binding,
      accepted: APPROVERS,
      smsText: (code, minutes) => smsText('security.u_shield', { code, minutes }),
      check: (trx) => issuedUShield(trx, customerId, input.mediumId),
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
    const medium = await issuedUShield(trx, customerId, input.mediumId);
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
        authenticatorAttachment: 'cross-platform',
        residentKey: 'discouraged',
        userVerification: 'required',
      },
      preferredAuthenticatorType: 'securityKey',
    });
    const id = newId<'Challenge'>();
    const nowMs = ctx.clock.nowMs();
    await insertChallenge(trx, {
      id,
      customer_id: customerId,
      medium_id: medium.id,
      method: REGISTRATION_METHOD,
      purpose: REGISTER_PURPOSE,
      binding_hash: sha256Hex(binding),
      state: JSON.stringify({ challenge: options.challenge }),
      tries_left: 1,
      created_at_ms: nowMs,
      expires_at_ms: nowMs + REGISTRATION_TTL_SECONDS * 1000,
      used_at_ms: null,
    });
    return { registrationId: id, options };
  });
  if ('error' in result) throw result.error;
  return { status: 201, body: result };
}

/**
 * The card PIN of the customer's first card (their oldest active account with a PIN), checked in a
 * transaction of its own so a wrong PIN counts (3 in a day block it, customers/service.ts).
 */
async function checkHoldersCardPin(ctx: Ctx, customerId: string, pin: string): Promise<void> {
  const check = await withTransaction(ctx.db.kysely, async (trx) => {
    const card = (await accountsOf(trx, customerId)).find((a) => a.status === 'active' && a.pin_hash !== null);
    if (!card) return { ok: false as const, reason: 'wrong' as const, failuresLeft: 0 };
    return checkCardPin(trx, ctx, card.id, pin);
  });
  if (check.ok) return;
  if (check.reason === 'blocked') throw new AppError(customerErrors['account.pin_blocked']);
  throw new AppError(customerErrors['account.pin_invalid'], {}, { failuresLeft: check.failuresLeft });
}

/**
 * Finishes a certificate download: the key's attestation must answer this registration's challenge,
 * from the bank's origin and RP ID, with user verification (the PIN). The credential is stored and the
 * U-shield becomes active. A registration is tried once: a failed one is started again.
 */
export async function finishUShieldRegistration(
  ctx: Ctx,
  customerId: string,
  registrationId: string,
  credential: RegistrationResponseJSON,
  ip: string | null,
): Promise<{ id: string; kind: 'u_shield'; status: 'active'; serial?: string }> {
  const nowMs = ctx.clock.nowMs();
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const registration = await lockChallenge(trx, registrationId);
    if (
      !registration ||
      registration.customer_id !== customerId ||
      registration.method !== REGISTRATION_METHOD ||
      registration.used_at_ms !== null ||
      registration.expires_at_ms <= nowMs ||
      !registration.medium_id
    ) {
      return { error: new AppError(errors['media.challenge_invalid']) };
    }
    await updateChallenge(trx, registration.id, { usedAtMs: nowMs, triesLeft: 0, state: registration.state });
    const medium = await issuedUShield(trx, customerId, registration.medium_id);
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
      return { error: new AppError(errors['media.u_shield_rejected']) };
    }
    const info = verified.registrationInfo;
    await insertWebAuthnCredential(trx, {
      medium_id: medium.id,
      customer_id: customerId,
      credential_id: info.credential.id,
      public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: JSON.stringify(info.credential.transports ?? credential.response.transports ?? []),
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    });
    await activateMedium(trx, medium.id, null, nowMs);
    await appendAudit(trx, {
      kind: 'media.u_shield_registered',
      atMs: nowMs,
      actor: { type: 'customer', id: customerId },
      subject: { type: 'medium', id: medium.id },
      ip,
      details: { serial: medium.serial },
    });
    await postInboxMessage(
      trx,
      {
        customerId,
        kind: 'media.added',
        params: { medium: 'u_shield', ...(medium.serial ? { serial: medium.serial } : {}) },
      },
      nowMs,
    );
    return { id: medium.id, serial: medium.serial };
  });
  // A refused attestation is committed with its registration used up.
  if ('error' in outcome) throw outcome.error;
  return {
    id: outcome.id,
    kind: 'u_shield',
    status: 'active',
    ...(outcome.serial ? { serial: outcome.serial } : {}),
  };
}

/**
 * The u_shield provider's challenge: SHA-256 of the binding (the payment's canonical form) and a fresh
 * nonce, as the WebAuthn challenge, for this medium's credential only, user verification required.
 */
export async function uShieldAssertionOptions(
  trx: Tx,
  deps: Deps,
  medium: MediumRow,
  binding: string,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; state: { nonce: string; challenge: string } }> {
  const credential = await webAuthnCredentialOf(trx, medium.id);
  if (!credential) throw new AppError(errors['media.method_unavailable']);
  const nonce = randomBytes(16).toString('base64url');
  const options = await generateAuthenticationOptions({
    rpID: deps.config.webauthnRpId,
    challenge: boundChallenge(binding, nonce),
    allowCredentials: [
      { id: credential.credential_id, transports: JSON.parse(credential.transports) as AuthenticatorTransport[] },
    ],
    userVerification: 'required',
    timeout: TIMEOUT_MS,
  });
  return { options, state: { nonce, challenge: options.challenge } };
}

/**
 * Checks a U-shield's assertion against the challenge rebuilt from the binding and the stored nonce:
 * signed by this medium's key, from the bank's origin, with the PIN verified; the counter is kept.
 */
export async function verifyUShieldAssertion(
  trx: Tx,
  deps: Deps,
  medium: MediumRow,
  binding: string,
  state: Record<string, unknown>,
  response: unknown,
): Promise<boolean> {
  const assertion = parseAssertion(response);
  if (!assertion) return false;
  const credential = await webAuthnCredentialOf(trx, medium.id);
  if (!credential || assertion.id !== credential.credential_id) return false;
  const expectedChallenge = Buffer.from(boundChallenge(binding, String(state.nonce))).toString('base64url');
  if (expectedChallenge !== state.challenge) return false;
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
  if (!verified?.verified || !verified.authenticationInfo.userVerified) return false;
  await setWebAuthnCounter(trx, medium.id, verified.authenticationInfo.newCounter, deps.clock.nowMs());
  return true;
}

/** The answer as `@simplewebauthn/browser` gives it: the object, or its JSON text. */
function parseAssertion(response: unknown): AuthenticationResponseJSON | null {
  let value = response;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== 'object') return null;
  const candidate = value as Partial<AuthenticationResponseJSON>;
  if (typeof candidate.id !== 'string' || typeof candidate.response !== 'object' || candidate.response === null) {
    return null;
  }
  return candidate as AuthenticationResponseJSON;
}

function boundChallenge(binding: string, nonce: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(binding).update('\n').update(nonce).digest());
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
