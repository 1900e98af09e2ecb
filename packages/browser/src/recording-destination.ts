import type { Message } from '@tally/core';
import type { Analytics, BrowserDestination } from './types.js';

/** A destination for tests that records every call it gets. Test helper, not shipped. */
export interface Recorder {
  destination: BrowserDestination;
  /** `[method, argument]` in the order received. */
  calls: [string, unknown?][];
  /** The messages received, in order. */
  messages(): Message[];
  /** Flips what `isLoaded()` answers. */
  setLoaded(loaded: boolean): void;
  client?: Analytics;
}

/** A recording destination named `name`, loaded at once unless `loaded: false`. */
export function createRecorder(name = 'Recorder', { loaded = true } = {}): Recorder {
  const calls: [string, unknown?][] = [];
  const rec = (method: string) => (arg?: unknown) => void calls.push(arg === undefined ? [method] : [method, arg]);
  const recorder: Recorder = {
    calls,
    messages: () => calls.filter(([, arg]) => arg !== null && typeof arg === 'object').map(([, m]) => m as Message),
    setLoaded: (value) => void (loaded = value),
    destination: {
      name,
      load: (_settings, client) => void (recorder.client = client),
      isLoaded: () => loaded,
      track: rec('track'),
      page: rec('page'),
      screen: rec('screen'),
      identify: rec('identify'),
      alias: rec('alias'),
      group: rec('group'),
      reset: rec('reset'),
      flush: rec('flush'),
      setOptOut: rec('setOptOut'),
    },
  };
  return recorder;
}

/** Resolves after pending microtasks and zero-delay timers. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Points happy-dom's `location` at `url` (its own API, untyped). */
export const setUrl = (url: string): void =>
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
