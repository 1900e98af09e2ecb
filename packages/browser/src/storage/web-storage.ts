import type { Store } from './store.js';

/**
 * A store over `localStorage` or `sessionStorage` with keys prefixed; `undefined` when the area is
 * missing or refuses a write (Safari private mode, disabled storage, full quota).
 */
export function createWebStore(area: () => Storage | undefined | null, prefix: string): Store | undefined {
  try {
    const s = area();
    if (!s) return undefined;
    const probe = prefix + 'probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return {
      get: (key) => s.getItem(prefix + key),
      set: (key, value) => s.setItem(prefix + key, value),
      remove: (key) => s.removeItem(prefix + key),
    };
  } catch {
    return undefined;
  }
}
