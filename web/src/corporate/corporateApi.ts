import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { createSessionClient, type RequestOptions } from '../api/client';
import type {
  AuthorizationRequired,
  BatchView,
  CorpAccountList,
  CorpLoginAnswer,
  CorpSessionAnswer,
  InstructionList,
  InstructionView,
  NewOperatorAnswer,
  OperatorList,
  PolicyList,
} from '../../../server/src/corporate/schema.ts';

/** Corporate e-banking's shapes: the static types of the server's `corporate/schema.ts`. */
export type {
  NewOperatorAnswer,
  OperatorList,
  PolicyList,
  BatchView,
  CorpAccountList,
  CorpLoginAnswer,
  CorpSessionAnswer,
  InstructionList,
  InstructionView,
};

const client = createSessionClient<CorpSessionAnswer>('/api/v1/corporate/session');

/** A corporate API call with the operator session's own CSRF token (never the customer's or the teller's). */
export function corpApi<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return client.call<T>(path, options);
}

/** Answers a login state that needs the operator's key: registers it, or signs the challenge. */
export async function continueLogin(answer: CorpLoginAnswer): Promise<CorpLoginAnswer> {
  if (answer.state === 'register_medium') {
    const credential = await startRegistration({ optionsJSON: answer.options as never });
    return corpApi(`/api/v1/corporate/login/${answer.attemptId}/medium`, { method: 'POST', body: { credential } });
  }
  if (answer.state === 'challenge') {
    const response = await startAuthentication({ optionsJSON: answer.challenge.options as never });
    return corpApi(`/api/v1/corporate/login/${answer.attemptId}/verify`, {
      method: 'POST',
      body: { method: 'u_shield', response },
    });
  }
  return answer;
}

/**
 * Sends a request by the authorization pattern: the 202's challenge (bound to the instruction's
 * canonical form) is signed with the operator's key, then the request goes again with the signature.
 */
export async function signedCall<T>(
  path: string,
  body: Record<string, unknown>,
  method: 'POST' | 'PUT' = 'POST',
): Promise<T> {
  const first = await corpApi<T | AuthorizationRequired>(path, { method, body });
  if (!first || (first as AuthorizationRequired).status !== 'authorization_required') return first as T;
  const asked = first as AuthorizationRequired;
  const options = (asked.authorization as { challenge: { options: unknown } }).challenge.options;
  const response = await startAuthentication({ optionsJSON: options as never });
  return corpApi<T>(path, {
    method,
    body: { ...body, authorization: { method: 'u_shield', challengeId: asked.challengeId, response } },
  });
}
