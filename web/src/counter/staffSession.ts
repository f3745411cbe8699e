import { useCallback, useState } from 'react';
import { api } from '../api/client';

/**
 * The counter's sign-in answer as API.md ("Counter") fixes it. The server has no counter domain yet; when
 * `server/src/counter/schema.ts` declares this answer, import its static type here instead.
 */
export type CounterLoginAnswer = {
  staff: { id: string; username: string; name: string; role: 'teller' | 'supervisor' | 'admin'; branch: string };
};

/** Who is signed in at this counter, as the login answered; the authority itself is the HttpOnly cookie. */
export type Staff = CounterLoginAnswer['staff'];

const STORAGE_KEY = 'jinku.counter.staff';

function readStored(): Staff | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Staff) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The teller's sign-in state for this browser tab. A later issue can replace the tab-local copy with a
 * `GET` of the staff session; the counter API answers 401 either way once the cookie is gone.
 */
export function useStaffSession() {
  const [staff, setStaff] = useState<Staff | undefined>(readStored);

  const signIn = useCallback(async (username: string, password: string, totp: string) => {
    const { staff: signedIn } = await api<CounterLoginAnswer>('/api/v1/counter/login', {
      method: 'POST',
      body: { username, password, totp },
    });
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
