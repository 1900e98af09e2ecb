import type { Analytics, ResolvedSettings } from '@tally/browser';
import type { Destination } from '@tally/core';
import type { CloudDestinationOptions } from '@tally/destination-cloud';
import type { MixpanelSettings } from '@tally/mixpanel';

/** A destination that takes over when mixpanel.js cannot load, e.g. `createCloudDestination(…)`. */
export type FallbackDestination = Destination<ResolvedSettings, Analytics>;

/** The mapping settings device mode accepts (docs/mixpanel.md): everything but the server-side secrets. */
export type DeviceMappingSettings = Partial<Omit<MixpanelSettings, 'apiSecret' | 'serviceAccount' | 'projectId'>> & { token: string };

/** Options of `createMixpanelDestination`: the mapping settings plus how mixpanel.js is loaded and run. */
export interface MixpanelDestinationOptions extends DeviceMappingSettings {
  /** Where mixpanel.js comes from; default the self-hosted `/lib/mixpanel.min.js` (e.g. Mixpanel's CDN URL instead). */
  src?: string;
  /** Subresource Integrity hash of `src` (`sha384-…`); the script is then fetched with `crossorigin="anonymous"`. */
  integrity?: string;
  /** CSP nonce for the injected script element. */
  nonce?: string;
  /** mixpanel.js `api_host`, e.g. the proxy's pass-through (`https://t.example.com/mp`); default the region's host. */
  apiHost?: string;
  /** How long mixpanel.js may take to be ready before the fallback takes over, in ms; default 5000. */
  timeout?: number;
  /** Where calls go when mixpanel.js does not load: a destination, or options for `createCloudDestination`. */
  fallback?: FallbackDestination | CloudDestinationOptions | false;
  /** Script tag only: where the cloud fallback's code (dist/tally-device-fallback.min.js) is fetched from when needed; default next to tally-device.min.js. */
  fallbackSrc?: string;
  /** Name of the mixpanel.js instance (third argument of `init`), so a site's own `mixpanel` stays untouched; default `tally`. */
  instanceName?: string;
  /** mixpanel.js `ip`: `false` stops Mixpanel geolocating from the request address; default true. */
  ip?: boolean;
  /** mixpanel.js `batch_requests`; default true. */
  batch?: boolean;
  /** Other mixpanel.js `init` options (e.g. `batch_flush_interval_ms`); Tally's own choices win where they overlap. */
  config?: Record<string, unknown>;
}

/** The options that drive loading, split from the mapping settings. */
export const DEVICE_KEYS = ['src', 'integrity', 'nonce', 'apiHost', 'timeout', 'fallback', 'fallbackSrc', 'instanceName', 'ip', 'batch', 'config'] as const;

/** Default self-hosted path of mixpanel.js (the proxy and the examples serve `mixpanel-browser/dist/mixpanel.min.js` there). */
export const DEFAULT_SRC = '/lib/mixpanel.min.js';
/** Default wait for mixpanel.js, in ms: long enough for a slow network, short enough to lose nobody who leaves. */
export const DEFAULT_TIMEOUT = 5000;
