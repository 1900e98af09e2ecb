/** A Web Locks stand-in with the one mode the destination uses: exclusive, `ifAvailable`. */
export function createFakeLocks() {
  const held = new Set<string>();
  return {
    async request(name: string, _options: { ifAvailable: boolean }, callback: (lock: object | null) => unknown) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
}

/** Replaces (or with `undefined`, removes) `navigator.locks` until `restore()`. */
export function setLocks(locks: unknown): () => void {
  const before = Object.getOwnPropertyDescriptor(navigator, 'locks');
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
  return () => {
    if (before) Object.defineProperty(navigator, 'locks', before);
    else delete (navigator as { locks?: unknown }).locks;
  };
}
