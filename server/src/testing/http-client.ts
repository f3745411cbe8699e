/** A small cookie-keeping HTTP client over fetch, for tests and benchmarks against a real server process. */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  readonly baseUrl: string;
  #csrf: string | null = null;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    if (method !== 'GET' && !this.#csrf && path !== '/api/v1/session') {
      this.#csrf = ((await (await this.request('GET', '/api/v1/session')).json()) as { csrfToken: string }).csrfToken;
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(method !== 'GET' && this.#csrf ? { 'x-csrf-token': this.#csrf } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await this.request(method, path, body, headers);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
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
