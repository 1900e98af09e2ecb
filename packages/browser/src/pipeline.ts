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
type Item = [method: string, arg: Message | boolean | undefined, done?: Done];

/** What the pipeline needs from the client. */
export interface PipelineDeps {
  /** Arguments of `destination.load`. */
  loadArgs: () => unknown[];
  report: Report;
  /** True while sending is off (opted out). */
  blocked: () => boolean;
}

/** Source middleware → each destination, in order, isolated, buffered until loaded. */
export interface Pipeline {
  /** Loads a destination; resolves once it is loaded or given up on. */
  add(destination: BrowserDestination): Promise<void>;
  use(middleware: Middleware): void;
  /** Queues a message, or a bare call (`reset`, `flush`, `setOptOut`), for every destination in call order; `done` once all took it. */
  push(method: string, arg?: Message | boolean, done?: Done): void;
  /** Drops everything not yet handed to a destination (opt-out). */
  clear(): void;
}

/** True when `integrations` lets destination `name` receive the call (`All` is the default). */
export const isEnabled = (name: string, integrations: Integrations): boolean => {
  const own = integrations[name];
  return own === undefined ? integrations.All !== false : own !== false;
};

/** One destination's ordered buffer. */
interface Lane {
  name: string;
  put(item: Item): void;
  clear(): void;
  settled: Promise<void>;
}

function createLane(d: BrowserDestination, { loadArgs, report }: PipelineDeps): Lane {
  let buf: Item[] = [];
  let loaded = false;
  let called = false;
  const isLoaded = () => {
    try {
      return !!d.isLoaded();
    } catch {
      return false;
    }
  };
  const pump = () => {
    if (!loaded) return;
    const batch = buf;
    buf = [];
    for (const [method, arg, done] of batch) void attempt(d, method, arg === undefined ? [] : [arg], report).then(done);
  };
  const settled = attempt(d, 'load', loadArgs(), report).then(
    (error) =>
      new Promise<void>((resolve) => {
        called = true;
        const started = Date.now();
        const poll = () => {
          if ((loaded = isLoaded()) || error || Date.now() - started >= LOAD_TIMEOUT) {
            if (!loaded && !error) report(d.name, 'load', new Error('not loaded after 10 s'));
            resolve();
            pump();
          } else setTimeout(poll, LOAD_POLL);
        };
        poll();
      }),
  );
  return {
    name: d.name,
    settled,
    put(item) {
      // Noticed at once, between polls, and after polling gave up (a late load).
      if (called && !loaded) loaded = isLoaded();
      // `flush()` waits for loaded destinations only; the flush itself still queues in order.
      if (!loaded && item[0] === 'flush') item[2] = void item[2]?.();
      if (buf.push(item) > BUFFER_CAP) {
        buf.shift()![2]?.();
        report(d.name, 'buffer', new Error('buffer full, oldest call dropped'));
      }
      pump();
    },
    clear() {
      for (const [, , done] of buf) done?.();
      buf = [];
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
        const batch = inbox;
        inbox = [];
        for (let [method, arg, done] of batch) {
          if (typeof arg === 'object') {
            for (const fn of middleware) {
              try {
                // A middleware returns a message, null to drop it, or nothing to keep it.
                const out = await fn({ message: arg });
                if (out !== undefined) arg = out && typeof out === 'object' ? out : undefined;
              } catch (error) {
                // It may have been meant to scrub the message: drop it rather than send it unscrubbed.
                deps.report('', 'middleware', error);
                arg = undefined;
              }
              if (!arg) break;
            }
            if (!arg || deps.blocked()) {
              done?.();
              continue;
            }
            method = arg.type;
          }
          let pending = 1;
          const one = () => --pending || done?.();
          for (const lane of lanes) {
            if (typeof arg === 'object' && !isEnabled(lane.name, arg.integrations)) continue;
            pending++;
            lane.put([method, arg, one]);
          }
          one();
        }
      }
    } catch (error) {
      deps.report('', 'pipeline', error);
    } finally {
      draining = false;
    }
  };

  return {
    add(d) {
      const lane = createLane(d, deps);
      lanes.push(lane);
      if (deps.blocked()) lane.put(['setOptOut', true]);
      return lane.settled;
    },
    use: (fn) => void middleware.push(fn),
    push(method, arg, done) {
      inbox.push([method, arg, done]);
      if (!draining) queueMicrotask(drain);
      draining = true;
    },
    clear() {
      for (const [, , done] of inbox) done?.();
      inbox = [];
      for (const lane of lanes) lane.clear();
    },
  };
}
