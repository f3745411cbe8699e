import { useCallback, useState } from 'react';
import { useRefreshSession } from '../api/session';
import type { Alternative, Challenge, LoginResult } from './loginApi';

export type LoginStep =
  | { kind: 'credentials' }
  | { kind: 'challenge'; attemptId: string; challenge: Challenge; alternatives: Alternative[] }
  | { kind: 'change_password'; attemptId: string };

/**
 * The client side of the login state machine: every answer of the login routes is one of the same
 * three states, so each step hands its answer here and the flow moves on.
 */
export function useLoginFlow(onAuthenticated: () => void) {
  const [step, setStep] = useState<LoginStep>({ kind: 'credentials' });
  const refreshSession = useRefreshSession();

  const advance = useCallback(
    async (result: LoginResult) => {
      switch (result.state) {
        case 'authenticated':
          // The server rotated the session at login: load it (and its CSRF token) before going on.
          await refreshSession().catch(() => undefined);
          onAuthenticated();
          return;
        case 'challenge':
          setStep({
            kind: 'challenge',
            attemptId: result.attemptId,
            challenge: result.challenge,
            alternatives: result.alternatives,
          });
          return;
        case 'change_password':
          setStep({ kind: 'change_password', attemptId: result.attemptId });
          return;
        default: {
          // The server's union has no other state; a new one breaks the type check here first.
          const unexpected: never = result;
          throw new Error(`unknown login state ${(unexpected as { state?: string }).state}`);
        }
      }
    },
    [onAuthenticated, refreshSession],
  );

  const restart = useCallback(() => setStep({ kind: 'credentials' }), []);
  return { step, advance, restart };
}
