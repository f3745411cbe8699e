import { clientOf, setSessionCookie } from '../auth/index.ts';
import type { AppContext } from '../platform/context.ts';
import { provideAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { AGREEMENT } from './agreement.ts';
import { registrationErrors as errors } from './errors.ts';
import { bindCard, registerMobile, registerSelf } from './register.ts';
import { finishReset, renewResetChallenge, startReset, verifyReset } from './reset.ts';
import {
  Agreement,
  BindBody,
  CardBinding,
  MobileBody,
  NoContent,
  Registered,
  ResetBody,
  ResetChallengeBody,
  ResetParams,
  ResetPasswordBody,
  ResetStarted,
  ResetVerified,
  ResetVerifyBody,
  SelfBody,
  SmsBody,
  SmsSent,
} from './schema.ts';
import { sendRegistrationSms } from './sms.ts';
import { hasBoundCard } from './service.ts';

/**
 * The ways into online banking (API.md, "Registration and passwords"): the agreement, the SMS code,
 * self-registration, mobile registration and card binding, and the online password reset. Also gives
 * the app its account-access check: a session of a customer who registered on the phone sees no
 * accounts and moves no money until a card is bound.
 */
export function registerRegistrationRoutes(app: App, ctx: AppContext) {
  const db = ctx.db.kysely;
  provideAccountAccess(app, (customerId) => hasBoundCard(db, customerId), errors['registration.card_not_bound']);
  const tags = ['registration'];

  app.get(
    '/api/v1/registration/agreement',
    { schema: { tags, summary: 'The e-banking service agreement in force, in full', response: { 200: Agreement } } },
    async function getAgreement() {
      return AGREEMENT;
    },
  );

  app.post(
    '/api/v1/registration/sms',
    {
      schema: {
        tags,
        summary: 'Send a registration code (the same answer whether or not the mobile is the bank’s)',
        body: SmsBody,
        response: { 200: SmsSent },
      },
    },
    async function postRegistrationSms(request) {
      return sendRegistrationSms(ctx, request.body, request.ip);
    },
  );

  app.post(
    '/api/v1/registration/self',
    {
      schema: {
        tags,
        summary: 'Register for online banking with a card, its PIN and the details the bank holds',
        body: SelfBody,
        response: { 201: Registered },
      },
    },
    async function postSelfRegistration(request, reply) {
      const customer = await registerSelf(ctx, request.body, request.ip);
      return reply.code(201).send({ customer });
    },
  );

  app.post(
    '/api/v1/registration/mobile',
    {
      schema: {
        tags,
        summary: 'Register in the mobile app with the registered mobile (a mobile session; bind a card next)',
        body: MobileBody,
        response: { 201: Registered },
      },
    },
    async function postMobileRegistration(request, reply) {
      const { customer, token } = await registerMobile(ctx, request.body, clientOf(request, reply, ctx, 'mobile'));
      setSessionCookie(reply, ctx, token);
      return reply.code(201).send({ customer });
    },
  );

  app.post(
    '/api/v1/accounts/bind',
    {
      preHandler: requireCustomer(),
      schema: {
        tags,
        summary: 'Bind one of your cards (card number, PIN and ID number): the accounts open to this session',
        body: BindBody,
        response: { 200: CardBinding },
      },
    },
    async function postBindCard(request) {
      return bindCard(ctx, request.customerId, request.body, request.ip);
    },
  );

  app.get(
    '/api/v1/registration/card-binding',
    {
      preHandler: requireCustomer(),
      schema: {
        tags,
        summary: 'Whether your accounts are open to you (a card is bound)',
        response: { 200: CardBinding },
      },
    },
    async function getCardBinding(request) {
      return { cardBound: await hasBoundCard(db, request.customerId) };
    },
  );

  app.post(
    '/api/v1/password-reset',
    {
      schema: {
        tags,
        summary: 'Start an online password reset: identifier, card, PIN, ID number and captcha',
        body: ResetBody,
        response: { 200: ResetStarted },
      },
    },
    async function postPasswordReset(request) {
      return startReset(ctx, request.body, request.ip);
    },
  );

  app.post(
    '/api/v1/password-reset/:resetId/verify',
    {
      schema: {
        tags,
        summary: 'Answer the reset’s challenge (SMS code or the customer’s medium)',
        params: ResetParams,
        body: ResetVerifyBody,
        response: { 200: ResetVerified },
      },
    },
    async function postResetVerify(request) {
      const { method, response } = request.body;
      return verifyReset(
        ctx,
        request.params.resetId,
        { method, response: response as string | Record<string, unknown> },
        request.ip,
      );
    },
  );

  app.post(
    '/api/v1/password-reset/:resetId/challenge',
    {
      schema: {
        tags,
        summary: 'A fresh challenge for the reset: a resend, or another medium among the alternatives',
        params: ResetParams,
        body: ResetChallengeBody,
        response: { 200: ResetStarted },
      },
    },
    async function postResetChallenge(request) {
      return renewResetChallenge(ctx, request.params.resetId, request.body?.method, request.ip);
    },
  );

  app.post(
    '/api/v1/password-reset/:resetId/password',
    {
      schema: {
        tags,
        summary: 'Set the new login password of a verified reset (the lock is lifted, other sessions end)',
        params: ResetParams,
        body: ResetPasswordBody,
        response: { 204: NoContent },
      },
    },
    async function postResetPassword(request, reply) {
      await finishReset(ctx, request.params.resetId, request.body.newPassword, request.ip);
      return reply.code(204).send(null);
    },
  );
}
