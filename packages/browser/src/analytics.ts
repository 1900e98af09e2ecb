import { toJsonObject, uuid, type Message, type MessageType } from '@tally/core';
import { PARSERS } from './arguments.js';
import type { Report } from './attempt.js';
import { createMessageBuilder, type CallTime } from './build-message.js';
import { createContextSource, type PageContext } from './context.js';
import { createEmitter } from './emitter.js';
import { createIdentity } from './identity.js';
import { createLog } from './log.js';
import { watchHistory } from './page-views.js';
import { createPipeline } from './pipeline.js';
import { doNotTrack } from './privacy.js';
import { resolveSettings, type AnalyticsSettings } from './settings.js';
import { CLIENT_MARK } from './snippet-protocol.js';
import { createStores, type StorageEnv } from './storage/create-stores.js';
import type { Analytics, BrowserDestination, Callback, EventMap } from './types.js';
import { VERSION } from './version.js';

// analytics.js calls a callback after at most this long, even if a destination is still busy.
const CALLBACK_TIMEOUT = 300;

/** A client plus the entry the snippet replay uses to keep each queued call's time and page. */
export interface ClientHandle<Events extends EventMap = EventMap> {
  client: Analytics<Events>;
  /** Runs `client[method](...args)`; message calls use `ts` (ms) and `page` as their time and page. */
  call(method: unknown, args: unknown, ts?: number, page?: PageContext): void;
  /** Starts automatic page views (`trackPageViews`); the snippet replay calls it after replaying. */
  start(): void;
}

type Fn = (...args: never[]) => unknown;

/** Creates a client and its replay entry; see {@link createAnalytics}. */
export function createClient<Events extends EventMap = EventMap>(input?: AnalyticsSettings): ClientHandle<Events> {
  const env: Partial<Window & typeof globalThis> = typeof window === 'undefined' ? {} : window;
  const settings = resolveSettings(input);
  const prefix = settings.cookiePrefix;
  let debugOn = !!settings.debug;
  const log = createLog(() => debugOn);
  const emitter = createEmitter((error) => log.warn('on', 'failed', error));
  const report: Report = (destination, method, error) => {
    log.warn(destination || method, 'failed', error);
    // A microtask later, so listeners attached right after creation hear of load failures too.
    queueMicrotask(() => emitter.emit('error', destination ? { error, destination, method } : { error, method }));
  };
  const stores = createStores(settings, env as StorageEnv, log);
  settings.cookieDomain = stores.domain;
  const identity = createIdentity(stores);
  const state = identity.state;
  const context = createContextSource(env, stores.session);
  const make = createMessageBuilder(identity, context, settings.integrations, log);
  const dnt = settings.respectDoNotTrack && doNotTrack(env);
  const optedOut = () => state.optOut === '1' || (state.optOut !== '0' && !!dnt);
  const pipeline = createPipeline({ loadArgs: () => [settings, client], report, blocked: optedOut });
  const isFn = (v: unknown): v is Callback => typeof v === 'function';
  const safely = (fn: Callback | undefined, message?: Message) => {
    try {
      fn?.(message);
    } catch (error) {
      report('', 'callback', error);
    }
  };

  const send = (type: MessageType, args: unknown[], at?: CallTime) => {
    const parsed = PARSERS[type](args);
    const message = typeof parsed === 'string' ? parsed : optedOut() ? undefined : make(type, parsed, at);
    let callback = args.find(isFn);
    let timer: ReturnType<typeof setTimeout>;
    // Once, after delivery or after the timeout, whichever comes first.
    const done = () => {
      clearTimeout(timer);
      safely(callback, typeof message === 'object' ? message : undefined);
      callback = undefined;
    };
    if (callback) timer = setTimeout(done, CALLBACK_TIMEOUT);
    if (typeof message === 'object') {
      if (debugOn) {
        const m = message as { event?: string; name?: string; userId?: string; groupId?: string };
        log.info(`${type} ${m.event ?? m.name ?? m.groupId ?? m.userId ?? ''}`, message);
      }
      emitter.emit(type, message as never);
      pipeline.push(type, message, callback && done);
    } else {
      if (message) log.warn(type, message);
      if (callback) queueMicrotask(done);
    }
  };

  const setOptOut = (out: boolean) => {
    identity.set({ optOut: out ? '1' : '0' });
    if (out) pipeline.clear();
    pipeline.push('setOptOut', out);
  };
  const setProps = (name: string, props: unknown, once?: boolean) => {
    if (props === null || typeof props !== 'object') return log.warn(name, 'props');
    const given = toJsonObject(props);
    identity.set({ props: once ? { ...given, ...state.props } : { ...state.props, ...given } });
  };
  const added = new Set<unknown>();
  const addDestination = (d: BrowserDestination) => {
    if (!d || typeof d.name !== 'string' || !isFn(d.load) || !isFn(d.isLoaded)) log.warn('addDestination', 'destination', d);
    else if (!added.has(d)) {
      added.add(d);
      return pipeline.add(d);
    }
  };
  const userInfo = { id: () => state.userId, anonymousId: () => state.anonymousId, traits: () => ({ ...state.traits }) };
  const groupInfo = { id: () => state.groupId, traits: () => ({ ...state.groupTraits }) };

  const methods: Record<string, Fn> = {
    user: () => userInfo,
    reset() {
      identity.set({ userId: null, traits: {}, groupId: null, groupTraits: {}, props: {}, anonymousId: uuid() });
      emitter.emit('reset', undefined);
      pipeline.push('reset');
    },
    ready: (callback?: unknown) => ready.then(() => safely(isFn(callback) ? callback : undefined)),
    flush: () => new Promise<void>((resolve) => pipeline.push('flush', undefined, resolve)),
    register: (props: unknown) => setProps('register', props),
    registerOnce: (props: unknown) => setProps('registerOnce', props, true),
    unregister(name: unknown) {
      const props = { ...state.props };
      delete props[name as string];
      identity.set({ props });
    },
    on: emitter.on,
    off: emitter.off,
    emit: emitter.emit,
    debug: (on?: boolean) => void (debugOn = on !== false),
    optOut: () => setOptOut(true),
    optIn: () => setOptOut(false),
    isOptedOut: optedOut,
    addDestination: (d: BrowserDestination) => void addDestination(d),
    addMiddleware: (fn: unknown) => (isFn(fn) ? pipeline.use(fn as never) : log.warn('addMiddleware', 'middleware')),
    // The snippet's `tally.load(…)` run after the bundle already installed the client: nothing to do.
    load() {},
  };

  for (const type in PARSERS) methods[type] = (...args: unknown[]) => send(type as MessageType, args);
  methods.group = (...args: unknown[]) => (args.length ? send('group', args) : groupInfo);

  const client = { settings, VERSION, [CLIENT_MARK]: true } as unknown as Analytics<Events> & Record<string, Fn>;
  // Every public method is guarded: nothing may throw into the page.
  for (const name in methods) {
    client[name] = (...args: never[]) => {
      try {
        return methods[name]!(...args);
      } catch (error) {
        log.warn(name, 'failed', error);
        if (name === 'ready' || name === 'flush') return Promise.resolve();
      }
    };
  }

  const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
  for (const fn of list(settings.middleware)) client.addMiddleware(fn);
  const ready = Promise.all(list(settings.destinations).map(addDestination)).then(() => emitter.emit('ready', undefined));

  // Another tab changed the identity (the storage event fires in every other tab of the site).
  env.addEventListener?.('storage', (e) => {
    if (e.key && !e.key.startsWith(prefix)) return;
    const was = optedOut();
    if (identity.refresh() && was !== optedOut()) setOptOut(!was);
  });


  const call = (method: unknown, args: unknown, ts?: number, page?: PageContext) => {
    const list = Array.isArray(args) ? args : [];
    if (PARSERS.hasOwnProperty(method as string) && (method !== 'group' || list.length)) {
      try {
        send(method as MessageType, list, { ts, page });
      } catch (error) {
        log.warn(method as string, 'failed', error);
      }
    } else if (methods.hasOwnProperty(method as string)) client[method as string]!(...(list as never[]));
    else log.warn(String(method), 'method');
  };
  const start = () => {
    if (settings.trackPageViews !== 'history') return;
    client.page();
    // Every URL is noted so the next page view's referrer is the URL right before it.
    watchHistory(env, (moved) => (moved ? client.page() : context.page()));
  };
  return { client, call, start };
}

/**
 * Creates a Tally client.
 * @example
 * const tally = createAnalytics<{ 'Order Completed': { revenue: number } }>({ destinations: [createConsoleDestination()] });
 * tally.track('Order Completed', { revenue: 30 });
 */
export function createAnalytics<Events extends EventMap = EventMap>(settings?: AnalyticsSettings): Analytics<Events> {
  const { client, start } = createClient<Events>(settings);
  start();
  return client;
}
