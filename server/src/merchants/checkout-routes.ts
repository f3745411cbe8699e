import { idempotencyOf, registerAuthorizationRoutes, sendOutcome } from '../payments/index.ts';
import { IdempotencyHeaders } from '../payments/schema.ts';
import type { AppContext } from '../platform/context.ts';
import { requireAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { authorizeCheckout, checkoutOf, resendCheckoutChallenge, startCheckout } from './checkout.ts';
import { CheckoutAnswerOut, CheckoutOut, CheckoutPayBody, TradeNoParams } from './schema.ts';

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
        headers: IdempotencyHeaders,
        response: { 200: CheckoutAnswerOut },
      },
    },
    async function checkoutPayHandler(request, reply) {
      const outcome = await startCheckout(ctx, {
        customerId: request.customerId,
        tradeNo: request.params.tradeNo,
        fromAccountId: request.body.fromAccountId,
        method: request.body.method,
        ip: request.ip ?? null,
        // The path names the order paid: one key may not replay one order's answer for another.
        idempotency: idempotencyOf(request, 'path'),
      });
      return sendOutcome(reply, outcome);
    },
  );

  registerAuthorizationRoutes(app, {
    path: '/api/v1/checkout/:tradeNo',
    params: TradeNoParams,
    idParam: 'tradeNo',
    response: CheckoutAnswerOut,
    tags,
    summaries: {
      authorize: 'Confirm the payment with the security medium; answers the signed way back to the shop',
      challenge: 'A fresh challenge for the payment: a resend, or another medium among the alternatives',
    },
    authorize: ({ id, lang: _lang, ...answer }) => authorizeCheckout(ctx, { ...answer, tradeNo: id }),
    challenge: ({ id, lang: _lang, ...asked }) => resendCheckoutChallenge(ctx, { ...asked, tradeNo: id }),
  });
}
