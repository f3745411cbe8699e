import type { LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIES } from '../platform/http/csrf.ts';
import type { App } from '../platform/http/types.ts';

type Options = {
  ip?: string;
  lang?: string;
  headers?: Record<string, string>;
  /** Where the CSRF token comes from: the customer's session (default) or the counter's. */
  sessionPath?: '/api/v1/session' | '/api/v1/counter/session' | '/api/v1/corporate/session';
};

/**
 * A browser-like client over `app.inject`: keeps cookies, fetches and sends the CSRF token on
 * state-changing requests, and speaks from a chosen IP address.
 */
export class TestClient {
  readonly #app: App;
  readonly #options: Options;
  readonly cookies = new Map<string, string>();
  #csrfToken: string | null = null;

  constructor(app: App, options: Options = {}) {
    this.#app = app;
    this.#options = options;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('POST', url, body ?? {}, headers);
  }
  put(url: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('PUT', url, body ?? {}, headers);
  }
  delete(url: string, headers: Record<string, string> = {}) {
    return this.request('DELETE', url, undefined, headers);
  }

  /** The CSRF token from `GET /api/v1/session` or the counter's session (cached until cookies change). */
  async csrfToken(): Promise<string | null> {
    if (this.#csrfToken) return this.#csrfToken;
    const response = await this.request('GET', this.#options.sessionPath ?? '/api/v1/session');
    if (response.statusCode !== 200) return null;
    this.#csrfToken = (JSON.parse(response.body) as { csrfToken?: string }).csrfToken ?? null;
    return this.#csrfToken;
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const allHeaders: Record<string, string> = {
      'accept-language': this.#options.lang ?? 'zh-CN',
      ...this.#options.headers,
      ...headers,
    };
    if (method !== 'GET' && !('x-csrf-token' in allHeaders) && url !== '/api/v1/session') {
      const token = await this.csrfToken();
      if (token) allHeaders['x-csrf-token'] = token;
    }
    const response = await this.#app.inject({
      method,
      url,
      headers: allHeaders,
      cookies: Object.fromEntries(this.cookies),
      remoteAddress: this.#options.ip ?? '127.0.0.1',
      ...(body === undefined ? {} : { payload: body as object }),
    });
    for (const cookie of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired =
        cookie.value === '' || cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
      // The CSRF token is bound to the session: a new session cookie means a new token.
      if (SESSION_COOKIES.includes(cookie.name)) this.#csrfToken = null;
    }
    return response;
  }
}
