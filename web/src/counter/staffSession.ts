import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import {
  type CounterLoginAnswer,
  counterApi,
  counterKeys,
  fetchStaffSession,
  forgetStaffToken,
  onStaffUnauthorized,
  type Staff,
  type StaffSessionAnswer,
} from './counterApi';
import { signInWithKey as signInWithStaffKey } from './staffKeysApi';

export type { Staff };

/** The server's staff idle timeout (issue 15: five minutes; the session answer does not carry it). */
export const STAFF_IDLE_SECONDS = 300;

/** A session answer for "nobody is signed in" when the counter's session route cannot be reached. */
const SIGNED_OUT: StaffSessionAnswer = { authenticated: false, csrfToken: '' };

/**
 * Who is signed in at this counter, from `GET /api/v1/counter/session` (the HttpOnly `jinku_staff_sid`
 * cookie is the authority, so a reload keeps the teller signed in and a closed session shows the login).
 * `ended` says why the last session stopped, for the login page to tell.
 */
export function useStaffSession() {
  const client = useQueryClient();
  const [ended, setEnded] = useState<'idle' | undefined>();
  const session = useQuery({
    queryKey: counterKeys.session,
    queryFn: () => fetchStaffSession().catch(() => SIGNED_OUT),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

  const reload = useCallback(async () => {
    forgetStaffToken();
    const answer = await fetchStaffSession().catch(() => SIGNED_OUT);
    client.setQueryData(counterKeys.session, answer);
    return answer;
  }, [client]);

  // Any counter call answering 401 means the staff session is gone: back to the sign-in.
  useEffect(
    () =>
      onStaffUnauthorized(() => {
        client.setQueryData(counterKeys.session, SIGNED_OUT);
        client.removeQueries({
          predicate: (query) => query.queryKey[0] === 'counter' && query.queryKey[1] !== 'session',
        });
      }),
    [client],
  );

  const signIn = useCallback(
    async (username: string, password: string, totp: string) => {
      await counterApi<CounterLoginAnswer>('/api/v1/counter/login', {
        method: 'POST',
        body: { username, password, totp },
      });
      setEnded(undefined);
      await reload();
    },
    [reload],
  );

  const signInWithKey = useCallback(
    async (username: string, password: string) => {
      await signInWithStaffKey(username, password);
      setEnded(undefined);
      await reload();
    },
    [reload],
  );

  const signOut = useCallback(
    async (reason?: 'idle') => {
      try {
        await counterApi('/api/v1/counter/logout', { method: 'POST' });
      } catch {
        // The session may already have ended on the server; the console signs out either way.
      }
      setEnded(reason);
      client.removeQueries({
        predicate: (query) => query.queryKey[0] === 'counter' && query.queryKey[1] !== 'session',
      });
      await reload();
    },
    [client, reload],
  );

  const data = session.data;
  const staff = data?.authenticated ? data.staff : undefined;
  return {
    loading: session.isPending,
    staff,
    idleTimeoutSeconds: STAFF_IDLE_SECONDS,
    ended,
    signIn,
    signInWithKey,
    signOut,
    /** Restarts the server's idle timer (any counter request does). */
    stay: reload,
  };
}
