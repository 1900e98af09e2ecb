/**
 * Queue keys: `<µs stamp, 16 digits>-<UTF-8 bytes>-<tab>`. They sort oldest first as plain
 * strings (16 digits hold Date.now() × 1000 until 2286), are unique across tabs, and carry each
 * event's size so the cap and batching need only the key list, never the values.
 */
export interface KeyMaker {
  (bytes: number): string;
}

/** A key maker for one tab; stamps only go up, even when the clock steps back. */
export function createKeyMaker(tab: string): KeyMaker {
  let last = 0;
  return (bytes) => {
    last = Math.max(Date.now() * 1000, last + 1);
    return `${last}-${bytes}-${tab}`;
  };
}

/** The event's size in bytes, as stored in its key. */
export const keyBytes = (key: string): number => +key.split('-')[1]! || 0;

/** When the event was queued, in ms since the epoch. */
export const keyTime = (key: string): number => +key.slice(0, 16) / 1000;
