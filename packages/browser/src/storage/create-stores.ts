import type { Log } from '../log.js';
import type { ResolvedSettings } from '../settings.js';
import { createCookieStore, detectCookieDomain, type CookieAccess } from './cookie.js';
import { createMemoryStore, createNoneStore, guardStore, type Store } from './store.js';
import { createWebStore } from './web-storage.js';

/** What the stores need from the page (normally `window`); tests pass a fake cookie jar. */
export interface StorageEnv {
  document?: CookieAccess;
  location?: { hostname: string };
  localStorage?: Storage;
  sessionStorage?: Storage;
}

/** The stores a client uses. */
export interface Stores {
  /** Small values shared across subdomains: ids and the opt-out flag. */
  ids: Store;
  /** Larger values (traits, super properties), kept out of cookies so requests stay small. */
  bulk: Store;
  /** This browser session only (the UTM campaign). */
  session: Store;
  /** The cookie domain in use; `''` when host-only or not using cookies. */
  domain: string;
}

/** The settings the stores follow. */
export type StoreSettings = Pick<ResolvedSettings, 'persistence' | 'cookiePrefix' | 'cookieDomain' | 'secureCookie' | 'cookieExpiryDays'>;

/**
 * A cookie store mirrored to `local`: the cookie wins when both exist (so subdomains sharing it never
 * diverge), and a cleared cookie is written back from the mirror.
 */
export function mirrorStore(cookie: Store, local: Store): Store {
  return {
    get(key) {
      const c = cookie.get(key);
      const l = local.get(key);
      if (c === null) {
        if (l !== null) cookie.set(key, l);
        return l;
      }
      if (l !== c) local.set(key, c);
      return c;
    },
    set(key, value) {
      cookie.set(key, value);
      local.set(key, value);
    },
    remove(key) {
      cookie.remove(key);
      local.remove(key);
    },
  };
}

/** The stores for the persistence type; anything the browser refuses degrades to memory with a warning. */
export function createStores(s: StoreSettings, env: StorageEnv, log: Log): Stores {
  const type = s.persistence;
  const prefix = s.cookiePrefix;
  const warn = () => log.warn('storage', 'storage');
  const persistent = type === 'cookie' || type === 'localStorage';
  const session = persistent && createWebStore(() => env.sessionStorage, prefix);
  const web = persistent && createWebStore(() => env.localStorage, prefix);
  const local = web || (type === 'none' ? createNoneStore() : createMemoryStore());
  let ids = local;
  let domain: string | undefined = '';
  if (type === 'cookie') {
    const doc = env.document;
    domain = doc && detectCookieDomain(doc, env.location?.hostname ?? '', prefix, s.cookieDomain);
    if (domain !== undefined) ids = mirrorStore(createCookieStore(doc!, domain, s), local);
  }
  if (persistent && ids === local && !web) warn();
  return {
    ids: guardStore(ids, warn),
    bulk: guardStore(local, warn),
    session: guardStore(session || createMemoryStore(), warn),
    domain: domain ?? '',
  };
}
