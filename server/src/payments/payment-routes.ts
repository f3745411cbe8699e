import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import type { AuthMethod } from '../media/index.ts';
import type { Id } from '../platform/ids.ts';
import { AppError, type Lang, pickLanguage, requestErrors } from '../platform/errors.ts';
import { requireAccountAccess, requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { parseMoney } from '../platform/money.ts';
import type { Outcome } from './idempotent.ts';
import { AuthorizeBody, ChallengeBody } from './schema.ts';

/**
 * The HTTP shape every customer payment shares — transfers, bill payments, checkout: money fields,
 * keyed requests and their replays, and the authorize/challenge pair of API.md's authorization pattern.
 */

/** The reader's language from the request. */
export const requestLang = (request: FastifyRequest): Lang => pickLanguage(request.headers['accept-language']);

/** A money field as fen; a zero or malformed amount is the client's error (API.md: positive). */
export function amountFen(text: string): number {
  const parsed = parseMoney(text);
  if (!parsed.ok || parsed.fen <= 0) {
    throw new AppError(requestErrors['request.invalid'], { reason: `amount (${parsed.ok ? 'zero' : parsed.reason})` });
  }
  return parsed.fen;
}

/**
 * The request's `Idempotency-Key` with what identifies the request under it. `route`: the route's
 * pattern, where the body names everything (a transfer); `path`: the URL itself, where the path names the
 * thing paid (a checkout's trade number), so one key cannot replay one order's answer for another.
 */
export function idempotencyOf(request: FastifyRequest, url: 'route' | 'path' = 'route') {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return null;
  return {
    key,
    method: request.method,
    url: url === 'route' ? (request.routeOptions.url ?? request.url) : request.url,
    body: request.body,
  };
}

/** Sends an outcome of a money-moving request; a replayed answer says so (`Idempotency-Replayed`). */
export function sendOutcome(reply: FastifyReply, outcome: Outcome) {
  reply.code(outcome.status);
  if (outcome.replayed) reply.header('idempotency-replayed', 'true');
  if ('json' in outcome) return reply.type('application/json; charset=utf-8').send(outcome.json);
  return reply.send(outcome.body);
}

/** What the authorize route hands its service: the answer to the challenge for one payment. */
export type AuthorizeInput = {
  customerId: Id<'Customer'>;
  id: string;
  method: string;
  response: string | Record<string, unknown>;
  ip: string | null;
  lang: Lang;
};

/** What the challenge route hands its service: a resend, or another medium among the alternatives. */
export type ChallengeInput = { customerId: Id<'Customer'>; id: string; method: AuthMethod | undefined; lang: Lang };

/**
 * Registers `POST {path}/authorize` (`{"method", "response"}`) and `POST {path}/challenge`
 * (`{"method"?}`) for a payment addressed by one path parameter, behind the customer guard.
 */
export function registerAuthorizationRoutes(
  app: App,
  spec: {
    /** The payment's path, e.g. `/api/v1/transfers/:id`. */
    path: string;
    params: TSchema;
    /** The path parameter that names the payment. */
    idParam: string;
    response: TSchema;
    tags: string[];
    summaries: { authorize: string; challenge: string };
    authorize: (input: AuthorizeInput) => Promise<unknown>;
    challenge: (input: ChallengeInput) => Promise<unknown>;
  },
) {
  const preHandler = [requireCustomer(), requireAccountAccess()];
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>)[spec.idParam] ?? '';
  app.post(
    `${spec.path}/authorize`,
    {
      preHandler,
      schema: {
        tags: spec.tags,
        summary: spec.summaries.authorize,
        params: spec.params,
        body: AuthorizeBody,
        response: { 200: spec.response },
      },
    },
    async function authorizeHandler(request) {
      return spec.authorize({
        customerId: request.customerId,
        id: idOf(request),
        method: request.body.method,
        response: request.body.response as string | Record<string, unknown>,
        ip: request.ip ?? null,
        lang: requestLang(request),
      });
    },
  );
  app.post(
    `${spec.path}/challenge`,
    {
      preHandler,
      schema: {
        tags: spec.tags,
        summary: spec.summaries.challenge,
        params: spec.params,
        body: ChallengeBody,
        response: { 200: spec.response },
      },
    },
    async function challengeHandler(request) {
      return spec.challenge({
        customerId: request.customerId,
        id: idOf(request),
        method: request.body?.method,
        lang: requestLang(request),
      });
    },
  );
}
