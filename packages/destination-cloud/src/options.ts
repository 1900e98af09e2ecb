import type { QueueStorage } from './storage.js';

/** Options of `createCloudDestination`; every one has a default. */
export interface CloudDestinationOptions {
  /** Origin of the proxy, e.g. `https://t.example.com`; default the client's `apiHost` setting, else same-origin. */
  apiHost?: string;
  /** Path prefix of the Tracking API; default `/v1` (requests go to `{apiHost}{path}/batch`). */
  path?: string;
  /** Default the client's `writeKey` setting. */
  writeKey?: string;
  /** Most events per request; default 100. */
  batchSize?: number;
  /** Most bytes of event JSON per request (before gzip); default 64 KB. */
  batchBytes?: number;
  /** Longest an event waits for a fuller batch, in ms; default 1500 (one call every 20 ms then costs 14 requests per 1,000 events; 1000 would cost 20). */
  flushInterval?: number;
  /** Queue cap in events; past it the oldest are dropped with an `error` event. Default 10,000. */
  maxEvents?: number;
  /** Queue cap in bytes of event JSON; same rule. Default 10 MB (10,000 events with a browser context are about 7 MB). */
  maxBytes?: number;
  /** gzip request bodies (not keepalive ones); default true where `CompressionStream` exists. */
  gzip?: boolean;
  /** Name of the IndexedDB database, localStorage prefix and cross-tab lock; default `tally-cloud`. */
  name?: string;
  /** Where the queue lives; default IndexedDB, else localStorage, else memory. */
  storage?: QueueStorage;
}

/** What the destination reads from the client's settings in `load`. */
export interface CloudSettings {
  writeKey?: string;
  apiHost?: string;
  debug?: boolean;
}

/** What the destination needs of the client: a way to report `delivered` and `error`. */
export interface CloudClient {
  emit(type: 'delivered', payload: { destination: string; count: number }): void;
  emit(type: 'error', payload: { error: unknown; destination?: string; method?: string }): void;
}
