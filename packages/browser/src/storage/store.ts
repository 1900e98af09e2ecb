/** A small string key-value store the identity lives in. Implementations never throw. */
export interface Store {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** Where a store keeps its values: `localStorage`, `sessionStorage`, a cookie jar, or a Map. */
export type Area = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** An area in a Map: lost on reload. */
export function memoryArea(): Area {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/**
 * A store over `areas`, keys prefixed with `prefix`. Writes go to every area; a read answers from
 * the first area holding the key and copies that value to the others that differ, so a cookie
 * mirrored to localStorage wins when both exist (subdomains sharing it never diverge) and a cleared
 * cookie is written back from the mirror. No areas keeps nothing (`persistence: 'none'`). A failure
 * (quota, storage revoked mid-session) switches the store to memory once, calling `onFail`, instead
 * of reaching the caller.
 */
export function createStore(areas: Area[], prefix = '', onFail = (): void => {}): Store {
  const run = <T>(op: () => T): T => {
    try {
      return op();
    } catch {
      onFail();
      areas = [memoryArea()];
      return op();
    }
  };
  return {
    get: (key) =>
      run(() => {
        const values = areas.map((a) => a.getItem(prefix + key));
        const value = values.find((v) => v !== null) ?? null;
        if (value !== null) areas.forEach((a, i) => values[i] !== value && a.setItem(prefix + key, value));
        return value;
      }),
    set: (key, value) => run(() => areas.forEach((a) => a.setItem(prefix + key, value))),
    remove: (key) => run(() => areas.forEach((a) => a.removeItem(prefix + key))),
  };
}

/** A store in memory only: lost on reload. */
export const createMemoryStore = (): Store => createStore([memoryArea()]);
