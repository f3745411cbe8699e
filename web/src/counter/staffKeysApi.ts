import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type {
  CounterKeyLoginStarted,
  CounterLoginAnswer,
  StaffKey,
  StaffKeyList,
  StaffKeyRegistration,
} from '../../../server/src/counter/schema.ts';
import { counterApi } from './counterApi';

/** Staff security keys (issue 15): sign-in with password and key, and the signed-in staff member's own keys. */
export type { StaffKey };

export const staffKeysQuery = ['counter', 'keys'] as const;

/** Password first; then the key signs the attempt's challenge (its PIN and touch); the staff cookie is set. */
export async function signInWithKey(username: string, password: string): Promise<CounterLoginAnswer> {
  const started = await counterApi<CounterKeyLoginStarted>('/api/v1/counter/login/key', {
    method: 'POST',
    body: { username, password },
  });
  // Loaded on use: most counters sign in with the authenticator code.
  const { startAuthentication } = await import('@simplewebauthn/browser');
  const credential = await startAuthentication({
    optionsJSON: started.options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  return counterApi<CounterLoginAnswer>(`/api/v1/counter/login/key/${started.attemptId}/verify`, {
    method: 'POST',
    body: { credential },
  });
}

export function fetchStaffKeys(): Promise<StaffKeyList> {
  return counterApi<StaffKeyList>('/api/v1/counter/keys');
}

/** Registers a USB security key from the signed-in console: the authenticator's current code, then the key's PIN and touch. */
export async function registerStaffKey(totp: string): Promise<StaffKey> {
  const started = await counterApi<StaffKeyRegistration>('/api/v1/counter/keys/registration', {
    method: 'POST',
    body: { totp },
  });
  const { startRegistration } = await import('@simplewebauthn/browser');
  const credential = await startRegistration({ optionsJSON: started.options as never });
  return counterApi<StaffKey>(`/api/v1/counter/keys/registration/${started.registrationId}/verify`, {
    method: 'POST',
    body: { credential },
  });
}

export function removeStaffKey(id: string): Promise<void> {
  return counterApi<void>(`/api/v1/counter/keys/${id}`, { method: 'DELETE' });
}

/** True for the browser's own "the user cancelled or the key timed out" (not a server answer). */
export function isWebAuthnCancel(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
}
