import { createHash, randomInt } from 'node:crypto';
import type { Tx } from '../database.ts';
import { type AuthorizationView, refusal, requestAuthorization, verifyAuthorization } from '../media/index.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { corporateErrors as errors } from './errors.ts';
import type { OperatorRow } from './store.ts';

type Deps = Pick<AppContext, 'config' | 'clock'>;

/** A token or canonical form stored or compared only as its SHA-256. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** An initial password handed over once: 8 random digits, to be changed at the first sign-in. */
export function initialPassword(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/** The accounts an operator may use, from the stored JSON. */
export function accountsOfOperator(operator: OperatorRow): string[] {
  return JSON.parse(operator.accounts) as string[];
}

export type Signed = { method: 'u_shield'; challengeId: string; response: string | object };

/**
 * Asks the operator's own medium (U-shield or passkey, kept as media's `u_shield`) for a challenge bound
 * to `binding`, through media's one authorization service. Operators have no SMS: only their key signs.
 */
export async function askOperatorKey(
  trx: Tx,
  deps: Deps,
  operator: OperatorRow,
  purpose: string,
  binding: string,
): Promise<{ challengeId: string; authorization: AuthorizationView }> {
  try {
    return await requestAuthorization(trx, deps, {
      customerId: operator.id,
      mobile: operator.mobile,
      purpose,
      binding,
      accepted: ['u_shield'],
      smsText: () => '',
    });
  } catch (error) {
    if (error instanceof AppError && error.code.startsWith('media.'))
      throw new AppError(errors['corporate.medium_required']);
    throw error;
  }
}

/**
 * Checks the operator's answer against the challenge issued for exactly this purpose and binding, once.
 * A wrong answer is returned as the error to throw after the caller commits (the try counts).
 */
export async function checkOperatorKey(
  trx: Tx,
  deps: Deps,
  operator: OperatorRow,
  purpose: string,
  binding: string,
  answer: Signed,
  ip: string | null,
): Promise<AppError | null> {
  const check = await verifyAuthorization(trx, deps, {
    customerId: operator.id,
    challengeId: answer.challengeId,
    purpose,
    binding,
    method: answer.method,
    response: answer.response as string | Record<string, unknown>,
    ip,
  });
  return check.ok ? null : refusal(check);
}
