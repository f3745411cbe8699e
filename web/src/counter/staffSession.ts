import { useCallback, useState } from 'react';
import { api } from '../api/client';

/** Who is signed in at this counter, as the login answered; the authority itself is the HttpOnly cookie. */
export type Staff = { username: string; name?: string; role?: string; branch?: string };

const STORAGE_KEY = 'jinku.counter.staff';

function readStored(): Staff | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Staff) : undefined;
  } catch {
    return undefined;
  }
}

/** Picks the staff member's display fields out of the login answer, whatever its exact shape. */
function staffFrom(answer: unknown, username: string): Staff {
  const body = (answer ?? {}) as Record<string, unknown>;
  const staff = (typeof body.staff === 'object' && body.staff !== null ? body.staff : body) as Record<string, unknown>;
  const text = (key: string) => (typeof staff[key] === 'string' ? (staff[key] as string) : undefined);
  return {
    username: text('username') ?? username,
    name: text('name') ?? text('displayName'),
    role: text('role'),
    branch: text('branch') ?? text('branchCode'),
  };
}

/**
 * The teller's sign-in state for this browser tab. A later issue can replace the tab-local copy with a
 * `GET` of the staff session; the counter API answers 401 either way once the cookie is gone.
 */
export function useStaffSession() {
  const [staff, setStaff] = useState<Staff | undefined>(readStored);

  const signIn = useCallback(async (username: string, password: string, totp: string) => {
    const answer = await api<unknown>('/api/v1/counter/login', {
      method: 'POST',
      body: { username, password, totp },
    });
    const signedIn = staffFrom(answer, username);
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(signedIn));
    setStaff(signedIn);
  }, []);

  const signOut = useCallback(async () => {
    sessionStorage.removeItem(STORAGE_KEY);
    setStaff(undefined);
    await api('/api/v1/counter/logout', { method: 'POST' }).catch(() => undefined);
  }, []);

  return { staff, signIn, signOut };
}
