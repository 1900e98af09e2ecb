import type { Integrations } from '@tally/core';
import type { BrowserDestination, Middleware } from './types.js';

/** Where identity is kept between page loads. */
export type StorageType = 'cookie' | 'localStorage' | 'memory' | 'none';

/** Options of `createAnalytics`. */
export interface AnalyticsSettings {
  writeKey?: string;
  destinations?: BrowserDestination[];
  /** Default `cookie` (mirrored to localStorage). */
  persistence?: StorageType;
  /** Default: the widest domain that accepts a cookie (e.g. `example.co.uk` on `shop.example.co.uk`). */
  cookieDomain?: string;
  secureCookie?: boolean;
  /** Default 365. */
  cookieExpiryDays?: number;
  /** Prefix of cookie and storage keys; default `tally_`. */
  cookiePrefix?: string;
  debug?: boolean;
  /** Treat `navigator.doNotTrack` / Global Privacy Control as opted out (an explicit `optIn()` wins). */
  respectDoNotTrack?: boolean;
  /** `'history'`: a page view on load and on every path change (pushState, replaceState, popstate). */
  trackPageViews?: 'history' | false;
  middleware?: Middleware[];
  /** Default `integrations` of every call. */
  integrations?: Integrations;
}

/** Settings after defaults, as destinations receive them in `load`. */
export interface ResolvedSettings extends AnalyticsSettings {
  persistence: StorageType;
  /** The domain the cookies are set on; `''` for host-only. */
  cookieDomain: string;
  secureCookie: boolean;
  cookieExpiryDays: number;
  cookiePrefix: string;
  integrations: Integrations;
}

/** Applies the defaults (a value of the wrong type is the site's bug; storage copes with it). */
export function resolveSettings(input: unknown): ResolvedSettings {
  return {
    persistence: 'cookie',
    cookieDomain: '',
    secureCookie: false,
    cookieExpiryDays: 365,
    cookiePrefix: 'tally_',
    integrations: {},
    ...(input as AnalyticsSettings),
  } as ResolvedSettings;
}
