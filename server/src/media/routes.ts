import type { AppContext } from '../platform/context.ts';
import { requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { Type } from 'typebox';
import { ID_PATTERN } from '../platform/ids.ts';
import { confirmTotp, enrolTotp, setPaymentPassword } from './enrolment.ts';
import {
  AuthorizationRequired,
  CardCellsQuery,
  CardDigits,
  EnrollmentParams,
  ETokenAnswer,
  ETokenChallengeQuery,
  MediaList,
  PaymentPasswordBody,
  SerialParams,
  TotpEnrolBody,
  TotpEnrolment,
  TotpVerifyBody,
  RegistrationParams,
  UShieldActivated,
  UShieldRegistration,
  UShieldRegistrationBody,
  UShieldVerifyBody,
} from './schema.ts';
import { finishUShieldRegistration, startUShieldRegistration } from './u-shield.ts';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { devCardDigits, devETokenAnswer, mediaList, reportLost } from './service.ts';

/**
 * The security centre's media list (API.md, "Security centre") and, outside production only, the
 * password-card and e-token dev routes that stand in for the printed card and the device in tests and demos.
 */
export function registerMediaRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;

  app.get(
    '/api/v1/security/media',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Your tier and security media',
        response: { 200: MediaList },
      },
    },
    function listMedia(request) {
      return mediaList(db, request.customerId);
    },
  );

  app.post(
    '/api/v1/security/media/:mediumId/lost',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Report a medium lost (挂失): it stops at once',
        params: Type.Object({ mediumId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false }),
        response: { 200: MediaList },
      },
    },
    function reportMediumLost(request) {
      return reportLost(ctx, request.customerId, request.params.mediumId, request.ip ?? null);
    },
  );

  app.post(
    '/api/v1/security/totp',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Bind a soft token (authenticator app): asks your current medium first',
        description:
          'Without `authorization`: 202 `authorization_required` (API.md, "Authorization"). With it: 201 and the ' +
          "token's `otpauthUrl` and QR code, shown once; the token is active after its first code (…/verify).",
        body: TotpEnrolBody,
        response: { 201: TotpEnrolment, 202: AuthorizationRequired },
      },
    },
    async function enrolSoftToken(request, reply) {
      const outcome = await enrolTotp(ctx, request.customerId, request.body.authorization, request.ip ?? null);
      return reply.code(outcome.status).send(outcome.body);
    },
  );

  app.put(
    '/api/v1/security/payment-password',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Set the payment password (static-password customers): asks the SMS code first',
        body: PaymentPasswordBody,
        response: { 202: AuthorizationRequired, 204: Type.Null() },
      },
    },
    async function putPaymentPassword(request, reply) {
      const outcome = await setPaymentPassword(ctx, request.customerId, request.body, request.ip ?? null);
      if (outcome.status === 204) return reply.code(204).send(null);
      return reply.code(202).send(outcome.body);
    },
  );

  app.post(
    '/api/v1/security/totp/:enrollmentId/verify',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: 'Confirm a soft token with its first code',
        params: EnrollmentParams,
        body: TotpVerifyBody,
        response: {
          200: Type.Object({ id: Type.String(), kind: Type.Literal('totp'), status: Type.Literal('active') }),
        },
      },
    },
    function confirmSoftToken(request) {
      return confirmTotp(ctx, request.customerId, request.params.enrollmentId, request.body.code, request.ip ?? null);
    },
  );

  app.post(
    '/api/v1/security/u-shield/registration',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: "Download a U-shield's certificate (register the key): asks your current medium first",
        description:
          'Without `authorization`: 202 `authorization_required` (API.md, "Authorization"). With it: 201 ' +
          '`{registrationId, options}`, the WebAuthn creation options (a security key, its PIN required).',
        body: UShieldRegistrationBody,
        response: { 201: UShieldRegistration, 202: AuthorizationRequired },
      },
    },
    async function startUShield(request, reply) {
      const outcome = await startUShieldRegistration(ctx, request.customerId, request.body, request.ip ?? null);
      return reply.code(outcome.status).send(outcome.body);
    },
  );

  app.post(
    '/api/v1/security/u-shield/registration/:registrationId/verify',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: ['security'],
        summary: "Finish a U-shield's certificate download with the key's attestation: the U-shield is active",
        params: RegistrationParams,
        body: UShieldVerifyBody,
        response: { 200: UShieldActivated },
      },
    },
    function finishUShield(request) {
      return finishUShieldRegistration(
        ctx,
        request.customerId,
        request.params.registrationId,
        request.body.credential as unknown as RegistrationResponseJSON,
        request.ip ?? null,
      );
    },
  );

  if (ctx.config.env !== 'production') {
    app.get(
      '/api/v1/dev/password-card/:serial/cells',
      {
        schema: {
          tags: ['dev'],
          summary: 'The digits of some cells of a password card (outside production only)',
          params: SerialParams,
          querystring: CardCellsQuery,
          response: { 200: CardDigits },
        },
      },
      function readCardCells(request) {
        return devCardDigits(db, ctx, request.params.serial, request.query.cells);
      },
    );

    app.get(
      '/api/v1/dev/e-token/:serial/answer',
      {
        schema: {
          tags: ['dev'],
          summary: 'What an e-password device shows for an 8-digit challenge now (outside production only)',
          params: SerialParams,
          querystring: ETokenChallengeQuery,
          response: { 200: ETokenAnswer },
        },
      },
      function readETokenAnswer(request) {
        return devETokenAnswer(db, ctx, request.params.serial, request.query.challenge);
      },
    );
  }
}
