import type { MixpanelGlobal, MixpanelLib } from '../src/mixpanel-lib.js';

/** One recorded call on a fake mixpanel.js instance, named as the mapping names it (`people.set`, `get_group.set`). */
export interface Call {
  method: string;
  args: unknown[];
}

/** A fake instance: the recorded calls plus the state the destination reads. */
export interface FakeInstance extends MixpanelLib {
  token: string;
  name: string;
  config: Record<string, unknown>;
  props: Record<string, unknown>;
  optedOut: boolean;
}

let counter = 0;
const fresh = () => {
  const id = `mp-random-${++counter}`;
  return { distinct_id: `$device:${id}`, $device_id: id };
};

/**
 * A stand-in for mixpanel.js: `run()` does what the real file does when it executes (create every
 * instance queued in `window.mixpanel._i`, call each config's `loaded`, turn `init` into an immediate
 * one). Every instance records its calls, in order, in one shared `calls` log.
 */
export function createFakeMixpanel(win: { mixpanel?: unknown } = window as never) {
  const calls: Call[] = [];
  const instances: Record<string, FakeInstance> = {};

  const create = (token: string, config: Record<string, unknown>, name: string): FakeInstance => {
    const log = (method: string, args: unknown[]) => void calls.push({ method, args });
    const people = (method: string) => (...args: unknown[]) => log(`people.${method}`, args);
    const lib: FakeInstance = {
      token,
      name,
      config,
      props: fresh(),
      optedOut: config.opt_out_tracking_by_default === true,
      track: (...args: unknown[]) => log('track', args),
      identify(id: string) {
        log('identify', [id]);
        lib.props.$user_id = id;
        lib.props.distinct_id = id;
      },
      alias: (...args: unknown[]) => log('alias', args),
      register(properties: object) {
        log('register', [properties]);
        Object.assign(lib.props, properties);
      },
      reset() {
        log('reset', []);
        lib.props = fresh();
      },
      get_property: (key: string) => lib.props[key],
      opt_out_tracking(options?: object) {
        log('opt_out_tracking', [options]);
        lib.optedOut = true;
      },
      opt_in_tracking(options?: object) {
        log('opt_in_tracking', [options]);
        lib.optedOut = false;
      },
      has_opted_out_tracking: () => lib.optedOut,
      people: Object.fromEntries(['set', 'set_once', 'increment', 'union', 'append'].map((m) => [m, people(m)])),
      get_group: (key: string, id: string) => ({ set: (properties: object) => log('get_group.set', [key, id, properties]) }),
    };
    instances[name] = lib;
    return lib;
  };

  const start = (token: string, config: Record<string, unknown>, name: string) => {
    const lib = create(token, config, name);
    const master = win.mixpanel as MixpanelGlobal;
    master[name] = lib;
    (config.loaded as ((mp: MixpanelLib) => void) | undefined)?.(lib);
    return lib;
  };

  return {
    calls,
    instances,
    /** Runs "the file": processes the queued inits, as mixpanel.js's loader does. */
    run() {
      const master = win.mixpanel as MixpanelGlobal;
      const queued = master._i ?? [];
      master.__loaded = true;
      master.init = (token: string, config: object, name: string) => start(token, config as Record<string, unknown>, name);
      for (const item of queued) start(item[0] as string, item[1] as Record<string, unknown>, item[2] as string);
    },
    /** Calls since the last `take()`, without identity bookkeeping noise removed. */
    take() {
      return calls.splice(0, calls.length);
    },
  };
}
