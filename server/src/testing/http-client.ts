import { Agent, request as httpRequest } from 'node:http';
import { SESSION_COOKIES } from '../platform/http/csrf.ts';

/** Keep-alive connections shared by every client: a load generator should cost as little CPU as it can. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A small cookie-keeping HTTP client over node:http (lighter than fetch, so a benchmark's load generator
 * takes less of the CPU it shares with the server), for tests and benchmarks against a real server process.
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  readonly baseUrl: string;
  #csrf: string | null = null;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** The cookie and CSRF headers this client sends, so that a load generator (bench/_wrk.ts) can send the same. */
  replayHeaders(): Record<string, string> {
    return {
      cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(this.#csrf ? { 'x-csrf-token': this.#csrf } : {}),
    };
  }

  /** Fetches the CSRF token of the current session from /api/v1/session. */
  async refreshCsrfToken(): Promise<void> {
    this.#csrf = (await this.json('GET', '/api/v1/session')).body.csrfToken;
  }

  /** Sends a request (JSON body if given) and parses the JSON answer; keeps cookies, sends the CSRF token. */
  async json(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    if (method !== 'GET' && !this.#csrf) await this.refreshCsrfToken();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(this.baseUrl + path);
    const answer = await new Promise<{ status: number; text: string; cookies: string[] }>((resolve, reject) => {
      const req = httpRequest(
        {
          agent,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers: {
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(method !== 'GET' && this.#csrf ? { 'x-csrf-token': this.#csrf } : {}),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, cookies: res.headers['set-cookie'] ?? [] }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    for (const line of answer.cookies) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
      // The CSRF token is bound to the session: a new session cookie means a new token.
      if (SESSION_COOKIES.includes(name)) this.#csrf = null;
    }
    const isJson = answer.text.startsWith('{') || answer.text.startsWith('[');
    return { status: answer.status, body: isJson ? JSON.parse(answer.text) : answer.text || null };
  }
}

/** The newest SMS code sent to a mobile, from the dev outbox. */
export async function devCode(baseUrl: string, mobile: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const outbox = (await (await fetch(`${baseUrl}/api/v1/dev/outbox?to=${mobile}`)).json()) as {
      items: Array<{ code?: string }>;
    };
    const code = outbox.items.find((m) => m.code)?.code;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no code for ${mobile}`);
}

/** Percentile of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Signs a customer in through the API: password, then the SMS code a new device is asked for. */
export async function signInOverHttp(baseUrl: string, mobile: string, password: string): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  const first = await client.json('POST', '/api/v1/auth/login', { identifier: mobile, password, channel: 'web' });
  let state = first.body?.state;
  if (state === 'challenge') {
    const code = await devCode(baseUrl, mobile);
    const done = await client.json('POST', `/api/v1/auth/login/${first.body.attemptId}/verify`, {
      method: 'sms',
      response: code,
    });
    state = done.body?.state;
  }
  if (state !== 'authenticated')
    throw new Error(`sign-in failed for ${mobile.slice(0, 3)}…: ${JSON.stringify(first.body)}`);
  // The session's own CSRF token, so that replayHeaders() carries it (bench/_wrk.ts sends those).
  await client.refreshCsrfToken();
  return client;
}
