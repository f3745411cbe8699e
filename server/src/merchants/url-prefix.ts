/**
 * The notify URL prefix a merchant registers, and whether a URL lies under it. A plain string prefix
 * is not enough: `https://shop.example.com` would admit `https://shop.example.com.evil.net/`, and
 * `https://shop.example.com/notify` would admit `/notify-evil` or `/notify/../admin`. So both sides are
 * parsed (WHATWG URL, which resolves dot segments and lower-cases the host) and compared part by part.
 */

/** Why a prefix may not be registered, or null when it may. */
export function urlPrefixRefusal(text: string, env: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not an absolute URL';
  }
  if (text.length > 1024) return 'too long';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'not an http(s) URL';
  // In production a merchant's server is reached over TLS only: a notify carries the order's status.
  if (env === 'production' && url.protocol !== 'https:') return 'not https';
  if (url.username || url.password) return 'carries credentials';
  if (url.search || url.hash || text.includes('?') || text.includes('#')) return 'has a query or fragment';
  return null;
}

/**
 * Whether `candidate` lies under `prefix`: the same scheme, host and port, and a path equal to the
 * prefix's path or below it at a segment boundary. A malformed URL on either side is not under anything.
 */
export function isUnderPrefix(candidate: string, prefix: string): boolean {
  let url: URL;
  let base: URL;
  try {
    url = new URL(candidate);
    base = new URL(prefix);
  } catch {
    return false;
  }
  if (url.protocol !== base.protocol || url.hostname !== base.hostname || url.port !== base.port) return false;
  if (url.username || url.password) return false;
  if (base.pathname.endsWith('/')) return url.pathname.startsWith(base.pathname);
  return url.pathname === base.pathname || url.pathname.startsWith(`${base.pathname}/`);
}
