import { createStore, promisifyRequest } from 'idb-keyval';
import type { QueueStorage } from './storage.js';

/**
 * The queue in IndexedDB (database `name`, store `queue`), shared by every tab of the origin.
 * Only idb-keyval's `createStore` and `promisifyRequest` are used: its helpers would also bring
 * a default store and a cursor fallback for browsers without `getAllKeys`, which we never need.
 */
export function createIdbStorage(name: string): QueueStorage {
  const store = createStore(name, 'queue');
  const write = (change: (s: IDBObjectStore) => void) =>
    store('readwrite', (s) => (change(s), promisifyRequest(s.transaction))) as Promise<unknown> as Promise<void>;
  return {
    // IndexedDB returns keys in ascending order already.
    keys: () => store('readonly', (s) => promisifyRequest(s.getAllKeys() as IDBRequest<string[]>)),
    getMany: (keys) => store('readonly', (s) => Promise.all(keys.map((k) => promisifyRequest<string | undefined>(s.get(k))))),
    setMany: (entries) => write((s) => entries.forEach(([k, v]) => s.put(v, k))),
    delMany: (keys) => write((s) => keys.forEach((k) => s.delete(k))),
    clear: () => write((s) => s.clear()),
  };
}
