import { customerById } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { type AuthMethod, requestAuthorization } from './authorization.ts';
import { mediaErrors as errors } from './errors.ts';
import type { AuthorizationRequired } from './schema.ts';

/**
 * The first step of the authorization pattern for a change in the security centre (API.md,
 * "Authorization"): asks the customer's medium for a challenge bound to the change, and answers 202.
 * `check` runs first in the same transaction (that the thing to change exists and may be changed).
 */
export async function askFirst(
  ctx: Pick<AppContext, 'db' | 'config' | 'clock' | 'kickOutbox'>,
  request: {
    customerId: string;
    purpose: string;
    binding: string;
    accepted: readonly AuthMethod[];
    smsText: (code: string, validMinutes: number) => string;
    check?: (trx: Tx) => Promise<unknown>;
  },
): Promise<{ status: 202; body: AuthorizationRequired }> {
  const asked = await withTransaction(ctx.db.kysely, async (trx) => {
    await request.check?.(trx);
    const customer = await customerById(trx, request.customerId);
    if (!customer) throw new AppError(errors['media.not_found']);
    return requestAuthorization(trx, ctx, {
      customerId: request.customerId,
      mobile: customer.mobile,
      purpose: request.purpose,
      binding: request.binding,
      accepted: request.accepted,
      smsText: request.smsText,
    });
  });
  ctx.kickOutbox();
  return { status: 202, body: { status: 'authorization_required', ...asked } };
}
