import { randomBytes } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';

// Secrets must never reach a log line (ARCHITECTURE.md, "Security is the product"). Fastify logs no
// bodies, but domain code may log objects: every field name that can hold a secret is censored at any of
// the first levels of nesting, and so are the headers that carry credentials.
const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'pin',
  'cardPin',
  'otp',
  'smsCode',
  'code',
  'response',
  'cardNumber',
  'idNumber',
  'secret',
  'token',
  'captchaAnswer',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
];

/** Pino options for the server's logger; `stream` lets tests capture every line. */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  if (level === 'silent' && !stream) return false;
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  } as FastifyServerOptions['logger'];
}

/** Request ids double as the reference a customer quotes to the hotline: short, random, unambiguous. */
export function newRequestId(): string {
  return `R${randomBytes(6).toString('hex').toUpperCase()}`;
}
