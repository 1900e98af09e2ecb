import { uuid, type Message, type MessageType } from '@tally/core';
import { PARSERS } from './arguments.js';
import type { Report } from './attempt.js';
import { createMessageBuilder, type CallTime } from './build-message.js';
import { createContextSource, type PageContext } from './context.js';
import { createEmitter } from './emitter.js';
import { createIdentity } from './identity.js';
import { copyObject } from './json-copy.js';
import { createLog } from './log.js';
import { watchHistory } from './page-views.js';
import { createPipeline } from './pipeline.js';
import { doNotTrack } from './privacy.js';
import { resolveSettings, type AnalyticsSettings } from './settings.js';
import { CLIENT_MARK } from './snippet-protocol.js';
import { createStores, type StorageEnv } from './storage/create-stores.js';
import type { Analytics, BrowserDestination, Callback, EventMap } from './types.js';
import { VERSION } from './version.js';
import type { WarningKey } from './warnings.js';

// analytics.js calls a callback after at most this long, even if a destination is still busy.
const CALLBACK_TIMEOUT = 300;

/** A client plus the entry the snippet replay uses to keep each queued call's time and page. */
export interface ClientHandle<Events extends EventMap = EventMap> {
  client_: Analytics<Events>;
  /** Runs `client[method](...args)`; message calls use `ts` (ms) and `page` as their time and page. */
  call_(method: unknown, args: unknown, ts?: number, page?: PageContext): void;
  /** Starts automatic page views (`trackPageViews`); the snippet replay calls it after replaying. */
  start_(): void;
}

type Fn = (...args: never[]) => unknown;

/** Creates a client and its replay entry; see {@link createAnalytics}. */
export function createClient<Events extends EventMap = EventMap>(input?: AnalyticsSettings): ClientHandle<Events> {
  const env: Partial<Window & typeof globalThis> = typeof window === 'undefined' ? {} : window;
  const settings = resolveSettings(input);
  let debugOn = !!settings.debug;
  const log = createLog(() => debugOn);
  const emitter = createEmitter((error) => log.warn_('on', 'failed', error));
  const report: Report = (destination, method, error) => {
    log.warn_(destination || method, 'failed', error);
    // A microtask later, so listeners attached right after creation hear of load failures too.
    queueMicrotask(() => emitter.emit('error', { error, destination: destination || undefined, method }));
  };
  const stores = createStores(settings, env as StorageEnv, log);
  settings.cookieDomain = stores.domain;
  const identity = createIdentity(stores);
  const { state, set } = identity;
  const context = createContextSource(env, stores.session);
  const make = createMessageBuilder(identity, context, settings.integrations, log);
  const dnt = settings.respectDoNotTrack && doNotTrack(env);
  const optedOut = () => state.optOut === '1' || (state.optOut !== '0' && !!dnt);
  const pipeline = createPipeline({ loadArgs_: () => [settings, client], report_: report, blocked_: optedOut });
  const isFn = (v: unknown): v is Callback => typeof v === 'function';
  const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
  const safely = (fn: Callback | undefined, message?: Message) => {
    try {
      fn?.(message);
    } catch (error) {
      report('', 'callback', error);
    }
  };
  // Time and page of the snippet call being replayed, if any.
  let at: CallTime | undefined;

  const send = (type: MessageType, args: unknown[]) => {
    const parsed = PARSERS[type](args);
    const message = typeof parsed === 'string' ? parsed : optedOut() ? undefined : make(type, parsed, at);
    const sent = typeof message === 'object' ? message : undefined;
    let callback = args.find(isFn);
    // Once, after delivery or after the timeout, whichever comes first.
    const done = () => {
      clearTimeout(timer);
      safely(callback, sent);
      callback = undefined;
    };
    const timer = callback && setTimeout(done, CALLBACK_TIMEOUT);
    if (sent) {
      if (debugOn) {
        const m = sent as { event?: string; name?: string; userId?: string; groupId?: string };
        log.info_(`${type} ${m.event ?? m.name ?? m.groupId ?? m.userId ?? ''}`, sent);
      }
      emitter.emit(type, sent as never);
      pipeline.push_(type, sent, callback && done);
    } else {
      if (message) log.warn_(type, message as WarningKey);
      if (callback) queueMicrotask(done);
    }
  };

  const setOptOut = (out: boolean) => {
    set({ optOut: out ? '1' : '0' });
    if (out) pipeline.clear_();
    pipeline.push_('setOptOut', out);
  };
  const setProps = (name: string, props: unknown, once?: boolean) => {
    if (props === null || typeof props !== 'object') return log.warn_(name, 'props');
    const given = copyObject(props);
    set({ props: once ? { ...given, ...state.props } : { ...state.props, ...given } });
  };
  const added = new Set<unknown>();
  const addDestination = (d: BrowserDestination) => {
    if (!d || typeof d.name !== 'string' || !isFn(d.load) || !isFn(d.isLoaded)) log.warn_('addDestination', 'destination', d);
    else if (!added.has(d)) return pipeline.add_(added.add(d) && d);
  };

  const methods: Record<string, Fn> = {
    user: () => ({ id: () => state.userId, anonymousId: () => state.anonymousId, traits: () => ({ ...state.traits }) }),
    reset() {
      set({ userId: null, traits: {}, groupId: null, groupTraits: {}, props: {}, anonymousId: uuid() });
      emitter.emit('reset', undefined);
      pipeline.push_('reset');
    },
    ready: (callback?: unknown) => ready.then(() => safely(isFn(callback) ? callback : undefined)),
    flush: () => new Promise<void>((resolve) => pipeline.push_('flush', undefined, resolve)),
    register: (props: unknown) => setProps('register', props),
    registerOnce: (props: unknown) => setProps('registerOnce', props, true),
    unregister(name: unknown) {
      const props = { ...state.props };
      delete props[name as string];
      set({ props });
    },
    ...emitter,
    debug: (on?: boolean) => void (debugOn = on !== false),
    optOut: () => setOptOut(true),
    optIn: () => setOptOut(false),
    isOptedOut: optedOut,
    addDestination: (d: BrowserDestination) => void addDestination(d),
    addMiddleware: (fn: unknown) => (isFn(fn) ? pipeline.use_(fn as never) : log.warn_('addMiddleware', 'middleware')),
    // The snippet's `tally.load(…)` run after the bundle already installed the client: nothing to do.
    load() {},
  };
  // `group()` without arguments is the group accessor, not a call.
  for (const type in PARSERS) {
    methods[type] = (...args: unknown[]) =>
      type !== 'group' || args.length ? send(type as MessageType, args) : { id: () => state.groupId, traits: () => ({ ...state.groupTraits }) };
  }

  const client = { settings, VERSION, [CLIENT_MARK]: true } as unknown as Analytics<Events> & Record<string, Fn>;
  // Every public method is guarded: nothing may throw into the page.
  for (const name in methods) {
    client[name] = (...args: never[]) => {
      try {
        return methods[name]!(...args);
      } catch (error) {
        log.warn_(name, 'failed', error);
        if (name === 'ready' || name === 'flush') return Promise.resolve();
      }
    };
  }

  list(settings.middleware).forEach(client.addMiddleware);
  const ready = Promise.all(list(settings.destinations).map(addDestination)).then(() => emitter.emit('ready', undefined));

  // Another tab changed the identity (the storage event fires in every other tab of the site).
  env.addEventListener?.('storage', (e) => {
    if (e.key && !e.key.startsWith(settings.cookiePrefix)) return;
    const was = optedOut();
    if (identity.refresh() && was !== optedOut()) setOptOut(!was);
  });

  // A replayed call runs as the page's own call would, with its recorded time and page.
  const call = (method: unknown, args: unknown, ts?: number, page?: PageContext) => {
    at = { ts_: ts, page_: page };
    try {
      if (methods.hasOwnProperty(method as string)) client[method as string]!(...list(args as never[] | undefined));
      else log.warn_(String(method), 'method');
    } finally {
      at = undefined;
    }
  };
  const start = () => {
    if (settings.trackPageViews !== 'history') return;
    client.page();
    // Every URL is noted at once, so the next page view's referrer is the URL right before it. The
    // page view itself waits a task: `pushState` runs before an SPA sets the new view's title, and
    // our `popstate` listener before the app's.
    watchHistory(env, (moved) => {
      const page = context.page_();
      if (moved) setTimeout(() => call('page', [], undefined, { ...page, title: env.document?.title ?? '' }));
    });
  };
  return { client_: client, call_: call, start_: start };
}

/**
 * Creates a Tally client.
 * @example
 * const tally = createAnalytics<{ 'Order Completed': { revenue: number } }>({ destinations: [createConsoleDestination()] });
 * tally.track('Order Completed', { revenue: 30 });
 */
export function createAnalytics<Events extends EventMap = EventMap>(settings?: AnalyticsSettings): Analytics<Events> {
  const { client_: client, start_: start } = createClient<Events>(settings);
  start();
  return client;
}
