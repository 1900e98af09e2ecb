import { createSyncStorage, type QueueStorage } from './storage.js';

/**
 * The queue in localStorage, one item per event under `prefix`, so tabs never rewrite each
 * other's items (a single array would be read-modified-written by both).
 */
export function createLocalStorage(prefix: string, ls: Storage = localStorage): QueueStorage {
  return createSyncStorage({
    keys: () => Object.keys(ls).flatMap((k) => (k.startsWith(prefix) ? [k.slice(prefix.length)] : [])),
    get: (k) => ls.getItem(prefix + k),
    set: (k, v) => ls.setItem(prefix + k, v),
    delete: (k) => ls.removeItem(prefix + k),
  });
}
