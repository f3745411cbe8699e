import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { csrfTokenFor } from '../platform/http/csrf.ts';
import { provideCustomerSessions } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { captchaAnswer, newCaptcha } from './captcha.ts';
import { authErrors as errors } from './errors.ts';
import { describePasswordPolicy } from './password-policy.ts';
import {
  attemptChannel,
  changePasswordInLogin,
  type Client,
  type LoginOutcome,
  renewLoginChallenge,
  startLogin,
  verifyLoginChallenge,
} from './login.ts';
import {
  AttemptParams,
  CaptchaAnswer,
  PasswordPolicyAnswer,
  CaptchaParams,
  DevCaptchaAnswer,
  LoginAnswer,
  LoginBody,
  LoginChallengeBody,
  NewPasswordBody,
  NoContent,
  SessionAnswer,
  VerifyBody,
} from './schema.ts';
import { customerSessionOf, logout, sessionState } from './service.ts';
import { SESSION_COOKIE } from './sessions.ts';

/**
 * The HTTP face of sign-in and sessions (API.md, "Session and login"): schema in, service, reply. The
 * cookies are set here, the only auth code that sees Fastify besides security-routes.ts.
 */
export const DEVICE_COOKIE = 'jinku_device';
/** Browsers cap a cookie's lifetime at 400 days; the device cookie asks for all of it. */
const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 86_400;

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
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
  return id;
}

/** Who is asking, from where: what the sign-in services need of the request. */
export function clientOf(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  channel: Client['channel'],
): Client {
  return {
    ip: request.ip,
    deviceId: deviceIdOf(request, reply, ctx),
    userAgent: request.headers['user-agent'] ?? null,
    channel,
    previousToken: request.cookies[SESSION_COOKIE],
  };
}

export function setSessionCookie(reply: FastifyReply, ctx: Pick<AppContext, 'config'>, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.env === 'production',
    // No Max-Age: a session cookie ends with the browser; the server's idle and absolute timeouts rule.
  });
}

function clearSessionCookie(reply: FastifyReply, ctx: Pick<AppContext, 'config'>) {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.env === 'production',
  });
}

/** Sets the session cookie when the outcome is a session, and leaves the token out of the body. */
function answer(reply: FastifyReply, ctx: AppContext, outcome: LoginOutcome): LoginAnswer {
  if (outcome.state !== 'authenticated') return outcome;
  setSessionCookie(reply, ctx, outcome.session.token);
  return { state: outcome.state, customer: outcome.customer };
}

/**
 * Registers sign-in and sessions as a plugin, and gives the whole app its session resolver, so every
 * domain's `requireCustomer` (platform/http/require-customer.ts) finds the signed-in customer.
 */
export async function registerLoginRoutes(app: App, ctx: AppContext) {
  provideCustomerSessions(
    app,
    (request) => customerSessionOf(ctx, request.cookies[SESSION_COOKIE]),
    errors['auth.session_required'],
  );
  await app.register(loginRoutes(ctx));
}

function loginRoutes(ctx: AppContext) {
  return async function authLoginRoutes(app: App) {
    app.get(
      '/api/v1/session',
      {
        schema: {
          tags: ['session'],
          summary: 'Who is signed in, the CSRF token and any maintenance notice',
          response: { 200: SessionAnswer },
        },
      },
      async function getSession(request, reply) {
        const csrfToken = csrfTokenFor(request, reply, ctx.config.secret, ctx.config.env === 'production');
        const state = await sessionState(ctx, request.cookies[SESSION_COOKIE]);
        reply.header('cache-control', 'no-store');
        return { csrfToken, ...state };
      },
    );

    app.get(
      '/api/v1/auth/captcha',
      { schema: { tags: ['session'], summary: 'A new image captcha', response: { 200: CaptchaAnswer } } },
      async function getCaptcha(_request, reply) {
        reply.header('cache-control', 'no-store');
        return newCaptcha(ctx.db.kysely, ctx.clock.nowMs());
      },
    );

    app.get(
      '/api/v1/auth/password-policy',
      {
        schema: {
          tags: ['session'],
          summary: 'The login-password rules, for the live checklist beside a new-password field',
          response: { 200: PasswordPolicyAnswer },
        },
      },
      async function getPasswordPolicy() {
        return describePasswordPolicy();
      },
    );

    if (ctx.config.env !== 'production') {
      app.get(
        '/api/v1/dev/captcha/:captchaId',
        {
          schema: {
            tags: ['dev'],
            summary: 'The answer of a captcha (outside production only)',
            params: CaptchaParams,
            response: { 200: DevCaptchaAnswer },
          },
        },
        async function getCaptchaAnswer(request) {
          const value = await captchaAnswer(ctx.db.kysely, request.params.captchaId);
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
          body: LoginBody,
          response: { 200: LoginAnswer },
        },
      },
      async function postLogin(request, reply) {
        const client = clientOf(request, reply, ctx, request.body.channel ?? 'web');
        const outcome = await startLogin(ctx, request.body, client);
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
          body: VerifyBody,
          response: { 200: LoginAnswer },
        },
      },
      async function postLoginVerify(request, reply) {
        const { attemptId } = request.params;
        const client = clientOf(request, reply, ctx, await attemptChannel(ctx, attemptId));
        const outcome = await verifyLoginChallenge(ctx, attemptId, request.body.method, request.body.response, client);
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
          body: NewPasswordBody,
          response: { 200: LoginAnswer },
        },
      },
      async function postLoginPassword(request, reply) {
        const { attemptId } = request.params;
        const client = clientOf(request, reply, ctx, await attemptChannel(ctx, attemptId));
        const outcome = await changePasswordInLogin(ctx, attemptId, request.body.newPassword, client);
        return answer(reply, ctx, outcome);
      },
    );

    app.post(
      '/api/v1/auth/login/:attemptId/challenge',
      {
        schema: {
          tags: ['session'],
          summary: 'A fresh security check for a sign-in: a resend, or another medium among the alternatives',
          params: AttemptParams,
          body: LoginChallengeBody,
          response: { 200: LoginAnswer },
        },
      },
      async function postLoginChallenge(request, reply) {
        return answer(reply, ctx, await renewLoginChallenge(ctx, request.params.attemptId, request.body?.method));
      },
    );

    app.post(
      '/api/v1/auth/login/:attemptId/sms',
      {
        schema: {
          tags: ['session'],
          summary: 'Send the sign-in code again by SMS',
          params: AttemptParams,
          response: { 200: LoginAnswer },
        },
      },
      async function postLoginResend(request, reply) {
        return answer(reply, ctx, await renewLoginChallenge(ctx, request.params.attemptId, 'sms'));
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        schema: {
          tags: ['session'],
          summary: 'Sign out (the session ends on the server)',
          response: { 204: NoContent },
        },
      },
      async function postLogout(request, reply) {
        await logout(ctx, request.cookies[SESSION_COOKIE]);
        clearSessionCookie(reply, ctx);
        return reply.code(204).send(null);
      },
    );
  };
}
