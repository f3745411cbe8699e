import { Type } from 'typebox';
import { appendAudit } from '../audit/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http/types.ts';
import { ID_PATTERN } from '../platform/ids.ts';
import { verifySecret } from '../platform/secret-hash.ts';
import { checkLoginNameFree, setLoginName, setLoginPassword } from './credentials.ts';
import { customerById } from '../customers/index.ts';
import { issueSmsOtp, otpError, verifySmsOtp } from '../media/index.ts';
import { authErrors as errors } from './errors.ts';
import { createSession, requireCustomer, revokeSession, setSessionCookie } from './sessions.ts';
import { credentialOf } from './store.ts';

const IdParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const HISTORY_LIMIT = 50;

/** The security centre (API.md, "Security centre"): password, login name, reserved message, sessions, devices, history. */
export function registerSecurityRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;
  const guard = { preHandler: requireCustomer(ctx) };
  const audit = (trx: typeof db, customerId: string, ip: string, kind: string, details: Record<string, unknown> = {}) =>
    appendAudit(trx, {
      kind,
      atMs: ctx.clock.nowMs(),
      actor: { type: 'customer', id: customerId },
      subject: { type: 'customer', id: customerId },
      ip,
      details,
    });

  app.post(
    '/api/v1/security/password',
    {
      ...guard,
      schema: {
        tags: ['security'],
        summary: 'Change the login password',
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: 128 }),
            newPassword: Type.String({ minLength: 1, maxLength: 128 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const credential = await credentialOf(db, request.customerId);
      if (!credential || !(await verifySecret(ctx.config, credential.password_hash, request.body.currentPassword))) {
        throw new AppError(errors['auth.password_wrong']);
      }
      // A privilege change: every other session ends and this browser gets a new token.
      const token = await withTransaction(db, async (trx) => {
        await setLoginPassword(trx, ctx, request.customerId, request.body.newPassword, { temporary: false });
        const nowMs = ctx.clock.nowMs();
        await trx
          .updateTable('session')
          .set({ revoked_at_ms: nowMs })
          .where('customer_id', '=', request.customerId)
          .where('revoked_at_ms', 'is', null)
          .execute();
        const session = await createSession(trx, ctx, {
          customerId: request.customerId,
          channel: 'web',
          deviceId: request.cookies.jinku_device ?? null,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        await audit(trx, request.customerId, request.ip, 'auth.password_changed', { during: 'security_centre' });
        return session.token;
      });
      setSessionCookie(reply, ctx, token);
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/v1/security/login-name',
    {
      ...guard,
      schema: {
        tags: ['security'],
        summary: 'Set the personal login name (confirmed by an SMS code)',
        description:
          'Without `authorization` the server checks the name and sends an SMS code (202, `authorization_required`); ' +
          'the same request with `authorization: {method: "sms", challengeId, response}` sets it.',
        body: Type.Object(
          {
            loginName: Type.String({ maxLength: 40 }),
            authorization: Type.Optional(
              Type.Object(
                {
                  method: Type.Literal('sms'),
                  challengeId: Type.String({ pattern: ID_PATTERN }),
                  response: Type.String({ minLength: 1, maxLength: 16 }),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { loginName, authorization } = request.body;
      // A changed login name is a new way to sign in: the customer's medium confirms it (API.md).
      const binding = `login-name:${request.customerId}:${loginName.toLowerCase()}`;
      const result = await withTransaction(db, async (trx) => {
        const customer = await customerById(trx, request.customerId);
        if (!customer) throw new AppError(errors['auth.not_found']);
        if (!authorization) {
          await checkLoginNameFree(trx, request.customerId, loginName);
          const otp = await issueSmsOtp(trx, ctx, {
            customerId: customer.id,
            mobile: customer.mobile,
            purpose: 'security.login_name',
            binding,
            text: (code) => `【金库】验证码 ${code}，用于设置网上银行登录名 ${loginName}，5 分钟内有效。切勿告诉他人。`,
          });
          return {
            status: 202,
            body: {
              status: 'authorization_required',
              challengeId: otp.otpId,
              authorization: {
                method: 'sms',
                challenge: {
                  maskedMobile: otp.maskedMobile,
                  resendAfterSeconds: otp.resendAfterSeconds,
                  expiresAt: isoTime(otp.expiresAtMs),
                },
                alternatives: [],
              },
            },
          };
        }
        const check = await verifySmsOtp(trx, ctx, {
          otpId: authorization.challengeId,
          customerId: customer.id,
          purpose: 'security.login_name',
          binding,
          code: authorization.response.trim(),
        });
        if (!check.ok) return { error: otpError(check) };
        await setLoginName(trx, request.customerId, loginName);
        await audit(trx, request.customerId, request.ip, 'auth.login_name_set');
        return { status: 200, body: { status: 'completed', loginName } };
      });
      if ('error' in result) throw result.error;
      ctx.kickOutbox();
      return reply.code(result.status).send(result.body);
    },
  );

  app.put(
    '/api/v1/security/reserved-message',
    {
      ...guard,
      schema: {
        tags: ['security'],
        summary: 'Set the anti-phishing reserved message',
        body: Type.Object({ message: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const message = request.body.message.trim();
      if ([...message].length < 1 || [...message].length > 20)
        throw new AppError(errors['auth.reserved_message_invalid']);
      await withTransaction(db, async (trx) => {
        await trx
          .updateTable('login_credential')
          .set({ reserved_message: message })
          .where('customer_id', '=', request.customerId)
          .execute();
        await audit(trx, request.customerId, request.ip, 'auth.reserved_message_set');
      });
      return { message };
    },
  );

  app.get(
    '/api/v1/security/sessions',
    { ...guard, schema: { tags: ['security'], summary: 'Your signed-in sessions' } },
    async (request) => {
      const nowMs = ctx.clock.nowMs();
      const rows = await db
        .selectFrom('session')
        .selectAll()
        .where('customer_id', '=', request.customerId)
        .where('revoked_at_ms', 'is', null)
        .where('expires_at_ms', '>', nowMs)
        .where('last_seen_at_ms', '>', nowMs - ctx.config.sessionIdleTimeoutSeconds * 1000)
        .orderBy('created_at_ms', 'desc')
        .limit(HISTORY_LIMIT)
        .execute();
      return {
        items: rows.map((s) => ({
          id: s.id,
          channel: s.channel,
          ip: s.ip,
          userAgent: s.user_agent,
          createdAt: isoTime(s.created_at_ms),
          lastSeenAt: isoTime(s.last_seen_at_ms),
          current: s.id === request.sessionId,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/security/sessions/:id',
    { ...guard, schema: { tags: ['security'], summary: 'End one of your sessions', params: IdParams } },
    async (request, reply) => {
      const row = await db
        .selectFrom('session')
        .select(['id'])
        .where('id', '=', request.params.id)
        .where('customer_id', '=', request.customerId)
        .executeTakeFirst();
      if (!row) throw new AppError(errors['auth.not_found']);
      await revokeSession(db, row.id, ctx.clock.nowMs());
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/security/devices',
    { ...guard, schema: { tags: ['security'], summary: 'Devices you have signed in from' } },
    async (request) => {
      const rows = await db
        .selectFrom('known_device')
        .selectAll()
        .where('customer_id', '=', request.customerId)
        .orderBy('last_seen_at_ms', 'desc')
        .limit(HISTORY_LIMIT)
        .execute();
      return {
        items: rows.map((d) => ({
          id: d.id,
          label: d.label,
          firstSeenAt: isoTime(d.first_seen_at_ms),
          lastSeenAt: isoTime(d.last_seen_at_ms),
        })),
      };
    },
  );

  app.delete(
    '/api/v1/security/devices/:id',
    {
      ...guard,
      schema: { tags: ['security'], summary: 'Forget a device (its next sign-in needs a code)', params: IdParams },
    },
    async (request, reply) => {
      const deleted = await withTransaction(db, async (trx) => {
        const result = await trx
          .deleteFrom('known_device')
          .where('id', '=', request.params.id)
          .where('customer_id', '=', request.customerId)
          .executeTakeFirst();
        if (result.numDeletedRows > 0n) await audit(trx, request.customerId, request.ip, 'auth.device_removed');
        return result.numDeletedRows > 0n;
      });
      if (!deleted) throw new AppError(errors['auth.not_found']);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/security/logins',
    { ...guard, schema: { tags: ['security'], summary: 'Your sign-in history' } },
    async (request) => {
      const rows = await db
        .selectFrom('login_event')
        .selectAll()
        .where('customer_id', '=', request.customerId)
        .orderBy('at_ms', 'desc')
        .limit(HISTORY_LIMIT)
        .execute();
      return {
        items: rows.map((e) => ({
          at: isoTime(e.at_ms),
          channel: e.channel,
          device: e.device,
          ip: e.ip,
          result: e.result,
        })),
      };
    },
  );
}
