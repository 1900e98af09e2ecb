export { createCloudDestination } from './cloud-destination.js';
export type { CloudClient, CloudDestinationOptions, CloudSettings } from './options.js';
export type { QueueStorage } from './storage.js';
export { createMemoryStorage } from './storage.js';
export { createIdbStorage } from './idb-storage.js';
export { createLocalStorage } from './local-storage.js';
