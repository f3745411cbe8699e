import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { customerById } from '../customers/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { csrfTokenFor } from '../platform/http/csrf.ts';
import type { App } from '../platform/http/types.ts';
import { ID_PATTERN } from '../platform/ids.ts';
import { captchaAnswer, newCaptcha } from './captcha.ts';
import { authErrors as errors } from './errors.ts';
import {
  changePasswordInLogin,
  type Client,
  customerView,
  liveAttempt,
  type LoginOutcome,
  sendLoginCode,
  startLogin,
  verifyLoginChallenge,
} from './login.ts';
import { maintenanceView, readMaintenance } from './maintenance.ts';
import { clearSessionCookie, currentSession, revokeSession, SESSION_COOKIE, setSessionCookie } from './sessions.ts';
import { credentialOf } from './store.ts';

export const DEVICE_COOKIE = 'jinku_device';
const AttemptParams = Type.Object({ attemptId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const Channel = Type.Union([Type.Literal('web'), Type.Literal('mobile')]);

/** The long-lived random device cookie that lets the risk decision recognise a browser it has seen. */
function deviceIdOf(request: FastifyRequest, reply: FastifyReply, ctx: AppContext): string {
  const existing = request.cookies[DEVICE_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const id = randomBytes(32).toString('base64url');
  reply.setCookie(DEVICE_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.env === 'production',
    maxAge: 400 * 86_400,
  });
  return id;
}

export function clientOf(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  channel: 'web' | 'mobile',
): Client {
  return {
    ip: request.ip,
    deviceId: deviceIdOf(request, reply, ctx),
    userAgent: request.headers['user-agent'] ?? null,
    channel,
    previousToken: request.cookies[SESSION_COOKIE],
  };
}

/** Sets the session cookie when the outcome is a session, and leaves the token out of the body. */
export function answer(reply: FastifyReply, ctx: AppContext, outcome: LoginOutcome) {
  if (outcome.state !== 'authenticated') return outcome;
  setSessionCookie(reply, ctx, outcome.session.token);
  return { state: outcome.state, customer: outcome.customer };
}

/** Session and login routes (API.md, "Session and login"). */
export function registerLoginRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;
  /** The channel a sign-in started on: its later steps count on the same one. */
  const attemptChannel = async (attemptId: string) => {
    const attempt = await db
      .selectFrom('login_attempt')
      .select('channel')
      .where('id', '=', attemptId)
      .executeTakeFirst();
    return attempt?.channel === 'mobile' ? 'mobile' : 'web';
  };

  app.get(
    '/api/v1/session',
    { schema: { tags: ['session'], summary: 'Who is signed in, the CSRF token and any maintenance notice' } },
    async (request, reply) => {
      const csrfToken = csrfTokenFor(request, reply, ctx.config.secret, ctx.config.env === 'production');
      const nowMs = ctx.clock.nowMs();
      const maintenance = await readMaintenance(db, nowMs);
      const session = await currentSession(ctx, request);
      reply.header('cache-control', 'no-store');
      const base = {
        csrfToken,
        idleTimeoutSeconds: ctx.config.sessionIdleTimeoutSeconds,
        ...(maintenance ? { maintenance: maintenanceView(maintenance) } : {}),
      };
      if (!session) return { authenticated: false, ...base };
      const customer = await customerById(db, session.customer_id);
      const credential = await credentialOf(db, session.customer_id);
      if (!customer) return { authenticated: false, ...base };
      return {
        authenticated: true,
        ...base,
        customer: customerView(customer, credential?.reserved_message ?? null, credential?.last_login_at_ms ?? null),
        session: {
          channel: session.channel,
          createdAt: isoTime(session.created_at_ms),
          expiresAt: isoTime(session.expires_at_ms),
        },
      };
    },
  );

  app.get(
    '/api/v1/auth/captcha',
    { schema: { tags: ['session'], summary: 'A new image captcha' } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return newCaptcha(db, ctx.clock.nowMs());
    },
  );

  if (ctx.config.env !== 'production') {
    app.get(
      '/api/v1/dev/captcha/:captchaId',
      {
        schema: {
          tags: ['dev'],
          summary: 'The answer of a captcha (outside production only)',
          params: Type.Object({ captchaId: Type.String({ pattern: ID_PATTERN }) }),
        },
      },
      async (request) => {
        const value = await captchaAnswer(db, request.params.captchaId);
        if (!value) throw new AppError(errors['auth.not_found']);
        return { answer: value };
      },
    );
  }

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign in with an identifier and the login password',
        body: Type.Object(
          {
            identifier: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 128 }),
            captchaId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
            captchaAnswer: Type.Optional(Type.String({ maxLength: 10 })),
            channel: Type.Optional(Channel),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const outcome = await startLogin(ctx, request.body, clientOf(request, reply, ctx, request.body.channel ?? 'web'));
      ctx.kickOutbox();
      return answer(reply, ctx, outcome);
    },
  );

  app.post(
    '/api/v1/auth/login/:attemptId/verify',
    {
      schema: {
        tags: ['session'],
        summary: 'Answer the security check of a sign-in',
        params: AttemptParams,
        body: Type.Object(
          { method: Type.String({ maxLength: 20 }), response: Type.String({ minLength: 1, maxLength: 8192 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const channel = await attemptChannel(request.params.attemptId);
      const outcome = await verifyLoginChallenge(
        ctx,
        request.params.attemptId,
        request.body.method,
        request.body.response,
        clientOf(request, reply, ctx, channel),
      );
      return answer(reply, ctx, outcome);
    },
  );

  app.post(
    '/api/v1/auth/login/:attemptId/password',
    {
      schema: {
        tags: ['session'],
        summary: 'Replace a temporary password during sign-in',
        params: AttemptParams,
        body: Type.Object(
          { newPassword: Type.String({ minLength: 1, maxLength: 128 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const channel = await attemptChannel(request.params.attemptId);
      const outcome = await changePasswordInLogin(
        ctx,
        request.params.attemptId,
        request.body.newPassword,
        clientOf(request, reply, ctx, channel),
      );
      return answer(reply, ctx, outcome);
    },
  );

  app.post(
    '/api/v1/auth/login/:attemptId/sms',
    { schema: { tags: ['session'], summary: 'Send the sign-in code again', params: AttemptParams } },
    async (request) => {
      const challenge = await withTransaction(db, async (trx) => {
        const attempt = await liveAttempt(trx, ctx, request.params.attemptId, 'challenge');
        const customer = await customerById(trx, attempt.customer_id);
        if (!customer) throw new AppError(errors['auth.attempt_expired']);
        return sendLoginCode(trx, ctx, customer, attempt.id);
      });
      ctx.kickOutbox();
      return { state: 'challenge', attemptId: request.params.attemptId, challenge, alternatives: [] };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['session'], summary: 'Sign out (the session ends on the server)' } },
    async (request, reply) => {
      const session = await currentSession(ctx, request);
      if (session) await revokeSession(db, session.id, ctx.clock.nowMs());
      clearSessionCookie(reply, ctx);
      return reply.code(204).send();
    },
  );
}
