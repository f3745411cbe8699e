/**
 * Expected failures are typed errors with a stable dotted `code` (API.md, "Conventions"); one handler
 * (http/problem.ts) renders them as RFC 9457 problem+json with the message in the caller's language.
 * Each domain declares its codes with `defineErrors` in its own errors.ts.
 */
export type Lang = 'zh-CN' | 'en';

export type ErrorDefinition = {
  readonly status: number;
  /** Message templates; `{name}` is replaced from the error's params. */
  readonly zh: string;
  readonly en: string;
};

const catalogue = new Map<string, ErrorDefinition>();

export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  /**
   * False for a code no catalogue defines: a programmer's error, which the error handler logs and
   * answers as `system.internal`, rather than sending an unknown code to the customer.
   */
  readonly registered: boolean;
  readonly status: number;
  readonly params: Readonly<Record<string, string | number>>;
  /** Extra members added to the problem document (e.g. `captchaRequired`, `retryAfterSeconds`). */
  readonly extensions: Readonly<Record<string, unknown>>;
  constructor(code: string, params: Record<string, string | number> = {}, extensions: Record<string, unknown> = {}) {
    const definition = catalogue.get(code);
    super(definition ? render(definition.en, params) : code);
    this.code = code;
    this.registered = definition !== undefined;
    this.status = definition?.status ?? 500;
    this.params = params;
    this.extensions = extensions;
  }
}

/** Registers a domain's error codes and returns them, so `errors.locked` can be used as a code. */
export function defineErrors<const T extends Record<string, ErrorDefinition>>(
  definitions: T,
): { readonly [K in keyof T]: K } {
  const codes = {} as Record<string, string>;
  for (const [code, definition] of Object.entries(definitions)) {
    catalogue.set(code, definition);
    codes[code] = code;
  }
  return codes as { readonly [K in keyof T]: K };
}

/** The message for `code` in `lang`, or undefined for an unknown code. */
export function messageFor(code: string, lang: Lang, params: Record<string, string | number> = {}): string | undefined {
  const definition = catalogue.get(code);
  if (!definition) return undefined;
  return render(lang === 'en' ? definition.en : definition.zh, params);
}

/** Every registered code: for tests that check each has both languages. */
export function registeredCodes(): ReadonlyMap<string, ErrorDefinition> {
  return catalogue;
}

/** Chooses zh-CN or en from an Accept-Language header; zh-CN when nothing better matches. */
export function pickLanguage(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      const quality = q ? Number(q.trim().slice(2)) : 1;
      return { tag: tag.toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

function render(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Errors every route can raise. */
export const requestErrors = defineErrors({
  'request.invalid': { status: 400, zh: '请求内容有误：{reason}', en: 'The request is invalid: {reason}' },
  'request.malformed_json': { status: 400, zh: '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  'request.too_large': { status: 413, zh: '请求内容过大。', en: 'The request body is too large.' },
  'request.headers_too_large': { status: 431, zh: '请求头过大。', en: 'The request headers are too large.' },
  'request.timeout': { status: 408, zh: '请求超时，请重试。', en: 'The request took too long to arrive; try again.' },
  'request.unsupported_media_type': {
    status: 415,
    zh: '不支持的内容类型，请以 JSON 格式发送。',
    en: 'Unsupported content type; send JSON.',
  },
  'request.not_found': { status: 404, zh: '您访问的地址不存在。', en: 'There is nothing at this address.' },
  'request.method_not_allowed': {
    status: 405,
    zh: '此地址不支持该请求方法。',
    en: 'This address does not accept that method.',
  },
  'request.rate_limited': {
    status: 429,
    zh: '请求过于频繁，请稍后再试。',
    en: 'Too many requests; please try again shortly.',
  },
  'request.csrf': {
    status: 403,
    zh: '安全校验失败，请刷新页面后重试。',
    en: 'The security check of this request failed; reload the page and try again.',
  },
  'request.idempotency_conflict': {
    status: 409,
    zh: '该幂等键已用于另一笔不同的请求，或该请求仍在处理中。',
    en: 'This Idempotency-Key was used for a different request, or that request is still in progress.',
  },
  'request.unauthenticated': {
    status: 401,
    zh: '您尚未登录或登录已超时，请重新登录。',
    en: 'You are not signed in, or your session has timed out; please sign in again.',
  },
  'request.forbidden': { status: 403, zh: '您无权进行此操作。', en: 'You are not allowed to do this.' },
  'system.internal': {
    status: 500,
    zh: '系统繁忙，请稍后再试。如问题持续，请致电客服热线并提供参考号 {reference}。',
    en: 'Something went wrong on our side. If it persists, call the hotline and quote reference {reference}.',
  },
  'system.unavailable': {
    status: 503,
    zh: '系统暂时无法服务，请稍后再试。',
    en: 'The service is temporarily unavailable; please try again later.',
  },
});
