// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLog } from '../log.js';
import { cookieArea, detectCookieDomain } from './cookie.js';
import { createStores } from './create-stores.js';
import { createFakeCookieJar } from './fake-cookie-jar.js';
import { createMemoryStore, createStore, type Store } from './store.js';

/** The contract every store meets; `keeps: false` for stores that deliberately keep nothing. */
function testStorage(name: string, factory: () => Store, { keeps = true } = {}) {
  describe(`store contract: ${name}`, () => {
    it('returns null for a missing key', () => {
      expect(factory().get('missing')).toBeNull();
    });

    it('sets, overwrites and removes', () => {
      const store = factory();
      store.set('a', '1');
      store.set('a', '2');
      expect(store.get('a')).toBe(keeps ? '2' : null);
      store.remove('a');
      expect(store.get('a')).toBeNull();
    });

    it('keeps keys apart and round-trips awkward values', () => {
      const store = factory();
      const awkward = '{"x":"a; b=c, d"} é ☃ %20';
      store.set('one', awkward);
      store.set('two', '');
      expect(store.get('one')).toBe(keeps ? awkward : null);
      expect(store.get('two')).toBe(keeps ? '' : null);
    });

    it('never throws when removing a missing key', () => {
      expect(() => factory().remove('nothing')).not.toThrow();
    });
  });
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

testStorage('memory', createMemoryStore);
testStorage('none', () => createStore([]), { keeps: false });
testStorage('localStorage', () => createStore([localStorage], 't_'));
testStorage('sessionStorage', () => createStore([sessionStorage], 't_'));
testStorage('cookie', () => createStore([cookieArea(createFakeCookieJar('shop.example.com'), 'example.com', true, 365)], 't_'));
testStorage('cookie mirrored to localStorage', () =>
  createStore([cookieArea(createFakeCookieJar('example.com'), '', false, 1), localStorage], 't_'),
);
testStorage('guarded failing store (falls back to memory)', () =>
  createStore(
    [
      {
        getItem: () => {
          throw new Error('denied');
        },
        setItem: () => {
          throw new Error('quota');
        },
        removeItem: () => {
          throw new Error('denied');
        },
      },
    ],
    '',
    () => {},
  ),
);

describe('cookie domain detection', () => {
  it('finds the widest domain that is not a public suffix', () => {
    const jar = createFakeCookieJar('shop.example.co.uk');
    expect(detectCookieDomain(jar, 'shop.example.co.uk', 't_')).toBe('example.co.uk');
    expect(jar.all().size).toBe(0); // probe removed
  });

  it('uses the registrable domain of a plain .com host', () => {
    expect(detectCookieDomain(createFakeCookieJar('a.b.example.com'), 'a.b.example.com', 't_')).toBe('example.com');
  });

  it('stays on the host below a public suffix such as github.io', () => {
    expect(detectCookieDomain(createFakeCookieJar('me.github.io'), 'me.github.io', 't_')).toBe('me.github.io');
  });

  it('is host-only for localhost and IP addresses', () => {
    expect(detectCookieDomain(createFakeCookieJar('localhost'), 'localhost', 't_')).toBe('');
    expect(detectCookieDomain(createFakeCookieJar('127.0.0.1'), '127.0.0.1', 't_')).toBe('');
  });

  it('honours an explicit domain, falling back to host-only when the browser refuses it', () => {
    expect(detectCookieDomain(createFakeCookieJar('a.example.com'), 'a.example.com', 't_', 'a.example.com')).toBe('a.example.com');
    expect(detectCookieDomain(createFakeCookieJar('a.example.com'), 'a.example.com', 't_', 'other.com')).toBe('');
  });

  it('reports cookies disabled as undefined', () => {
    const dead = { get cookie() { return ''; }, set cookie(_: string) {} };
    expect(detectCookieDomain(dead, 'example.com', 't_')).toBeUndefined();
  });

  it('writes SameSite=Lax, Secure, Max-Age and the domain', () => {
    const writes: string[] = [];
    const doc = { get cookie() { return ''; }, set cookie(v: string) { writes.push(v); } };
    createStore([cookieArea(doc, 'example.com', true, 365)], 'tally_').set('aid', 'x y');
    expect(writes[0]).toBe('tally_aid=x%20y; Max-Age=31536000; Path=/; Domain=example.com; SameSite=Lax; Secure');
  });
});

describe('createStores', () => {
  const log = createLog(() => true);
  const opts = { persistence: 'cookie' as const, cookiePrefix: 'tally_', cookieDomain: '', secureCookie: false, cookieExpiryDays: 365 };
  const at = (hostname: string) => ({ hostname });

  it('shares ids through the cookie on the detected domain and mirrors them to localStorage', () => {
    const jar = createFakeCookieJar('shop.example.co.uk');
    const env = { document: jar, location: at('shop.example.co.uk'), localStorage, sessionStorage };
    const stores = createStores(opts, env, log);
    expect(stores.domain).toBe('example.co.uk');
    stores.ids.set('aid', 'abc');
    expect(jar.all().get('tally_aid@example.co.uk')).toBe('abc');
    expect(localStorage.getItem('tally_aid')).toBe('abc');
  });

  it('lets the cookie win over localStorage and restores a cleared cookie', () => {
    const jar = createFakeCookieJar('example.com');
    const env = { document: jar, location: at('example.com'), localStorage };
    localStorage.setItem('tally_aid', 'stale');
    jar.cookie = 'tally_aid=shared; Domain=example.com';
    expect(createStores(opts, env, log).ids.get('aid')).toBe('shared');
    expect(localStorage.getItem('tally_aid')).toBe('shared');
    jar.cookie = 'tally_aid=; Max-Age=0; Domain=example.com';
    expect(createStores(opts, env, log).ids.get('aid')).toBe('shared');
    expect(jar.all().get('tally_aid@example.com')).toBe('shared');
  });

  it('degrades to memory with one debug warning when cookies and storage are refused', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const dead = { get cookie() { return ''; }, set cookie(_: string) {} };
    const env = {
      document: dead,
      location: at('example.com'),
      get localStorage(): Storage {
        throw new Error('SecurityError');
      },
    };
    const stores = createStores(opts, env, log);
    stores.ids.set('aid', 'kept');
    expect(stores.ids.get('aid')).toBe('kept');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^\[tally\] storage\(\): /);
    warn.mockRestore();
  });

  it('survives a quota error after start by switching to memory', () => {
    let full = false;
    const map = new Map<string, string>();
    const area = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (full) throw new Error('QuotaExceededError');
        map.set(k, v);
      },
      removeItem: (k: string) => void map.delete(k),
    } as Storage;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stores = createStores({ ...opts, persistence: 'localStorage' }, { localStorage: area }, log);
    full = true;
    expect(() => stores.bulk.set('traits', 'x')).not.toThrow();
    expect(stores.bulk.get('traits')).toBe('x');
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('keeps nothing with persistence none and memory only with memory', () => {
    const none = createStores({ ...opts, persistence: 'none' }, {}, log);
    none.ids.set('aid', 'x');
    expect(none.ids.get('aid')).toBeNull();
    const memory = createStores({ ...opts, persistence: 'memory' }, { localStorage }, log);
    memory.ids.set('aid', 'x');
    expect(memory.ids.get('aid')).toBe('x');
    expect(localStorage.getItem('tally_aid')).toBeNull();
  });
});
