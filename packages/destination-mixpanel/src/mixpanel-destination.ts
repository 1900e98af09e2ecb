import type { BrowserDestination } from '@tally/browser';
import { createCloudDestination } from '@tally/destination-cloud';
import { createDeviceDestination } from './device-destination.js';
import type { FallbackDestination, MixpanelDestinationOptions } from './options.js';

/**
 * Device mode: loads the official mixpanel.js (async, self-hosted by default) and turns every call
 * into the mixpanel.js calls `mapToDevice` decides, so names, people and super properties equal
 * cloud mode's. Until mixpanel.js is ready the client buffers calls; if it fails to load or is not
 * ready within `timeout`, the buffered and all later calls go to `fallback` (cloud mode) instead,
 * and mixpanel.js is never used on this page even if it loads late.
 * @example createAnalytics({ writeKey, destinations: [createMixpanelDestination({ token, fallback: { apiHost: 'https://t.example.com' } })] })
 */
export function createMixpanelDestination(options: MixpanelDestinationOptions): BrowserDestination {
  return createDeviceDestination(options, (given) => createCloudDestination(given) as FallbackDestination);
}
