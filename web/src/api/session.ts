import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, fetchSession, forgetCsrfToken, type Session } from './client';
import { queryKeys } from './queryKeys';

/** The current customer session, shared by every component that asks. */
export function useSession() {
  return useQuery({ queryKey: queryKeys.session, queryFn: fetchSession, staleTime: 30_000, retry: false });
}

/**
 * After the server rotates the session (login, logout), forget the old CSRF token and load the new
 * session, so the next request carries a token the server accepts.
 */
export function useRefreshSession() {
  const client = useQueryClient();
  return useCallback(async (): Promise<Session> => {
    forgetCsrfToken();
    const session = await fetchSession();
    client.setQueryData(queryKeys.session, session);
    return session;
  }, [client]);
}

/** Ends the customer session on the server; the caller decides where to go next. */
export function useLogout() {
  const refresh = useRefreshSession();
  const client = useQueryClient();
  return useCallback(async () => {
    try {
      await api('/api/v1/auth/logout', { method: 'POST' });
    } finally {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
      await refresh().catch(() => undefined);
    }
  }, [client, refresh]);
}

/** The name to greet the customer by, when the session is signed in. */
export function customerName(session: Session | undefined): string | undefined {
  return session?.customer?.name;
}
