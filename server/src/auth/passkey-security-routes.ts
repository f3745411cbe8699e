import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.ts';
import { requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { deletePasskey, finishPasskeyRegistration, listPasskeys, startPasskeyRegistration } from '../media/index.ts';
import { AuthorizationRequired, RegistrationParams, UShieldVerifyBody } from '../media/schema.ts';
import {
  PasskeyActivated,
  PasskeyList,
  PasskeyParams,
  PasskeyRegistration,
  PasskeyRegistrationBody,
} from './passkey-schema.ts';
import { deviceHash } from './risk.ts';
import { clientOf } from './routes.ts';

/**
 * Fingerprint / face login's security-centre routes (API.md, "Security centre": passkeys). They live in
 * auth because a passkey is tied to the device that registered it (auth's device cookie); the rules are
 * media's (media/passkeys.ts).
 */
export function registerPasskeyRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/security/passkeys/registration',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Turn on fingerprint / face login on this phone (a platform passkey): asks your current medium first',
        description:
          'Without `authorization`: 202 `authorization_required` (API.md, "Authorization"). With it: 201 ' +
          '`{registrationId, options}`, the WebAuthn creation options (a platform authenticator, user verification required).',
        body: PasskeyRegistrationBody,
        response: { 201: PasskeyRegistration, 202: AuthorizationRequired },
      },
    },
    async function startPasskey(request, reply) {
      const outcome = await startPasskeyRegistration(ctx, request.customerId, request.body, request.ip ?? null);
      return reply.code(outcome.status).send(outcome.body);
    },
  );

  app.post(
    '/api/v1/security/passkeys/registration/:registrationId/verify',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: "Finish turning on fingerprint / face login with the phone's attestation",
        params: RegistrationParams,
        body: UShieldVerifyBody,
        response: { 200: PasskeyActivated },
      },
    },
    function finishPasskey(request, reply) {
      // The passkey belongs to this phone: forgetting the device in the security centre deletes it too.
      const { deviceId } = clientOf(request, reply, ctx, 'mobile');
      return finishPasskeyRegistration(
        ctx,
        request.customerId,
        request.params.registrationId,
        request.body.credential as unknown as RegistrationResponseJSON,
        request.ip ?? null,
        deviceId ? deviceHash(deviceId) : null,
      );
    },
  );

  app.get(
    '/api/v1/security/passkeys',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Your fingerprint / face logins (passkeys)',
        response: { 200: PasskeyList },
      },
    },
    function getPasskeys(request) {
      return listPasskeys(ctx, request.customerId);
    },
  );

  app.delete(
    '/api/v1/security/passkeys/:id',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Turn off a fingerprint / face login: its credential is deleted on the server',
        params: PasskeyParams,
        response: { 204: Type.Null() },
      },
    },
    async function removePasskey(request, reply) {
      await deletePasskey(ctx, request.customerId, request.params.id, request.ip ?? null);
      return reply.code(204).send(null);
    },
  );
}
