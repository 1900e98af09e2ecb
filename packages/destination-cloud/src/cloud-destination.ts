import { type Destination, type Message, uuid } from '@tally/core';
import { backoff } from './backoff.js';
import { overCap } from './cap.js';
import { createKeyMaker, keyBytes, keyTime } from './entry-key.js';
import { createLock, type Lock } from './lock.js';
import type { CloudClient, CloudDestinationOptions, CloudSettings } from './options.js';
import { onPageHide } from './page-hide.js';
import { pickStorage } from './pick-storage.js';
import { postBatch } from './post-batch.js';
import { createMemoryStorage, type QueueStorage } from './storage.js';
import { takeBatch } from './take-batch.js';
import { createTimer } from './timer.js';

const NAME = 'Tally Cloud';
/** Browsers allow 64 KiB of keepalive bodies in flight per page; leave room for the envelope. */
const KEEPALIVE_BYTES = 60_000;
// What one request's outcome asks of the sending loop.
const DONE = 0;
const RETRY = 1;
const SPLIT = 2;

/**
 * Cloud mode: sends Segment-spec messages to a Tally proxy's `POST {apiHost}/v1/batch`, losing none.
 * Each event is persisted (IndexedDB, else localStorage, else memory) before it counts as queued
 * and removed only once the proxy answered for it; the queue survives reloads and crashes and is
 * shared by all tabs, one of which sends at a time. `reset()` keeps queued events: they belong to
 * the previous user and are still delivered. `setOptOut(true)` empties the queue.
 * @example createAnalytics({ writeKey, destinations: [createCloudDestination({ apiHost: 'https://t.example.com' })] })
 */
export function createCloudDestination(options: CloudDestinationOptions = {}): Destination<CloudSettings, CloudClient> {
  const {
    path = '/v1',
    batchSize = 100,
    batchBytes = 65_536,
    flushInterval = 1500,
    maxEvents = 10_000,
    maxBytes = 10_000_000,
    name = 'tally-cloud',
  } = options;
  const tab = uuid().slice(0, 8);
  const makeKey = createKeyMaker(tab);
  let store: QueueStorage;
  let lock: Lock;
  let client: CloudClient | undefined;
  let url = '';
  let writeKey = '';
  let gzip = false;
  let loaded = false;
  let optedOut = false;
  /** Called but not yet handed to storage: the only work `track()` does is a push here. */
  let pending: Message[] = [];
  /** Storage writes, chained so they land in call order and `clear()` lands after them. */
  let writing = Promise.resolve();
  /** This tab's events not known to be delivered (bounded by the cap): what a page hide sends. */
  const unsent = new Map<string, string>();
  const encoder = new TextEncoder();
  /** Events stored since the last sending turn began; a full batch's worth starts one at once. */
  let fresh = 0;
  /** Send part batches too (flush, first turn after load, back online) until the queue is empty. */
  let force = false;
  let attempt = 0;
  let retryAt = 0;
  let busy: Promise<void> | undefined;

  /** Every event this destination gives up on is named in an `error` event: never dropped silently. */
  const drop = (what: string, why: string) =>
    client?.emit('error', { error: new Error(`[tally] ${NAME} dropped ${what}: ${why}`), destination: NAME });
  /** Opted out, or offline: nothing is sent until that changes. */
  const stopped = () => optedOut || navigator.onLine == false;

  /** Runs a sending turn in `ms`, unless one is already due sooner. */
  const schedule = createTimer(() => void cycle());

  const retryLater = (retryAfter?: string | null) => {
    const wait = backoff(++attempt, retryAfter);
    retryAt = Date.now() + wait;
    schedule(wait);
    return RETRY;
  };

  /** Hands everything called meanwhile to storage in one write (one IndexedDB transaction). */
  const write = () => {
    if (!pending.length) return;
    const entries: [string, string][] = [];
    for (const message of pending.splice(0))
      try {
        const json = JSON.stringify(message);
        const key = makeKey(encoder.encode(json).length);
        unsent.set(key, json);
        entries.push([key, json]);
      } catch (error) {
        // A middleware may have put a BigInt or a cycle in; the message cannot travel as JSON.
        drop(message.messageId, String(error));
      }
    writing = writing
      .then(() =>
        // Storage failed mid-session (quota, eviction): keep going in memory rather than lose events.
        store.setMany(entries).catch(() => (store = createMemoryStorage()).setMany(entries)),
      )
      .then(
        () => {
          schedule(flushInterval);
          if ((fresh += entries.length) >= batchSize) void cycle();
        },
        () => drop(`${entries.length} events`, 'storage failed'),
      );
  };

  const enqueue = (message: Message) => {
    if (optedOut) return;
    // Batches every call made in this task into one write, after the caller's code has run.
    // Before load, calls wait here: `load` writes them.
    if (pending.push(message) == 1 && loaded) queueMicrotask(write);
  };

  const forget = (keys: string[]) => {
    keys.forEach((key) => unsent.delete(key));
    return store.delMany(keys);
  };

  const deliver = async (keys: string[], jsons: string[], keepalive: boolean) => {
    const body = `{"batch":[${jsons.join()}],"sentAt":"${new Date().toISOString()}","writeKey":${JSON.stringify(writeKey)}}`;
    let res: Response | undefined;
    try {
      res = await postBatch(url, body, gzip && !keepalive, keepalive);
    } catch {
      return retryLater();
    }
    // A beacon never answers: the events stay queued until a later request is acknowledged.
    if (!res) return DONE;
    const { status } = res;
    if (status == 413 && keys.length > 1) return SPLIT;
    // An endpoint that cannot inflate gzip: send plain from now on; the loop resends this batch.
    if (status == 415 && gzip && !keepalive) return (gzip = false), DONE;
    if (status == 408 || status == 429 || status >= 500) return retryLater(res.headers.get('Retry-After'));
    const answer = (await res.json().catch(() => ({}))) as { rejected?: { messageId: string; message: string }[] };
    const rejected = answer.rejected || [];
    await forget(keys);
    attempt = 0;
    if (status > 299 && !rejected.length) drop(`${keys.length} events`, `proxy answered ${status}`);
    else {
      rejected.forEach((r) => drop(r.messageId, r.message));
      if (keys.length > rejected.length) client?.emit('delivered', { destination: NAME, count: keys.length - rejected.length });
    }
    return DONE;
  };

  /** One sending turn, under the cross-tab lock: re-reads the shared store, so other tabs' events go too. */
  const run = async () => {
    fresh = 0;
    let limit = batchSize;
    while (!stopped()) {
      if (Date.now() < retryAt) return schedule(retryAt - Date.now());
      const keys = await store.keys();
      const sizes = keys.map(keyBytes);
      const evict = overCap(sizes, maxEvents, maxBytes);
      if (evict) {
        await forget(keys.slice(0, evict));
        drop(`${evict} oldest events`, 'queue full');
        continue;
      }
      if (!keys.length) return void (force = false);
      const n = takeBatch(sizes, limit, batchBytes);
      const age = Date.now() - keyTime(keys[0]!);
      if (!force && n == keys.length && n < batchSize && age < flushInterval) return schedule(flushInterval - age);
      const batch = keys.slice(0, n);
      // A key may be gone meanwhile (a keepalive request was acknowledged); forgetting it again is harmless.
      // This tab's own events are still in memory, so the store is read only when other tabs' (or pages') are in the batch.
      const jsons = (batch.every((key) => unsent.has(key)) ? batch.map((key) => unsent.get(key)) : await store.getMany(batch)).filter((v) => v) as string[];
      const result = await (jsons.length ? deliver(batch, jsons, false) : forget(batch));
      if (result == RETRY) return;
      if (result == SPLIT) limit = Math.ceil(n / 2);
    }
  };

  const cycle = (): Promise<void> =>
    (busy ||= lock(run)
      .then((ran) => {
        if (ran) return;
        // Another tab is sending and reads the shared store each turn, so this tab's stored events
        // are its job now; try again later in case that tab finished just before they landed.
        unsent.clear();
        schedule(flushInterval);
      })
      .catch(() => void retryLater())
      .finally(() => (busy = undefined)));

  /**
   * The page may be going away: send this tab's newest undelivered events in one keepalive request.
   * The Fetch spec allows 64 KiB of keepalive bodies in flight per page (sendBeacon shares it), so
   * more requests would only be refused; the older events stay stored for the next page.
   */
  const hide = () => {
    if (stopped()) return;
    write();
    const all = [...unsent];
    unsent.clear();
    // The newest that fit; slice(-0) of an empty list is empty too.
    const last = all.slice(-takeBatch(all.map(([key]) => keyBytes(key)).reverse(), Infinity, KEEPALIVE_BYTES));
    if (last.length) void deliver(last.map((e) => e[0]), last.map((e) => e[1]), true);
  };

  return {
    name: NAME,
    async load(settings, c) {
      client = c;
      writeKey = options.writeKey ?? settings.writeKey ?? '';
      url = `${options.apiHost ?? settings.apiHost ?? ''}${path}/batch`;
      gzip = options.gzip ?? typeof CompressionStream == 'function';
      store = options.storage ?? (await pickStorage(name, (text) => settings.debug && console.warn(`[tally] ${NAME}: ${text}`)));
      lock = createLock(name, tab);
      onPageHide(hide);
      addEventListener('online', () => {
        force = true;
        void cycle();
      });
      loaded = true;
      write();
      // What an earlier page left is overdue: send it now rather than after another interval.
      force = true;
      void cycle();
    },
    isLoaded: () => loaded,
    track: enqueue,
    page: enqueue,
    screen: enqueue,
    identify: enqueue,
    alias: enqueue,
    group: enqueue,
    async flush() {
      if (!loaded) return;
      write();
      await writing;
      await busy;
      force = true;
      await cycle();
    },
    setOptOut(out) {
      optedOut = out;
      if (!out) return loaded ? cycle() : undefined;
      pending = [];
      unsent.clear();
      schedule.cancel();
      return (writing = writing.then(() => store?.clear()));
    },
  };
}
