import type { ResolvedSettings } from '@tally/browser';
import { apiHost, type MixpanelSettings } from '@tally/mixpanel';
import type { MixpanelDestinationOptions } from './options.js';

/**
 * mixpanel.js `init` options from the client's settings (storage, cookie domain, debug, opt-out)
 * and the destination's options. `loaded` is added by the caller.
 */
export function initConfig(
  client: Pick<ResolvedSettings, 'persistence' | 'cookieDomain' | 'secureCookie' | 'cookieExpiryDays' | 'debug'>,
  options: MixpanelDestinationOptions,
  settings: MixpanelSettings,
  optedOut: boolean,
): Record<string, unknown> {
  const storage = client.persistence;
  return {
    ...options.config,
    api_host: options.apiHost ?? apiHost(settings.region),
    // Tally stores identity; mixpanel.js follows the same storage and cookie scope.
    persistence: storage === 'localStorage' ? 'localStorage' : 'cookie',
    disable_persistence: storage === 'memory' || storage === 'none',
    // Its own name, so a site's own mixpanel.js with the same token keeps its cookie to itself.
    persistence_name: `${options.instanceName ?? 'tally'}_${settings.token}`,
    cookie_domain: client.cookieDomain,
    cross_subdomain_cookie: client.cookieDomain !== '',
    secure_cookie: client.secureCookie,
    cookie_expiration: client.cookieExpiryDays,
    batch_requests: options.batch !== false,
    ip: options.ip !== false,
    debug: client.debug === true,
    // Tally's page() drives page views, and Tally decides opt-out and Do Not Track (optOut/optIn).
    track_pageview: false,
    autocapture: false,
    ignore_dnt: true,
    opt_out_tracking_by_default: optedOut,
  };
}
