import type { CustomerRow } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { type AuthorizationView, requestAuthorization } from '../media/index.ts';
import { smsText } from '../notify/index.ts';
import { assert } from '../platform/assert.ts';
import type { AppContext } from '../platform/context.ts';
import type { LoginChallenge, LoginMethod } from './schema.ts';
import { setAttemptChallenge } from './store.ts';

/**
 * The security check of a sign-in from a new device or network, asked of the one authorization service
 * (media/authorization.ts) like a payment's: the service keeps the challenge's lifetime, its single use,
 * its tries and the medium's lock; the login attempt only remembers which challenge it awaits.
 */
export const LOGIN_PURPOSE = 'login.step_up';
/** Every medium may sign in, least friction first: SMS for a customer who has it, a card or device otherwise. */
export const LOGIN_METHODS: readonly LoginMethod[] = ['sms', 'password_card', 'totp', 'e_token'];

/** What a sign-in's answer is bound to: this one attempt, so an answer for one attempt never opens another. */
export function loginBinding(attemptId: string): string {
  return `login:${attemptId}`;
}

/** A sign-in's challenge as the login answers show it, and the media the customer may switch to. */
export type LoginChallengeAsked = { challenge: LoginChallenge; alternatives: LoginMethod[] };

/**
 * Issues the attempt's challenge on the chosen medium, or the least-friction one the customer holds, and
 * points the attempt at it (an earlier challenge of the attempt no longer signs in).
 */
export async function askLoginChallenge(
  trx: Tx,
  ctx: Pick<AppContext, 'config' | 'clock'>,
  customer: CustomerRow,
  attemptId: string,
  method?: LoginMethod,
): Promise<LoginChallengeAsked> {
  const asked = await requestAuthorization(trx, ctx, {
    customerId: customer.id,
    mobile: customer.mobile,
    purpose: LOGIN_PURPOSE,
    binding: loginBinding(attemptId),
    method,
    accepted: LOGIN_METHODS,
    smsText: (code, minutes) => smsText('login.otp', { code, minutes }),
  });
  await setAttemptChallenge(trx, attemptId, asked.challengeId);
  return loginChallengeOf(asked.authorization);
}

/**
 * The service's challenge in the login answer's shape: the method beside its medium's fields (the SMS
 * fields as the page has always read them), and the other media as alternatives.
 */
export function loginChallengeOf(view: AuthorizationView): LoginChallengeAsked {
  const alternatives = view.alternatives.filter(isLoginMethod);
  switch (view.method) {
    case 'sms':
      return { challenge: { method: 'sms', ...view.challenge }, alternatives };
    case 'password_card':
      return { challenge: { method: 'password_card', ...view.challenge }, alternatives };
    case 'totp':
      return { challenge: { method: 'totp' }, alternatives };
    case 'e_token':
      return { challenge: { method: 'e_token', ...view.challenge }, alternatives };
    default:
      // askLoginChallenge accepts LOGIN_METHODS only.
      assert(false, `a sign-in was asked a ${view.method} challenge`);
  }
}

function isLoginMethod(method: string): method is LoginMethod {
  return (LOGIN_METHODS as readonly string[]).includes(method);
}
