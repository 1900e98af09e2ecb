/**
 * Where queued events wait for the proxy's acknowledgement: string keys that sort oldest first,
 * each holding one message as JSON. Every implementation passes `test/storage-contract.ts`.
 */
export interface QueueStorage {
  /** Every key, sorted ascending (oldest first). */
  keys(): Promise<string[]>;
  /** The values of `keys`, in order; `undefined` where a key is gone. */
  getMany(keys: string[]): Promise<(string | undefined)[]>;
  /** Writes all entries at once (one transaction where the backend has them). */
  setMany(entries: [string, string][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  clear(): Promise<void>;
}

/** The synchronous key-value calls a {@link QueueStorage} can be built on; a `Map` has them. */
export interface SyncMap {
  keys(): Iterable<string>;
  get(key: string): string | null | undefined;
  set(key: string, value: string): unknown;
  delete(key: string): unknown;
}

/** A queue over any synchronous map (memory, localStorage). */
export function createSyncStorage(map: SyncMap): QueueStorage {
  const storage: QueueStorage = {
    keys: async () => [...map.keys()].sort(),
    getMany: async (keys) => keys.map((k) => map.get(k) ?? undefined),
    setMany: async (entries) => entries.forEach(([k, v]) => map.set(k, v)),
    delMany: async (keys) => keys.forEach((k) => map.delete(k)),
    clear: async () => storage.delMany(await storage.keys()),
  };
  return storage;
}

/** A queue kept in memory only: lost on reload, the last resort when no storage works. */
export const createMemoryStorage = (): QueueStorage => createSyncStorage(new Map());
