import { appendAudit } from '../audit/index.ts';
import { customerById } from '../customers/index.ts';
import { enqueueMessage } from '../notify/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { recordLoginFailure } from './captcha.ts';
import { authErrors as errors } from './errors.ts';
import { type Client, loginEvent } from './login-session.ts';
import { type CredentialRow, credentialOf } from './store.ts';

/**
 * Lockout (ARCHITECTURE.md §3): consecutive wrong passwords lock the login password for the configured
 * period; the customer is told by SMS and the audit log records it. A lock that has run out starts the
 * count afresh; a success resets it (login.ts).
 */
export async function failPassword(
  ctx: AppContext,
  customerId: string,
  credential: CredentialRow,
  idHash: string,
  client: Client,
): Promise<never> {
  const nowMs = ctx.clock.nowMs();
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    const fresh = (await credentialOf(trx, customerId, { lock: true })) ?? credential;
    if (fresh.locked_until_ms !== null && fresh.locked_until_ms > nowMs) {
      await recordLoginFailure(trx, client.ip, idHash, nowMs);
      return { locked: false };
    }
    // A lock that has run out starts the count afresh.
    const failures = (fresh.locked_until_ms !== null ? 0 : fresh.failed_count) + 1;
    const lockNow = failures >= ctx.config.loginMaxFailures;
    const lockedUntilMs = lockNow ? nowMs + ctx.config.loginLockSeconds * 1000 : null;
    await trx
      .updateTable('login_credential')
      .set({ failed_count: lockNow ? 0 : failures, locked_until_ms: lockedUntilMs })
      .where('customer_id', '=', customerId)
      .execute();
    await recordLoginFailure(trx, client.ip, idHash, nowMs);
    await loginEvent(trx, customerId, client, nowMs, lockNow ? 'locked' : 'wrong_password');
    if (lockNow) {
      const customer = await customerById(trx, customerId);
      if (customer) {
        await enqueueMessage(
          trx,
          {
            channel: 'sms',
            to: customer.mobile,
            purpose: 'auth.locked',
            text: `【金库】您的网上银行登录密码连续输错 ${ctx.config.loginMaxFailures} 次，已被锁定至 ${isoTime(lockedUntilMs ?? nowMs)}。如非本人操作，请立即致电 400-000-9555。`,
          },
          nowMs,
        );
      }
    }
    await appendAudit(trx, {
      kind: lockNow ? 'auth.locked' : 'auth.login_failed',
      atMs: nowMs,
      actor: { type: 'customer', id: customerId },
      subject: { type: 'customer', id: customerId },
      ip: client.ip,
      details: { channel: client.channel, failures },
    });
    return { locked: lockNow, lockedUntilMs };
  });
  ctx.kickOutbox();
  if (outcome.locked) throw lockedError(outcome.lockedUntilMs ?? nowMs);
  throw invalidCredentials();
}

export function invalidCredentials() {
  return new AppError(errors['auth.invalid_credentials'], {}, { captchaRequired: true });
}

export function lockedError(untilMs: number) {
  const until = new Date(untilMs + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16);
  return new AppError(errors['auth.locked'], { until: `${until} (UTC+8)` }, { lockedUntil: isoTime(untilMs) });
}
