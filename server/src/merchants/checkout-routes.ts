import type { FastifyReply } from 'fastify';
import type { Outcome } from '../payments/index.ts';
import type { AppContext } from '../platform/context.ts';
import { requireAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { authorizeCheckout, checkoutOf, resendCheckoutChallenge, startCheckout } from './checkout.ts';
import {
  CheckoutAnswerOut,
  CheckoutAuthorizeBody,
  CheckoutChallengeBody,
  CheckoutIdempotencyHeaders,
  CheckoutOut,
  CheckoutPayBody,
  TradeNoParams,
} from './schema.ts';

/** Sends an outcome of a money-moving request; a replayed answer says so (`Idempotency-Replayed`). */
function sendOutcome(reply: FastifyReply, outcome: Outcome) {
  reply.code(outcome.status);
  if (outcome.replayed) reply.header('idempotency-replayed', 'true');
  if ('json' in outcome) return reply.type('application/json; charset=utf-8').send(outcome.json);
  return reply.send(outcome.body);
}

/**
 * The checkout page's API (API.md "Merchant gateway"). The order itself may be read before sign-in:
 * its trade number, random and sent only to the paying browser, is what the page is opened with.
 * Paying needs the customer's session.
 */
export function registerCheckoutRoutes(app: App, ctx: AppContext) {
  const guard = { preHandler: [requireCustomer(), requireAccountAccess()] };
  const tags = ['checkout'];

  app.get(
    '/api/v1/checkout/:tradeNo',
    {
      schema: {
        tags,
        summary: 'An order as the checkout page shows it',
        params: TradeNoParams,
        response: { 200: CheckoutOut },
      },
    },
    async function checkoutHandler(request, reply) {
      reply.header('cache-control', 'no-store');
      return checkoutOf(ctx, request.params.tradeNo);
    },
  );

  app.post(
    '/api/v1/checkout/:tradeNo/pay',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Pay an order from one of your accounts: asks for the medium the amount needs',
        params: TradeNoParams,
        body: CheckoutPayBody,
        headers: CheckoutIdempotencyHeaders,
        response: { 200: CheckoutAnswerOut },
      },
    },
    async function checkoutPayHandler(request, reply) {
      const key = request.headers['idempotency-key'];
      const outcome = await startCheckout(ctx, {
        customerId: request.customerId,
        tradeNo: request.params.tradeNo,
        fromAccountId: request.body.fromAccountId,
        method: request.body.method,
        ip: request.ip ?? null,
        idempotency:
          typeof key === 'string' ? { key, method: request.method, url: request.url, body: request.body } : null,
      });
      return sendOutcome(reply, outcome);
    },
  );

  app.post(
    '/api/v1/checkout/:tradeNo/authorize',
    {
      ...guard,
      schema: {
        tags,
        summary: 'Confirm the payment with the security medium; answers the signed way back to the shop',
        params: TradeNoParams,
        body: CheckoutAuthorizeBody,
        response: { 200: CheckoutAnswerOut },
      },
    },
    async function checkoutAuthorizeHandler(request) {
      return authorizeCheckout(ctx, {
        customerId: request.customerId,
        tradeNo: request.params.tradeNo,
        method: request.body.method,
        response: request.body.response as string | Record<string, unknown>,
        ip: request.ip ?? null,
      });
    },
  );

  app.post(
    '/api/v1/checkout/:tradeNo/challenge',
    {
      ...guard,
      schema: {
        tags,
        summary: 'A fresh challenge for the payment: a resend, or another medium among the alternatives',
        params: TradeNoParams,
        body: CheckoutChallengeBody,
        response: { 200: CheckoutAnswerOut },
      },
    },
    async function checkoutChallengeHandler(request) {
      return resendCheckoutChallenge(ctx, {
        customerId: request.customerId,
        tradeNo: request.params.tradeNo,
        method: request.body?.method,
      });
    },
  );
}
