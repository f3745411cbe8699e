import type { FastifyReply } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { csrfTokenFor } from '../platform/http/csrf.ts';
import type { App } from '../platform/http/types.ts';
import { registerEnterpriseRoutes } from './enterprise-routes.ts';
import { registerOperationRoutes } from './operation-routes.ts';
import { requireStaff } from './guard.ts';
import {
  AttemptParams,
  CounterKeyLoginBody,
  CounterKeyLoginStarted,
  CounterKeyLoginVerifyBody,
  CounterLoginAnswer,
  CounterLoginBody,
  CounterSessionAnswer,
  IdParams,
  NoContent,
  StaffKey,
  StaffKeyList,
  StaffKeyRegistration,
  StaffKeyRegistrationBody,
  StaffKeyRegistrationParams,
  StaffKeyVerifyBody,
} from './schema.ts';
import { STAFF_SESSION_COOKIE, staffLogout, staffSessionOf, staffSignIn, staffView } from './staff.ts';
import {
  finishStaffKeyRegistration,
  finishStaffKeySignIn,
  listStaffKeys,
  removeStaffKey,
  startStaffKeyRegistration,
  startStaffKeySignIn,
} from './staff-keys.ts';

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

  registerStaffKeyRoutes(app, ctx, (reply, token) => reply.setCookie(STAFF_SESSION_COOKIE, token, cookieOptions));
  await registerOperationRoutes(app, ctx);
  await registerEnterpriseRoutes(app, ctx);
}

/** Sign-in with password and security key, and the signed-in staff member's own keys (staff-keys.ts). */
function registerStaffKeyRoutes(app: App, ctx: AppContext, setCookie: (reply: FastifyReply, token: string) => void) {
  const tags = ['counter'];
  const client = (request: { ip: string; headers: Record<string, unknown>; cookies: Record<string, unknown> }) => ({
    ip: request.ip,
    userAgent: (request.headers['user-agent'] as string | undefined) ?? null,
    previousToken: request.cookies[STAFF_SESSION_COOKIE] as string | undefined,
  });
  const staffOnly = requireStaff(ctx);

  app.post(
    '/api/v1/counter/login/key',
    {
      schema: {
        tags,
        summary: "Staff sign-in with password and security key: the password, then the key's challenge",
        body: CounterKeyLoginBody,
        response: { 200: CounterKeyLoginStarted },
      },
    },
    async function postCounterKeyLogin(request) {
      return startStaffKeySignIn(ctx, request.body, client(request));
    },
  );

  app.post(
    '/api/v1/counter/login/key/:attemptId/verify',
    {
      schema: {
        tags,
        summary: "The security key's answer; the staff session opens",
        params: AttemptParams,
        body: CounterKeyLoginVerifyBody,
        response: { 200: CounterLoginAnswer },
      },
    },
    async function postCounterKeyLoginVerify(request, reply) {
      const { token, staff } = await finishStaffKeySignIn(
        ctx,
        request.params.attemptId,
        request.body.credential,
        client(request),
      );
      setCookie(reply, token);
      return { staff };
    },
  );

  app.get(
    '/api/v1/counter/keys',
    {
      preHandler: staffOnly,
      schema: { tags, summary: "The signed-in staff member's security keys", response: { 200: StaffKeyList } },
    },
    async function getCounterKeys(request) {
      return listStaffKeys(ctx, request.staffSession);
    },
  );

  app.post(
    '/api/v1/counter/keys/registration',
    {
      preHandler: staffOnly,
      schema: {
        tags,
        summary: "Starts registering a security key (a USB key with its PIN), after the authenticator's current code",
        body: StaffKeyRegistrationBody,
        response: { 201: StaffKeyRegistration },
      },
    },
    async function postCounterKeyRegistration(request, reply) {
      const options = await startStaffKeyRegistration(ctx, request.staffSession, request.body.totp, request.ip);
      return reply.code(201).send(options);
    },
  );

  app.post(
    '/api/v1/counter/keys/registration/:registrationId/verify',
    {
      preHandler: staffOnly,
      schema: {
        tags,
        summary: "The new key's attestation; the key is registered",
        params: StaffKeyRegistrationParams,
        body: StaffKeyVerifyBody,
        response: { 201: StaffKey },
      },
    },
    async function postCounterKeyRegistrationVerify(request, reply) {
      const key = await finishStaffKeyRegistration(
        ctx,
        request.staffSession,
        request.params.registrationId,
        request.body.credential as never,
        request.ip,
      );
      return reply.code(201).send(key);
    },
  );

  app.delete(
    '/api/v1/counter/keys/:id',
    {
      preHandler: staffOnly,
      schema: { tags, summary: 'Removes a security key', params: IdParams, response: { 204: NoContent } },
    },
    async function deleteCounterKey(request, reply) {
      await removeStaffKey(ctx, request.staffSession, request.params.id, request.ip);
      return reply.code(204).send(null);
    },
  );
}
