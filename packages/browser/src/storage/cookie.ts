import type { ResolvedSettings } from '../settings.js';
import type { Store } from './store.js';

/** Something with a `document.cookie`-like property; tests pass a fake jar. */
export interface CookieAccess {
  cookie: string;
}

/** Cookie attributes: `domain` `''` is host-only. */
export interface CookieAttributes {
  domain: string;
  secure?: boolean;
}

/** The decoded value of cookie `name`, or null. Reads `document.cookie`: call it rarely. */
export function readCookie(doc: CookieAccess, name: string): string | null {
  for (const part of doc.cookie.split('; ')) {
    if (part.startsWith(name + '=')) {
      try {
        return decodeURIComponent(part.slice(name.length + 1));
      } catch {
        return null; // malformed escape written by someone else
      }
    }
  }
  return null;
}

/** Writes cookie `name`; a negative `maxAge` deletes it. */
export function writeCookie(doc: CookieAccess, name: string, value: string, maxAge: number, a: CookieAttributes): void {
  doc.cookie = `${name}=${encodeURIComponent(value)}; Max-Age=${maxAge}; Path=/${a.domain ? '; Domain=' + a.domain : ''}; SameSite=Lax${a.secure ? '; Secure' : ''}`;
}

/** A store of one cookie per key (prefixed), `SameSite=Lax`, on `domain`, expiring after the settings' days. */
export function createCookieStore(
  doc: CookieAccess,
  domain: string,
  s: Pick<ResolvedSettings, 'cookiePrefix' | 'secureCookie' | 'cookieExpiryDays'>,
): Store {
  const a = { domain, secure: s.secureCookie };
  const write = (key: string, value: string, maxAge: number) => writeCookie(doc, s.cookiePrefix + key, value, maxAge, a);
  return {
    get: (key) => readCookie(doc, s.cookiePrefix + key),
    set: (key, value) => write(key, value, Math.round(s.cookieExpiryDays * 86400)),
    remove: (key) => write(key, '', -1),
  };
}

/**
 * The domain to set cookies on: `wanted` if the browser accepts it, else the widest domain that
 * takes a probe cookie, trying each parent from the shortest (`co.uk`, refused as a public suffix;
 * then `example.co.uk`, accepted). `''` means host-only (IP addresses, `localhost`, a refused
 * `wanted`); `undefined` means no cookie sticks at all (cookies disabled).
 */
export function detectCookieDomain(doc: CookieAccess, hostname: string, prefix: string, wanted = ''): string | undefined {
  const labels = wanted || /^[\d.]+$|:/.test(hostname) ? [] : hostname.split('.');
  const candidates = wanted ? [wanted] : labels.map((_, i) => labels.slice(~i).join('.')).slice(1);
  const name = prefix + 'probe';
  for (const domain of [...candidates, '']) {
    try {
      writeCookie(doc, name, '1', 60, { domain });
      if (readCookie(doc, name)) {
        writeCookie(doc, name, '', -1, { domain });
        return domain;
      }
    } catch {
      return undefined;
    }
  }
  return undefined;
}
