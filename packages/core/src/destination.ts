import type { AliasMessage, GroupMessage, IdentifyMessage, PageMessage, ScreenMessage, TrackMessage } from './message.js';

/**
 * A destination is a plain object made by a factory (`createXDestination(options)`).
 * The client calls `load(settings, client)` once with its own resolved settings (so a destination
 * can follow client-wide choices such as the cookie domain), buffers calls until `isLoaded()` is
 * true, then hands each destination every message in order. A method that throws or rejects is
 * isolated by the client.
 *
 * `Settings` and `Client` are the browser package's settings and `Analytics` types; they are type
 * parameters so this package needs no DOM types.
 */
export interface Destination<Settings = unknown, Client = unknown> {
  /** The name used in `options.integrations` (e.g. `Mixpanel`, `Tally Cloud`). */
  readonly name: string;
  load(settings: Settings, client: Client): void | Promise<void>;
  isLoaded(): boolean;
  track?(message: TrackMessage): void | Promise<void>;
  page?(message: PageMessage): void | Promise<void>;
  screen?(message: ScreenMessage): void | Promise<void>;
  identify?(message: IdentifyMessage): void | Promise<void>;
  alias?(message: AliasMessage): void | Promise<void>;
  group?(message: GroupMessage): void | Promise<void>;
  /** Logout: forget the user (the client has already rotated the anonymous id). */
  reset?(): void | Promise<void>;
  /** Deliver whatever is buffered now. */
  flush?(): void | Promise<void>;
  /** The user opted out (`true`) or back in (`false`): drop queued data and stop sending while out. */
  setOptOut?(optedOut: boolean): void | Promise<void>;
}
