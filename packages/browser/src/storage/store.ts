/** A small string key-value store the identity lives in. Implementations never throw from `get`. */
export interface Store {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** A store in a Map: lost on reload. */
export function createMemoryStore(): Store {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
  };
}

/** A store that keeps nothing (`persistence: 'none'`). */
export function createNoneStore(): Store {
  return { get: () => null, set() {}, remove() {} };
}

/**
 * Wraps `store` so a failure (quota, storage revoked mid-session) switches to memory once,
 * calling `onFail`, instead of reaching the caller.
 */
export function guardStore(store: Store, onFail: () => void): Store {
  let current = store;
  const run = <T>(op: (s: Store) => T): T => {
    try {
      return op(current);
    } catch {
      onFail();
      current = createMemoryStore();
      return op(current);
    }
  };
  return {
    get: (key) => run((s) => s.get(key)),
    set: (key, value) => run((s) => s.set(key, value)),
    remove: (key) => run((s) => s.remove(key)),
  };
}
