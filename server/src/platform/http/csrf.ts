import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { keyedHash } from '../keyed-hash.ts';

export const CSRF_COOKIE = 'jinku_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Cookies that make a request "ambiently authenticated", and so in need of CSRF protection. */
export const SESSION_COOKIES = ['jinku_sid', 'jinku_staff_sid', 'jinku_corp_sid'];
/**
 * The counter's routes answer to the staff session only, every other route to the customer's: each
 * channel's token is bound to its own session cookie, so a customer signing in or out in another tab
 * of the same browser does not void the teller's token, nor the other way round.
 */
const COUNTER_PREFIX = '/api/v1/counter/';
/** Corporate e-banking's routes answer to the operator session (`jinku_corp_sid`) in the same way. */
const CORPORATE_PREFIX = '/api/v1/corporate/';
function sessionCookiesFor(request: FastifyRequest): readonly string[] {
  const path = request.url.split('?')[0] ?? '';
  if (path.startsWith(COUNTER_PREFIX)) return ['jinku_staff_sid'];
  return path.startsWith(CORPORATE_PREFIX) ? ['jinku_corp_sid'] : ['jinku_sid'];
}
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The CSRF token is an HMAC of a random per-browser cookie and of the session cookies the browser holds
 * (the signed double-submit pattern, bound to the session): a page on another site can neither read
 * our cookies nor compute the MAC, so it cannot send the matching header; and as the session cookie is
 * new at every sign-in, so is the token (issue 13, item 10): a token seen before sign-in, or in another
 * session, is worth nothing. The browser's app fetches the new one from /api/v1/session after sign-in
 * (the counter's from /api/v1/counter/session: sessionCookiesFor).
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secret: Buffer, secure: boolean): string {
  let nonce = request.cookies[CSRF_COOKIE];
  if (!nonce || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) {
    nonce = randomBytes(32).toString('base64url');
    reply.setCookie(CSRF_COOKIE, nonce, { path: '/', httpOnly: true, sameSite: 'strict', secure });
    request.cookies[CSRF_COOKIE] = nonce;
  }
  return mac(secret, nonce, request);
}

/**
 * Refuses a state-changing request that a browser sent from another site: by the Fetch metadata and
 * Origin headers browsers always send, and, when the request carries one of our session cookies, by
 * the CSRF token. Requests with neither cookie nor Origin (server-to-server clients) carry no ambient
 * authority, so there is nothing to forge.
 */
export function checkCsrf(request: FastifyRequest, secret: Buffer): void {
  if (!UNSAFE_METHODS.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw new AppError('request.csrf');
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new AppError('request.csrf');
    }
    if (originHost !== request.headers.host) throw new AppError('request.csrf');
  } else if (origin === 'null') {
    throw new AppError('request.csrf');
  }
  const hasSession = sessionCookiesFor(request).some((name) => request.cookies[name]);
  if (!hasSession) return;
  const nonce = request.cookies[CSRF_COOKIE];
  const header = request.headers[CSRF_HEADER];
  if (!nonce || typeof header !== 'string') throw new AppError('request.csrf');
  const expected = Buffer.from(mac(secret, nonce, request));
  const given = Buffer.from(header);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AppError('request.csrf');
}

function mac(secret: Buffer, nonce: string, request: FastifyRequest): string {
  const cookies = sessionCookiesFor(request);
  const sessions = cookies.map((name) => `${name}=${request.cookies[name] ?? ''}`).join(':');
  return keyedHash(secret, null, `csrf:${nonce}:${sessions}`, 'base64url');
}
