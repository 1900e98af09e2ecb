import type {
  AliasMessage,
  Destination,
  GroupMessage,
  IdentifyMessage,
  Integrations,
  JsonObject,
  Message,
  PageMessage,
  ScreenMessage,
  TrackMessage,
} from '@tally/core';
import type { ResolvedSettings } from './settings.js';

/** Event properties or traits: any object; the client keeps a JSON-safe copy. */
export type Properties = JsonObject;

/** Maps event names to the type of their properties, for type-checked `track` calls. */
export type EventMap = { [event: string]: object };

/** Per-call options, as in analytics.js. */
export interface CallOptions {
  /** `{ All: false, Mixpanel: true }` sends this call to the Mixpanel destination only. */
  integrations?: Integrations;
  /** Deep-merged into the message's context. */
  context?: JsonObject;
  /** When the call happened (default: now). */
  timestamp?: Date | string;
  /** Overrides the anonymous id for this message only. */
  anonymousId?: string;
}

/** Called once, after every destination took the message or after 300 ms. */
export type Callback = (message?: Message) => void;

/** What a middleware sees. */
export interface MiddlewareContext {
  message: Message;
}

/**
 * Changes or drops a message before destinations see it: return a message (the same or a new one),
 * `null` to drop it, or nothing to keep the message as it is. May be async. A throwing middleware
 * drops the message (it may have been meant to scrub it).
 */
export type Middleware = (
  ctx: MiddlewareContext,
) => Message | null | undefined | void | Promise<Message | null | undefined | void>;

/** Payload of the `error` event. */
export interface ErrorInfo {
  error: unknown;
  /** The destination that failed, if any. */
  destination?: string;
  /** What failed: a destination method, `middleware`, `callback`, `buffer`, `load`. */
  method?: string;
}

/** Payload of the `delivered` event, emitted by destinations through `client.emit`. */
export interface DeliveredInfo {
  destination: string;
  message?: Message;
  [key: string]: unknown;
}

/** Events the client emits (`on`/`off`). */
export type AnalyticsEvents = {
  track: TrackMessage;
  page: PageMessage;
  screen: ScreenMessage;
  identify: IdentifyMessage;
  alias: AliasMessage;
  group: GroupMessage;
  reset: undefined;
  ready: undefined;
  error: ErrorInfo;
  delivered: DeliveredInfo;
};

/** A destination as the browser client drives it. */
export type BrowserDestination = Destination<ResolvedSettings, Analytics>;

/** The current user, as `analytics.user()` returns it. */
export interface UserInfo {
  id(): string | null;
  anonymousId(): string;
  traits(): Properties;
}

/** The current group, as `analytics.group()` returns it. */
export interface GroupInfo {
  id(): string | null;
  traits(): Properties;
}

type Opt<T> = T | Callback | null;
type Id = string | number;

/** The client: analytics.js-compatible calls, identity, events, privacy and destinations. */
export interface Analytics<Events extends EventMap = EventMap> {
  /** Records an action: `track('Order Completed', { revenue: 30 })`. */
  track<E extends keyof Events & string>(
    event: E,
    properties?: Opt<Events[E]>,
    options?: Opt<CallOptions>,
    callback?: Callback,
  ): void;
  /** Records a page view: `page()`, `page(name)`, `page(category, name)`, `page(name, props)`, `page(props)`… */
  page(category?: string | null, name?: string | null, properties?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  page(name?: string | null, properties?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  page(properties?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  /** Records a screen view (same arguments as `page`). */
  screen(category?: string | null, name?: string | null, properties?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  screen(name?: string | null, properties?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  screen(properties?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  /** Names the user and/or records traits: `identify('u1', { email })`, `identify({ plan })`. */
  identify(userId?: Id | null, traits?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  identify(traits?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  /** Links `userId` to `previousId` (default: the current user or anonymous id). */
  alias(userId: Id, previousId?: Id | Opt<CallOptions>, options?: Opt<CallOptions>, callback?: Callback): void;
  /** With no arguments, the current group; else puts the user in a group. */
  group(): GroupInfo;
  group(groupId: Id | null, traits?: Opt<Properties>, options?: Opt<CallOptions>, callback?: Callback): void;
  group(traits: Properties, options?: Opt<CallOptions>, callback?: Callback): void;
  /** The current user. */
  user(): UserInfo;
  /** Logout: forgets user, traits, group and super properties and starts a new anonymous id. */
  reset(): void;
  /** Calls `callback` once the destinations given at start have loaded (or given up). */
  ready(callback?: () => void): Promise<void>;
  /** Asks every destination to deliver what it buffers now. */
  flush(): Promise<void>;
  /** Super properties merged into every track, page and screen (persisted). */
  register(properties: Properties): void;
  /** Like `register`, but keeps values already registered. */
  registerOnce(properties: Properties): void;
  /** Removes one super property. */
  unregister(name: string): void;
  on<K extends keyof AnalyticsEvents>(type: K, handler: (payload: AnalyticsEvents[K]) => void): void;
  off<K extends keyof AnalyticsEvents>(type: K, handler: (payload: AnalyticsEvents[K]) => void): void;
  /** For destinations: report `delivered` (or `error`) through the client. */
  emit<K extends keyof AnalyticsEvents>(type: K, payload: AnalyticsEvents[K]): void;
  /** Turns readable console logs and argument warnings on or off. */
  debug(enabled?: boolean): void;
  /** Stops all sending (persisted) and tells destinations to drop what they queued. */
  optOut(): void;
  /** Resumes sending; an explicit opt-in also overrides Do Not Track. */
  optIn(): void;
  isOptedOut(): boolean;
  addDestination(destination: BrowserDestination): void;
  /** Adds middleware: it sees every message before the destinations do. */
  addMiddleware(middleware: Middleware): void;
  /** A no-op, so a snippet's `tally.load(…)` after the bundle loaded does no harm. */
  load(): void;
  /** The settings in force (cookie domain as detected). */
  readonly settings: ResolvedSettings;
  readonly VERSION: string;
}
