import { createIdbStorage } from './idb-storage.js';
import { createLocalStorage } from './local-storage.js';
import { createMemoryStorage, type QueueStorage } from './storage.js';

/**
 * The best storage that works here: IndexedDB, else localStorage (IndexedDB missing or refusing
 * to open, as in some private modes), else memory. `warn` hears each step down.
 */
export async function pickStorage(name: string, warn: (text: string) => void): Promise<QueueStorage> {
  try {
    const idb = createIdbStorage(name);
    await idb.keys();
    return idb;
  } catch {
    warn('no IndexedDB, queueing in localStorage');
  }
  try {
    // Some browsers expose localStorage but refuse writes (quota 0 in old private modes).
    localStorage.setItem(name, '');
    localStorage.removeItem(name);
    return createLocalStorage(name + '.q.');
  } catch {
    warn('no localStorage, queueing in memory');
  }
  return createMemoryStorage();
}
