import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Session } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import { useLogout } from '../api/session';

/**
 * Why the logged-in pages sent the customer to the login page, which says it: the idle timeout ran out,
 * or a wrong current password locked the login (the server ended every session of the customer then).
 */
export type SignOutReason = { kind: 'idle' } | { kind: 'locked'; detail: string };

/** The navigation state the layout's guard hands the login page. */
export type SignedOutState = { signOut: SignOutReason };

/** Set just before the session is dropped; the layout's guard reads it and clears it at the next sign-in. */
export const signOut: { reason: SignOutReason | undefined } = { reason: undefined };

/**
 * Signs the customer out here at once, for `reason`: the cached session turns signed-out (so the guard
 * sends the customer to the login page, which does not bounce back), and the server is told too.
 */
export function useSignOutFor() {
  const client = useQueryClient();
  const logout = useLogout();
  return useCallback(
    (reason: SignOutReason) => {
      signOut.reason = reason;
      client.setQueryData<Session>(
        queryKeys.session,
        (current) => current && { ...current, authenticated: false, customer: undefined, session: undefined },
      );
      void logout().catch(() => undefined);
    },
    [client, logout],
  );
}
