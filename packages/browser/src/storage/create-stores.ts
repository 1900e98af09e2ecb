import type { Log } from '../log.js';
import type { ResolvedSettings } from '../settings.js';
import { cookieArea, detectCookieDomain, type CookieAccess } from './cookie.js';
import { createStore, memoryArea, type Area, type Store } from './store.js';

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
 * The stores for the persistence type. Storage the browser refuses outright (reading `localStorage`
 * throws, cookies disabled) degrades to memory with a warning at once; storage that refuses a write
 * later (Safari private mode, a full quota) does so on that write (see {@link createStore}).
 */
export function createStores(s: StoreSettings, env: StorageEnv, log: Log): Stores {
  const type = s.persistence;
  const prefix = s.cookiePrefix;
  const warn = () => log.warn_('storage', 'storage');
  const persistent = type === 'cookie' || type === 'localStorage';
  let local: Area | undefined;
  let session: Area | undefined;
  try {
    local = env.localStorage;
    session = env.sessionStorage;
  } catch {
    /* refused (SecurityError): memory */
  }
  const bulk = persistent && local ? [local] : type === 'none' ? [] : [memoryArea()];
  let ids = bulk;
  let domain: string | undefined;
  const doc = env.document;
  if (type === 'cookie' && doc) {
    domain = detectCookieDomain(doc, env.location?.hostname ?? '', prefix, s.cookieDomain);
    if (domain !== undefined) ids = [cookieArea(doc, domain, !!s.secureCookie, s.cookieExpiryDays), ...bulk];
  }
  if (persistent && ids === bulk && !local) warn();
  const store = (areas: Area[]) => createStore(areas, prefix, warn);
  return { ids: store(ids), bulk: store(bulk), session: store(persistent && session ? [session] : [memoryArea()]), domain: domain ?? '' };
}
