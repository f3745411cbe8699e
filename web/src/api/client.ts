import { currentLanguage } from '../i18n';
import { ApiError, apiErrorFromProblem, CLIENT_CODES } from './ApiError';
import type { SessionAnswer } from './contract';

/** What `GET /api/v1/session` answers (API.md, "Session and login"): the server's own type. */
export type Session = SessionAnswer;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RequestOptions = {
  method?: Method;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

const UNSAFE = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A request that hangs longer than this is abandoned so that buttons do not spin for ever. */
const TIMEOUT_MS = 30_000;

let csrfToken: string | undefined;
let lastResponseAtMs = Date.now();
const activityListeners = new Set<(atMs: number) => void>();

/**
 * When the server last answered a request (the server's idle timer restarts with every call it sees).
 * The logged-in layout counts its idle warning from here.
 */
export function lastApiActivityMs(): number {
  return lastResponseAtMs;
}

/** Calls `listener` after every answered API request; returns the unsubscribe function. */
export function onApiActivity(listener: (atMs: number) => void): () => void {
  activityListeners.add(listener);
  return () => activityListeners.delete(listener);
}

function noteActivity() {
  lastResponseAtMs = Date.now();
  for (const listener of activityListeners) listener(lastResponseAtMs);
}
let sessionInFlight: Promise<Session> | undefined;

/** Fetches the session and remembers its CSRF token for the next state-changing request. */
export function fetchSession(): Promise<Session> {
  sessionInFlight ??= send<Session>('/api/v1/session', { method: 'GET' })
    .then((session) => {
      csrfToken = session.csrfToken;
      return session;
    })
    .finally(() => {
      sessionInFlight = undefined;
    });
  return sessionInFlight;
}

/** Forgets the CSRF token: call after login or logout, when the server rotates the session. */
export function forgetCsrfToken() {
  csrfToken = undefined;
}

/**
 * Calls the Jinku API: JSON in and out, same-origin cookies, the user's language, and the CSRF token
 * on requests that change state. Resolves with the parsed body (undefined for 204) and rejects with an
 * ApiError for anything else.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  if (!UNSAFE.has(method)) return send<T>(path, options);
  if (csrfToken === undefined) await fetchSession();
  try {
    return await send<T>(path, options, csrfToken);
  } catch (error) {
    // The token is bound to a cookie that may have expired or rotated: fetch a fresh one and retry once.
    // The server refused the first request before doing anything, so the retry cannot repeat an action.
    if (error instanceof ApiError && error.code === 'request.csrf') {
      forgetCsrfToken();
      await fetchSession();
      return send<T>(path, options, csrfToken);
    }
    throw error;
  }
}

/**
 * An API client for a session of its own beside the customer's (the counter's staff session): it reads
 * its CSRF token from `sessionPath` and sends that token, never the customer's, on state changes.
 */
export function createSessionClient<S extends { csrfToken: string }>(sessionPath: string) {
  let token: string | undefined;
  let inFlight: Promise<S> | undefined;

  function session(): Promise<S> {
    inFlight ??= send<S>(sessionPath, { method: 'GET' })
      .then((answer) => {
        token = answer.csrfToken;
        return answer;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  async function call<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = options.method ?? 'GET';
    if (!UNSAFE.has(method)) return send<T>(path, options);
    if (token === undefined) await session();
    try {
      return await send<T>(path, options, token);
    } catch (error) {
      // As for the customer's session: refused before anything happened, so one retry is safe.
      if (error instanceof ApiError && error.code === 'request.csrf') {
        token = undefined;
        await session();
        return send<T>(path, options, token);
      }
      throw error;
    }
  }

  return {
    /** Fetches the session and keeps its CSRF token. */
    session,
    /** Calls the API with this session's CSRF token on state changes. */
    call,
    /** Forgets the token: after sign-in or sign-out, when the server rotates the session. */
    forgetToken: () => {
      token = undefined;
    },
  };
}

async function send<T>(path: string, options: RequestOptions, token?: string): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': currentLanguage(),
    ...options.headers,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && token) headers['X-CSRF-Token'] = token;

  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(TIMEOUT_MS)])
    : AbortSignal.timeout(TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: CLIENT_CODES.network });
  }
  noteActivity();
  return readResponse<T>(response);
}

async function readResponse<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const contentType = response.headers.get('content-type') ?? '';
  const isJson = /\bjson\b/i.test(contentType);
  let body: unknown;
  if (isJson) {
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
  }
  if (response.ok) {
    // A 2xx that is not JSON is usually an HTML fallback page: the API route does not exist here.
    if (!isJson || body === undefined) {
      throw new ApiError({ status: response.status, code: CLIENT_CODES.badResponse });
    }
    return body as T;
  }
  if (body && typeof body === 'object') {
    return Promise.reject(apiErrorFromProblem(response.status, body as Record<string, unknown>));
  }
  throw new ApiError({
    status: response.status,
    code: response.status >= 500 ? CLIENT_CODES.unavailable : CLIENT_CODES.badResponse,
  });
}

export { ApiError };
