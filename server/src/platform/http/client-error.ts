import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { newRequestId } from './logging.ts';
import { PROBLEM_CONTENT_TYPE, problemDocument, problemFor, sendProblem } from './problem.ts';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers too large, a timeout, bytes that
 * are not HTTP) are answered with problem+json like every other error (issue 13, item 9), straight on
 * the socket: there is no request object, so the answer is in the default language with a fresh
 * reference. A reset connection has no one left to answer.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request.headers_too_large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request.timeout']
        : [400, 'request.invalid'];
  const problem = problemDocument('zh-CN', newRequestId(), code, status, { reason: 'malformed HTTP request' });
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${problem.title}\r\nConnection: close\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Fastify's own refusals before routing — a URL whose percent-encoding does not decode (`/%ZZ`) — as
 * problem+json instead of Fastify's plain JSON.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const reason = error.code === 'FST_ERR_BAD_URL' ? 'the address is not a valid URL' : error.message;
  return sendProblem(reply, problemFor(request, 'request.invalid', 400, { reason }));
}
