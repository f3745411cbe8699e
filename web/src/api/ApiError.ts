/**
 * A failed API call, carrying the RFC 9457 problem document the server sent (API.md, "Errors").
 * `detail` is already in the user's language; `instance` is the reference the hotline asks for.
 * Failures that never produced a problem document (network down, a proxy's HTML page) get a
 * `client.*` code and no detail: the UI words those itself.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  /** Problem members beyond the standard ones, such as `captchaRequired` or `retryAfterSeconds`. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(problem: {
    status: number;
    code: string;
    type?: string;
    title?: string;
    detail?: string;
    instance?: string;
    extensions?: Record<string, unknown>;
  }) {
    super(problem.detail ?? problem.code);
    this.status = problem.status;
    this.code = problem.code;
    this.type = problem.type ?? 'about:blank';
    this.title = problem.title ?? '';
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.extensions = problem.extensions ?? {};
  }

  /** True when the request never reached the server or its answer could not be read. */
  get isClientSide(): boolean {
    return this.code.startsWith('client.');
  }
}

/** Codes for failures that produced no problem document. */
export const CLIENT_CODES = {
  network: 'client.network',
  badResponse: 'client.bad_response',
  unavailable: 'client.unavailable',
} as const;

const STANDARD = new Set(['type', 'title', 'status', 'detail', 'code', 'instance']);

/** Builds an ApiError from a parsed problem+json body and the HTTP status. */
export function apiErrorFromProblem(status: number, body: Record<string, unknown>): ApiError {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!STANDARD.has(key)) extensions[key] = value;
  return new ApiError({
    status,
    code: text('code') ?? (status >= 500 ? CLIENT_CODES.unavailable : CLIENT_CODES.badResponse),
    type: text('type'),
    title: text('title'),
    detail: text('detail'),
    instance: text('instance') ?? text('referenceId') ?? text('requestId'),
    extensions,
  });
}
