/**
 * The device-mode script-tag entry (dist/tally-device.min.js): the browser client with the
 * Mixpanel destination built in, installed on `window.tally` by the client's snippet-aware
 * installer. Destination options come from the snippet's `tally.load(writeKey, { mixpanel: {…} })`
 * or `window.tallySettings.mixpanel`; with a write key the cloud destination is the fallback
 * (same proxy and key as the client's settings) unless `mixpanel.fallback` is `false`.
 */
import { install } from '@tally/browser';
import { createMixpanelDestination } from './mixpanel-destination.js';
import type { MixpanelDestinationOptions } from './options.js';

const win = window as unknown as Record<string, unknown> & { tally?: { _s?: Record<string, unknown> }; tallySettings?: Record<string, unknown> };
const given = win.tally?._s ?? win.tallySettings ?? {};
const options = { ...(given.mixpanel as MixpanelDestinationOptions) };
if (options.fallback === undefined && given.writeKey) options.fallback = {};
install(win, [createMixpanelDestination(options)]);
