/**
 * The cloud-mode script-tag entry (dist/tally-cloud.min.js): the browser client with the cloud
 * destination built in, installed on `window.tally` by the client's own snippet-aware installer
 * (the destination is in place before the snippet's queued calls are replayed). The proxy and
 * write key come from `tally.load(writeKey, { apiHost })` or `window.tallySettings`.
 */
import { install } from '@tally/browser';
import { createCloudDestination } from './cloud-destination.js';

install(window as never, [createCloudDestination()]);
