import type { Area } from './store.js';

/** Something with a `document.cookie`-like property; tests pass a fake jar. */
export interface CookieAccess {
  cookie: string;
}

/**
 * `document.cookie` as an {@link Area}: one cookie per key, `Path=/`, `SameSite=Lax`, on `domain`
 * (`''` host-only), expiring after `days`. Reading parses `document.cookie`: call it rarely.
 */
export function cookieArea(doc: CookieAccess, domain: string, secure: boolean, days: number): Area {
  const write = (name: string, value: string, maxAge: number) => {
    doc.cookie = `${name}=${encodeURIComponent(value)}; Max-Age=${maxAge}; Path=/${domain ? '; Domain=' + domain : ''}; SameSite=Lax${secure ? '; Secure' : ''}`;
  };
  return {
    getItem(name) {
      const part = doc.cookie.split('; ').find((c) => c.startsWith(name + '='));
      try {
        return part ? decodeURIComponent(part.slice(name.length + 1)) : null;
      } catch {
        return null; // malformed escape written by someone else
      }
    },
    setItem: (name, value) => write(name, value, Math.round(days * 86400)),
    removeItem: (name) => write(name, '', -1),
  };
}

/**
 * The domain to set cookies on: `wanted` if the browser accepts it, else the widest domain that
 * takes a probe cookie, trying each parent from the shortest (`co.uk`, refused as a public suffix;
 * then `example.co.uk`, accepted). `''` means host-only (IP addresses, `localhost`, a refused
 * `wanted`); `undefined` means no cookie sticks at all (cookies disabled).
 */
export function detectCookieDomain(doc: CookieAccess, hostname: string, prefix: string, wanted = ''): string | undefined {
  const labels = hostname.split('.');
  const parents = wanted ? [wanted] : /^[\d.]+$|:/.test(hostname) ? [] : labels.map((_, i) => labels.slice(~i).join('.')).slice(1);
  const name = prefix + 'probe';
  try {
    return [...parents, ''].find((domain) => {
      const probe = cookieArea(doc, domain, false, 1);
      probe.setItem(name, '1');
      return probe.getItem(name) && (probe.removeItem(name), 1);
    });
  } catch {
    return undefined;
  }
}
