import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AssertionFailed } from '../assert.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError, type Lang, messageFor, pickLanguage } from '../errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** What a 503 asks clients to wait: a restarted PostgreSQL is usually back within a few seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** The RFC 9457 document Jinku sends for every error. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  [extension: string]: unknown;
};

/** Builds the problem document for `code` in the language the request asked for. */
export function problemFor(
  request: FastifyRequest,
  code: string,
  status: number,
  params: Record<string, string | number> = {},
  extensions: Record<string, unknown> = {},
): Problem {
  const lang: Lang = pickLanguage(request.headers['accept-language']);
  return problemDocument(lang, request.id, code, status, params, extensions);
}

/** The problem document for `code` in `lang`; `reference` is the request id the customer can quote. */
export function problemDocument(
  lang: Lang,
  reference: string,
  code: string,
  status: number,
  params: Record<string, string | number> = {},
  extensions: Record<string, unknown> = {},
): Problem {
  const fallback = messageFor('system.internal', lang, { reference })!;
  const detail = messageFor(code, lang, { reference, ...params }) ?? fallback;
  return {
    type: `urn:jinku:problem:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    instance: reference,
    ...extensions,
  };
}

/** Sends a problem document. */
export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}) {
  return reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * The one error handler: domain errors keep their code and status, Fastify's own client errors become
 * stable `request.*` codes, and anything else is a bug: logged with its stack, answered 500 with a
 * reference the customer can quote to the hotline and no internals.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError && !error.registered) {
    request.log.error({ err: error, code: error.code }, 'error code missing from every catalogue');
    return sendProblem(reply, problemFor(request, 'system.internal', 500));
  }
  if (error instanceof AppError) {
    const problem = problemFor(request, error.code, error.status, error.params, error.extensions);
    const headers: Record<string, string> = {};
    if (typeof error.extensions.retryAfterSeconds === 'number') {
      headers['retry-after'] = String(error.extensions.retryAfterSeconds);
    }
    return sendProblem(reply, problem, headers);
  }
  if (error.validation) {
    const reason = error.validation
      .map((v) => `${v.instancePath || error.validationContext || 'body'} ${v.message ?? 'is invalid'}`.trim())
      .slice(0, 5)
      .join('; ');
    return sendProblem(
      reply,
      problemFor(request, 'request.invalid', 400, { reason }, { errors: error.validation.slice(0, 20) }),
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500 && !(error instanceof AssertionFailed)) {
    const code = clientErrorCode(error, status);
    const headers: Record<string, string> = {};
    const retryAfter = reply.getHeader('retry-after');
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    return sendProblem(reply, problemFor(request, code, status, { reason: error.message }), headers);
  }
  if (isDatabaseUnavailable(error)) {
    // An operating condition, not a bug: the client retries (with its Idempotency-Key) and is settled.
    request.log.warn({ err: error }, 'database unavailable');
    return sendProblem(reply, problemFor(request, 'system.unavailable', 503), {
      'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
    });
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, problemFor(request, 'system.internal', 500));
}

function clientErrorCode(error: FastifyError, status: number): string {
  if (status === 413) return 'request.too_large';
  if (status === 415) return 'request.unsupported_media_type';
  if (status === 429) return 'request.rate_limited';
  if (status === 404) return 'request.not_found';
  if (status === 405) return 'request.method_not_allowed';
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || /JSON/i.test(error.message)) return 'request.malformed_json';
  return 'request.invalid';
}
