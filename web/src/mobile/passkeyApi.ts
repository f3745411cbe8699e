import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { ApiError } from '../api/ApiError';
import { api } from '../api/client';
import type {
  AuthorizationRequired,
  PasskeyActivated,
  PasskeyLoginStarted,
  PasskeyRegistration,
} from '../api/contract';
import type { LoginResult } from '../login/loginApi';

/**
 * Fingerprint / face login (API.md: passkeys in "Security centre", passkey login in "Session and login").
 * This device remembers only that it holds a passkey, and that passkey's id on the server (neither is
 * a secret: the key itself never leaves the phone's authenticator).
 */
const FLAG = 'jinku.mobile.passkey';

export type AuthorizationAnswer = { method: string; challengeId: string; response: string };

/** The id of the passkey registered on this device, when there is one. */
export function passkeyHere(): string | null {
  try {
    return window.localStorage.getItem(FLAG);
  } catch {
    return null;
  }
}

function remember(id: string | null) {
  try {
    if (id) window.localStorage.setItem(FLAG, id);
    else window.localStorage.removeItem(FLAG);
  } catch {
    // Private mode without storage: the offer simply comes again.
  }
}

/** Whether this browser can make a platform passkey at all. */
export async function platformPasskeysAvailable(): Promise<boolean> {
  if (typeof window === 'undefined' || !window.PublicKeyCredential) return false;
  try {
    return await window.PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** One tap: the server's challenge, the phone's fingerprint or face, the session. */
export async function signInWithPasskey(): Promise<LoginResult> {
  const started = await api<PasskeyLoginStarted>('/api/v1/auth/passkey', {
    method: 'POST',
    body: { channel: 'mobile' },
  });
  // The WebAuthn helpers load with the first use: the login screen that offers the button does not need them.
  const { startAuthentication } = await import('@simplewebauthn/browser');
  const credential = await startAuthentication({
    optionsJSON: started.options as PublicKeyCredentialRequestOptionsJSON,
  });
  return api<LoginResult>(`/api/v1/auth/passkey/${encodeURIComponent(started.attemptId)}/verify`, {
    method: 'POST',
    body: { credential },
  });
}

/** Asks the current medium first (202); with its answer, the phone registers the passkey. */
export async function registerPasskey(authorization?: AuthorizationAnswer): Promise<AuthorizationRequired | 'done'> {
  const answer = await api<AuthorizationRequired | PasskeyRegistration>('/api/v1/security/passkeys/registration', {
    method: 'POST',
    body: authorization ? { authorization } : {},
  });
  if (!('registrationId' in answer)) return answer;
  const { startRegistration } = await import('@simplewebauthn/browser');
  const credential = await startRegistration({
    optionsJSON: answer.options as PublicKeyCredentialCreationOptionsJSON,
  });
  const done = await api<PasskeyActivated>(
    `/api/v1/security/passkeys/registration/${encodeURIComponent(answer.registrationId)}/verify`,
    { method: 'POST', body: { credential } },
  );
  remember(done.id);
  return 'done';
}

/** Turns fingerprint / face login off: the credential is deleted on the server, the flag here. */
export async function turnOffPasskey(): Promise<void> {
  const id = passkeyHere();
  if (id) {
    await api<null>(`/api/v1/security/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' }).catch(
      (error: unknown) => {
        // Already gone on the server (turned off elsewhere): forget it here too.
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      },
    );
  }
  remember(null);
}

/** Forgets this device's passkey (the server no longer knows it). */
export function forgetPasskey() {
  remember(null);
}
