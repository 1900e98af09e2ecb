import type { CookieAccess } from './cookie.js';

/** A fake `document` cookie jar for tests, counting reads and writes. */
export interface FakeCookieJar extends CookieAccess {
  reads: number;
  writes: number;
  /** Stored cookies as `name@domain` (`domain` empty for host-only) → value. */
  all(): Map<string, string>;
}

/**
 * A cookie jar for `hostname` that enforces the browser's domain rules: a `Domain` must be the host or
 * a parent of it and must not be a public suffix; `Max-Age=0` deletes. Test helper, not shipped.
 */
export function createFakeCookieJar(hostname: string, publicSuffixes = ['com', 'uk', 'co.uk', 'org', 'io', 'github.io']): FakeCookieJar {
  const jar = new Map<string, { name: string; domain: string; value: string }>();
  const visible = (domain: string) => !domain || hostname === domain || hostname.endsWith('.' + domain);
  return {
    reads: 0,
    writes: 0,
    all: () => new Map([...jar].map(([key, c]) => [key, c.value])),
    get cookie() {
      this.reads++;
      return [...jar.values()]
        .filter((c) => visible(c.domain))
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
    },
    set cookie(text: string) {
      this.writes++;
      const [pair = '', ...attrs] = text.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let domain = '';
      let maxAge = Infinity;
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=');
        if (k.toLowerCase() === 'domain') domain = v.replace(/^\./, '').toLowerCase();
        if (k.toLowerCase() === 'max-age') maxAge = Number(v);
      }
      if (domain && (!visible(domain) || publicSuffixes.includes(domain))) return; // refused silently, as browsers do
      const key = `${name}@${domain}`;
      if (maxAge <= 0) jar.delete(key);
      else jar.set(key, { name, domain, value });
    },
  };
}
