import type { AppContext } from '../platform/context.ts';
import { requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { clientOf, setSessionCookie } from './routes.ts';
import {
  ChangePasswordBody,
  DeviceList,
  IdParams,
  LoginHistory,
  LoginNameBody,
  LoginNameSet,
  NoContent,
  ReservedMessageAnswer,
  ReservedMessageBody,
  SessionList,
  SmsAuthorizationRequired,
} from './schema.ts';
import {
  confirmLoginName,
  confirmPasswordChange,
  endSession,
  forgetDevice,
  listDevices,
  listSessions,
  loginHistory,
  requestLoginName,
  requestPasswordChange,
  setReservedMessage,
} from './security.ts';

/** The security centre (API.md, "Security centre"): password, login name, reserved message, sessions, devices, history. */
export async function registerSecurityRoutes(app: App, ctx: AppContext) {
  await app.register(securityRoutes(ctx));
}

function securityRoutes(ctx: AppContext) {
  return async function authSecurityRoutes(app: App) {
    app.addHook('preHandler', requireCustomer());
    app.addHook('onSend', async (_request, reply) => {
      // What the security centre shows is the customer's alone: no cache may keep it (issue 13 item 5).
      reply.header('cache-control', 'no-store');
    });

    app.post(
      '/api/v1/security/password',
      {
        schema: {
          tags: ['security'],
          summary: 'Change the login password (confirmed by an SMS code)',
          description:
            'Without `authorization` the server checks `currentPassword` and the new password against the policy, ' +
            'then sends an SMS code bound to the new password (202, `authorization_required`); the same request with ' +
            '`authorization: {method: "sms", challengeId, response}` changes it, ends every session and sets a new ' +
            'session cookie (204). A wrong `currentPassword` counts towards the login lock like a wrong sign-in.',
          body: ChangePasswordBody,
          response: { 202: SmsAuthorizationRequired, 204: NoContent },
        },
      },
      async function postPassword(request, reply) {
        const { currentPassword, newPassword, authorization } = request.body;
        const client = clientOf(request, reply, ctx, 'web');
        if (!authorization) {
          const asked = await requestPasswordChange(ctx, request.customerId, { currentPassword, newPassword }, client);
          return reply.code(202).send(asked);
        }
        const { token } = await confirmPasswordChange(
          ctx,
          request.customerId,
          { currentPassword, newPassword, challengeId: authorization.challengeId, code: authorization.response },
          client,
        );
        setSessionCookie(reply, ctx, token);
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/api/v1/security/login-name',
      {
        schema: {
          tags: ['security'],
          summary: 'Set the personal login name (confirmed by an SMS code)',
          description:
            'Without `authorization` the server checks the form of the name and sends an SMS code (202, `authorization_required`); ' +
            'the same request with `authorization: {method: "sms", challengeId, response}` sets it, or answers ' +
            '409 `auth.login_name_taken`.',
          body: LoginNameBody,
          response: { 200: LoginNameSet, 202: SmsAuthorizationRequired },
        },
      },
      async function putLoginName(request, reply) {
        const { loginName, authorization } = request.body;
        if (!authorization) {
          return reply.code(202).send(await requestLoginName(ctx, request.customerId, loginName));
        }
        return confirmLoginName(ctx, request.customerId, {
          loginName,
          challengeId: authorization.challengeId,
          code: authorization.response,
          ip: request.ip,
        });
      },
    );

    app.put(
      '/api/v1/security/reserved-message',
      {
        schema: {
          tags: ['security'],
          summary: 'Set the anti-phishing reserved message',
          body: ReservedMessageBody,
          response: { 200: ReservedMessageAnswer },
        },
      },
      async function putReservedMessage(request) {
        return setReservedMessage(ctx, request.customerId, request.body.message, request.ip);
      },
    );

    app.get(
      '/api/v1/security/sessions',
      { schema: { tags: ['security'], summary: 'Your signed-in sessions', response: { 200: SessionList } } },
      async function getSessions(request) {
        return listSessions(ctx, request.customerId, request.sessionId);
      },
    );

    app.delete(
      '/api/v1/security/sessions/:id',
      {
        schema: {
          tags: ['security'],
          summary: 'End one of your sessions',
          params: IdParams,
          response: { 204: NoContent },
        },
      },
      async function deleteSession(request, reply) {
        await endSession(ctx, request.customerId, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/security/devices',
      { schema: { tags: ['security'], summary: 'Devices you have signed in from', response: { 200: DeviceList } } },
      async function getDevices(request) {
        return listDevices(ctx, request.customerId);
      },
    );

    app.delete(
      '/api/v1/security/devices/:id',
      {
        schema: {
          tags: ['security'],
          summary: 'Forget a device (its next sign-in needs a code)',
          params: IdParams,
          response: { 204: NoContent },
        },
      },
      async function deleteDevice(request, reply) {
        await forgetDevice(ctx, request.customerId, request.params.id, request.ip);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/security/logins',
      { schema: { tags: ['security'], summary: 'Your sign-in history', response: { 200: LoginHistory } } },
      async function getLogins(request) {
        return loginHistory(ctx, request.customerId);
      },
    );
  };
}
