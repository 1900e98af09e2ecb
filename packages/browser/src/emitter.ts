import mitt from 'mitt';
import type { AnalyticsEvents } from './types.js';

// Listeners are typed per event on `Analytics`; here any payload goes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (payload: any) => void;

/** The client's event emitter: mitt, with each listener isolated so one that throws harms nothing. */
export interface Emitter {
  on(type: keyof AnalyticsEvents, handler: Handler): void;
  off(type: keyof AnalyticsEvents, handler: Handler): void;
  emit<K extends keyof AnalyticsEvents>(type: K, payload: AnalyticsEvents[K]): void;
}

/** An emitter whose throwing listeners are passed to `onError` instead of the caller. */
export function createEmitter(onError: (error: unknown) => void): Emitter {
  const bus = mitt<Record<string, unknown>>();
  return {
    on: bus.on,
    off: bus.off,
    emit(type, payload) {
      // A copy: a listener may call off() while we iterate.
      for (const handler of [...((bus.all.get(type) as Handler[] | undefined) ?? [])]) {
        try {
          (handler as (p: unknown) => void)(payload);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}
