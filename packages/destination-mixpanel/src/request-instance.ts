import type { MixpanelGlobal } from './mixpanel-lib.js';

// The snippet version mixpanel.js 2.83 requires of `window.mixpanel` (it refuses below 1.1).
const SNIPPET_VERSION = 1.2;

/**
 * Asks mixpanel.js for a named instance; its `config.loaded(instance)` reports readiness.
 * Returns true when mixpanel.js must still be fetched. A library the site already loaded, or a site
 * snippet about to load one, is reused (one copy per page: a second copy refuses to start).
 * Otherwise `window.mixpanel` becomes the minimal stub the library's loader reads (`__SV`, `_i`),
 * whose `init` queues like the official snippet's so a site calling `mixpanel.init` early still works.
 */
export function requestInstance(win: { mixpanel?: unknown }, token: string, config: object, name: string): boolean {
  const current = win.mixpanel as MixpanelGlobal | undefined;
  if (current && typeof current.init === 'function' && (current.__loaded || Array.isArray(current._i))) {
    current.init(token, config, name);
    return false;
  }
  const queue: unknown[][] = [[token, config, name]];
  win.mixpanel = {
    __SV: SNIPPET_VERSION,
    _i: queue,
    init(t: string, c: object, n?: string) {
      queue.push([t, c, n ?? 'mixpanel']);
    },
  } satisfies MixpanelGlobal;
  return true;
}
