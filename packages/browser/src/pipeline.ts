import type { Integrations, Message } from '@tally/core';
import { attempt, type Report } from './attempt.js';
import type { BrowserDestination, Middleware } from './types.js';

// Calls buffered per destination while it loads; beyond this the oldest is dropped (and reported).
const BUFFER_CAP = 1000;
// How long a destination may take to report `isLoaded()` after `load` settles, and how often to ask.
const LOAD_TIMEOUT = 10_000;
const LOAD_POLL = 50;

type Done = () => void;
/** A call for the destinations: a message (method = its type), or a bare method such as `reset` with its argument. */
type Item = [method: string, arg?: Message | boolean, done?: Done];

/** What the pipeline needs from the client. */
export interface PipelineDeps {
  /** Arguments of `destination.load`. */
  loadArgs_: () => unknown[];
  report_: Report;
  /** True while sending is off (opted out). */
  blocked_: () => boolean;
}

/** Source middleware → each destination, in order, isolated, buffered until loaded. */
export interface Pipeline {
  /** Loads a destination; resolves once it is loaded or given up on. */
  add_(destination: BrowserDestination): Promise<void>;
  use_(middleware: Middleware): void;
  /** Queues a message, or a bare call (`reset`, `flush`, `setOptOut`), for every destination in call order; `done` once all took it. */
  push_(method: string, arg?: Message | boolean, done?: Done): void;
  /** Drops everything not yet handed to a destination (opt-out). */
  clear_(): void;
}

/** True when `integrations` lets destination `name` receive the call (`All` is the default). */
export const isEnabled = (name: string, integrations: Integrations): boolean => (integrations[name] ?? integrations.All) !== false;

/** One destination's ordered buffer. */
interface Lane {
  name_: string;
  put_(item: Item): void;
  clear_(): void;
  settled_: Promise<void>;
}

function createLane(d: BrowserDestination, { loadArgs_: loadArgs, report_: report }: PipelineDeps): Lane {
  let buf: Item[] = [];
  let loaded = false;
  let called = false;
  // Once loaded, always loaded; a throwing `isLoaded` means not yet.
  const check = () => {
    try {
      loaded ||= !!d.isLoaded();
    } catch {
      /* not loaded */
    }
    return loaded;
  };
  const pump = () => {
    if (loaded) for (const [method, arg, done] of buf.splice(0)) void attempt(d, method, arg === undefined ? [] : [arg], report).then(done);
  };
  const settled = attempt(d, 'load', loadArgs(), report).then(
    (error) =>
      new Promise<void>((resolve) => {
        called = true;
        const end = Date.now() + LOAD_TIMEOUT;
        const poll = () => {
          if (check() || error || Date.now() >= end) {
            if (!loaded && !error) report(d.name, 'load', new Error('not loaded in 10 s'));
            resolve();
            pump();
          } else setTimeout(poll, LOAD_POLL);
        };
        poll();
      }),
  );
  return {
    name_: d.name,
    settled_: settled,
    put_(item) {
      // Noticed at once, between polls, and after polling gave up (a late load).
      if (called) check();
      // `flush()` waits for loaded destinations only; the flush itself still queues in order.
      if (!loaded && item[0] === 'flush') item[2] = void item[2]?.();
      if (buf.push(item) > BUFFER_CAP) {
        buf.shift()![2]?.();
        report(d.name, 'buffer', new Error('buffer full: oldest dropped'));
      }
      pump();
    },
    clear_() {
      for (const [, , done] of buf.splice(0)) done?.();
    },
  };
}

/** Creates the pipeline; it never throws and never rejects. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const lanes: Lane[] = [];
  const middleware: Middleware[] = [];
  // Calls in order, handled a microtask later: the page's call returns at once, and a loop of calls
  // is handled in one task.
  let inbox: Item[] = [];
  let draining = false;

  const drain = async () => {
    try {
      while (inbox.length) {
        for (let [method, arg, done] of inbox.splice(0)) {
          if (typeof arg === 'object') {
            for (const fn of middleware) {
              try {
                // A middleware returns a message, null to drop it, or nothing to keep it.
                const out = await fn({ message: arg });
                if (out !== undefined) arg = out && typeof out === 'object' ? out : undefined;
              } catch (error) {
                // It may have been meant to scrub the message: drop it rather than send it unscrubbed.
                deps.report_('', 'middleware', error);
                arg = undefined;
              }
              if (!arg) break;
            }
            if (!arg || deps.blocked_()) {
              done?.();
              continue;
            }
            method = arg.type;
          }
          let pending = 1;
          const one = () => --pending || done?.();
          for (const lane of lanes) {
            if (typeof arg === 'object' && !isEnabled(lane.name_, arg.integrations)) continue;
            pending++;
            lane.put_([method, arg, one]);
          }
          one();
        }
      }
    } catch (error) {
      deps.report_('', 'pipeline', error);
    }
    draining = false;
  };

  return {
    add_(d) {
      const lane = createLane(d, deps);
      lanes.push(lane);
      if (deps.blocked_()) lane.put_(['setOptOut', true]);
      return lane.settled_;
    },
    use_: (fn) => void middleware.push(fn),
    push_(...item) {
      inbox.push(item);
      if (!draining) queueMicrotask(drain);
      draining = true;
    },
    clear_() {
      for (const [, , done] of inbox.splice(0)) done?.();
      for (const lane of lanes) lane.clear_();
    },
  };
}
