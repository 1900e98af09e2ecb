/**
 * The contract between the async snippet (`src/snippet/`) and the script-tag bundle (`src/iife.ts`).
 *
 * 1. The snippet defines `window.tally` as a **stub object** ({@link SnippetStub}) before the
 *    bundle loads. Each stub method named in {@link STUB_METHODS} records the call by running
 *    `stub._q.push([method, args, Date.now(), page])` (it must look up `stub._q.push` at call time,
 *    never keep a reference to `Array.prototype.push`: the bundle replaces `_q.push` after replay so
 *    late calls on a kept stub still reach the client). `args` is the call's arguments as an array,
 *    untouched (callbacks included); `page` is {@link SnippetPage} read at call time.
 *    The stub's methods return nothing, except that `group()`/`user()` cannot be answered before
 *    load (they may return undefined).
 * 2. `stub.load(writeKey, settings)` stores `{ ...settings, writeKey }` in `stub._s` and injects the
 *    bundle's `<script async>` once; it sets `stub._loaded = true` so a second `load` (or a second
 *    snippet) injects nothing. `stub._v` is the snippet's version string.
 * 3. On load the bundle looks at `window.tally`:
 *    - it carries {@link CLIENT_MARK} (a real client already runs): the bundle does nothing;
 *    - it is a stub (`Array.isArray(window.tally._q)`): the client is created with settings
 *      `stub._s ?? window.tallySettings ?? {}`, then every queued call is replayed **in order** with its
 *      original timestamp and page context (calls queued during replay are replayed too), then
 *      `stub._q.push` is replaced to forward to the client, then `window.tally` becomes the client;
 *    - it is absent: the client is created with `window.tallySettings ?? {}` and installed.
 * 4. Settings from the snippet are JSON-like (no destination objects); destination bundles add
 *    themselves with `tally.addDestination(…)`, which the stub queues like any other method.
 */
import type { AnalyticsSettings } from './settings.js';

/** The page as it was when a call was queued (read from `location` and `document`). */
export interface SnippetPage {
  /** `location.href` */
  url: string;
  /** `document.title` */
  title: string;
  /** `document.referrer` */
  referrer: string;
  /** `location.pathname` */
  path: string;
  /** `location.search` */
  search: string;
}

/** One queued call: `[method, args, timestamp in ms since the epoch, page at call time]`. */
export type QueuedCall = [method: string, args: unknown[], timestamp: number, page: SnippetPage];

/** What the snippet puts on `window.tally` until the bundle replaces it. */
export interface SnippetStub {
  /** Queued calls, oldest first. */
  _q: QueuedCall[];
  /** The snippet's version. */
  _v: string;
  /** True once `load()` has injected the bundle. */
  _loaded: boolean;
  /** The settings passed to `load(writeKey, settings)`, with `writeKey` inside. */
  _s?: AnalyticsSettings;
  [method: string]: unknown;
}

/** The global the client (or the stub) lives on: `window.tally`. */
export const GLOBAL_NAME = 'tally';

/** The global a page may set, before the bundle, to pass settings without a snippet: `window.tallySettings`. */
export const SETTINGS_GLOBAL = 'tallySettings';

/** A property every real client has (value `true`), so a second copy of the bundle leaves it alone. */
export const CLIENT_MARK = '__tally';

/** The methods the stub must offer, each recording its call in `_q`. */
export const STUB_METHODS = [
  'track',
  'page',
  'screen',
  'identify',
  'alias',
  'group',
  'reset',
  'ready',
  'flush',
  'register',
  'registerOnce',
  'unregister',
  'on',
  'off',
  'debug',
  'optOut',
  'optIn',
  'addDestination',
  'addMiddleware',
] as const;
