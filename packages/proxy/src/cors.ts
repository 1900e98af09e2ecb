/** Which browser origins may call the proxy: exact origins, or `*` for any. */
export type OriginPolicy = (origin: string) => boolean;

/** Builds the origin check from the configured list (`https://shop.example`, `*`). */
export function originPolicy(allowed: string[]): OriginPolicy {
  if (allowed.includes('*')) return () => true;
  const set = new Set(allowed.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  return (origin) => set.has(origin.toLowerCase());
}

/** CORS headers for an allowed origin's actual request (no credentials: the write key is not a cookie). */
export function corsHeaders(origin: string): Record<string, string> {
  // Retry-After must be readable by the page's queue on 429 and 503.
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'retry-after', vary: 'Origin' };
}

/** The answer to a preflight from an allowed origin. */
export function preflightHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    // content-encoding: the browser destination gzips; authorization: basic-auth write key.
    'access-control-allow-headers': 'content-type, authorization, content-encoding',
    'access-control-max-age': '86400',
  };
}
