import type { FastifyReply } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { csrfTokenFor } from '../platform/http/csrf.ts';
import type { App } from '../platform/http/types.ts';
import { registerEnterpriseRoutes } from './enterprise-routes.ts';
import { registerOperationRoutes } from './operation-routes.ts';
import { CounterLoginAnswer, CounterLoginBody, CounterSessionAnswer, NoContent } from './schema.ts';
import { STAFF_SESSION_COOKIE, staffLogout, staffSessionOf, staffSignIn, staffView } from './staff.ts';

/**
 * The counter's HTTP face (API.md, "Counter"): staff sign-in and session here, the teller operations
 * and approvals in operation-routes.ts. Schema in, service, reply; the staff cookie is set only here.
 */
export async function registerCounterRoutes(app: App, ctx: AppContext) {
  const tags = ['counter'];
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.config.env === 'production',
  };
  const clearCookie = (reply: FastifyReply) => reply.clearCookie(STAFF_SESSION_COOKIE, cookieOptions);

  app.post(
    '/api/v1/counter/login',
    {
      schema: {
        tags,
        summary: 'Staff sign-in with password and authenticator code',
        body: CounterLoginBody,
        response: { 200: CounterLoginAnswer },
      },
    },
    async function postCounterLogin(request, reply) {
      const { token, staff } = await staffSignIn(ctx, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        previousToken: request.cookies[STAFF_SESSION_COOKIE],
      });
      // No Max-Age: the cookie ends with the browser; the server's idle and absolute timeouts rule.
      reply.setCookie(STAFF_SESSION_COOKIE, token, cookieOptions);
      return { staff };
    },
  );

  app.get(
    '/api/v1/counter/session',
    {
      schema: {
        tags,
        summary: 'Who is signed in at this counter, and the CSRF token of the staff session',
        response: { 200: CounterSessionAnswer },
      },
    },
    async function getCounterSession(request, reply) {
      const csrfToken = csrfTokenFor(request, reply, ctx.config.secret, ctx.config.env === 'production');
      const session = await staffSessionOf(ctx, request.cookies[STAFF_SESSION_COOKIE]);
      reply.header('cache-control', 'no-store');
      if (!session) return { authenticated: false, csrfToken };
      return { authenticated: true, csrfToken, staff: staffView(session.staff) };
    },
  );

  app.post(
    '/api/v1/counter/logout',
    { schema: { tags, summary: 'Staff sign-out (the session ends on the server)', response: { 204: NoContent } } },
    async function postCounterLogout(request, reply) {
      await staffLogout(ctx, request.cookies[STAFF_SESSION_COOKIE], request.ip);
      clearCookie(reply);
      return reply.code(204).send(null);
    },
  );

  await registerOperationRoutes(app, ctx);
  await registerEnterpriseRoutes(app, ctx);
}
