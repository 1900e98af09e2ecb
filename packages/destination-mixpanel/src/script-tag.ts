/**
 * The device-mode script-tag entry (dist/tally-device.min.js): the browser client with the
 * Mixpanel destination built in, installed on `window.tally` by the client's snippet-aware
 * installer. Destination options come from the snippet's `tally.load(writeKey, { mixpanel: {…} })`
 * or `window.tallySettings.mixpanel`; with a write key the cloud destination is the fallback
 * (same proxy and key as the client's settings) unless `mixpanel.fallback` is `false`. The
 * fallback's code is not in this file: it is fetched from `mixpanel.fallbackSrc`, by default
 * tally-device-fallback.min.js next to this script, only when mixpanel.js does not come.
 */
import { install } from '@tally/browser';
import { createDeviceDestination } from './device-destination.js';
import { FALLBACK_FILE, lazyFallback } from './lazy-fallback.js';
import type { MixpanelDestinationOptions } from './options.js';

const win = window as unknown as Window & Record<string, unknown> & { tally?: { _s?: Record<string, unknown> }; tallySettings?: Record<string, unknown> };
const given = win.tally?._s ?? win.tallySettings ?? {};
const options = { ...(given.mixpanel as MixpanelDestinationOptions) };
if (options.fallback === undefined && given.writeKey) options.fallback = {};
// Resolved now: `currentScript` is only set while this script first runs.
const self = (document.currentScript as HTMLScriptElement | null)?.src || location.href;
const fallbackSrc = options.fallbackSrc ?? new URL(FALLBACK_FILE, self).href;
install(win, [createDeviceDestination(options, lazyFallback(win, { src: fallbackSrc, nonce: options.nonce }))]);
