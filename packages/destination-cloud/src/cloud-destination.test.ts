// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMemoryStorage } from '@tally/destination-cloud';
import { json } from '../test/fake-proxy.js';
import { setupProxy, startTab, stopTabs } from '../test/harness.js';
import { track } from '../test/messages.js';

afterEach(async () => {
  vi.useRealTimers();
  await stopTabs();
  vi.unstubAllGlobals();
});

describe('queue and acknowledgement', () => {
  test('an event is in IndexedDB before it is sent, and leaves only when the proxy acknowledges it', async () => {
    const { proxy, name } = setupProxy();
    let acknowledge!: () => void;
    proxy.answerNext((req) => new Promise((resolve) => (acknowledge = () => resolve(json(200, { accepted: req.body.batch.length })))));
    const { destination, store, client } = await startTab(name);
    destination.track!(track());
    destination.track!(track());
    await vi.waitFor(async () => expect(await store.keys()).toHaveLength(2));
    const flushed = destination.flush!();
    await vi.waitFor(() => expect(proxy.requests).toHaveLength(1));
    expect(await store.keys()).toHaveLength(2);
    acknowledge();
    await flushed;
    expect(await store.keys()).toEqual([]);
    expect(client.delivered).toEqual([2]);
  });

  test('one request per batch to {apiHost}/v1/batch, write key in the body, sentAt set at send time, CORS-simple', async () => {
    const { proxy, name } = setupProxy();
    const { destination } = await startTab(name, { apiHost: 'https://t.example.com', writeKey: 'key-1' });
    const first = track();
    destination.track!(first);
    const before = Date.now();
    await destination.flush!();
    expect(proxy.requests).toHaveLength(1);
    const [request] = proxy.requests;
    expect(request!.url).toBe('https://t.example.com/v1/batch');
    expect(request!.body.writeKey).toBe('key-1');
    expect(request!.body.batch).toEqual([first]);
    expect(Date.parse(request!.body.sentAt)).toBeGreaterThanOrEqual(before);
    expect(typeof request!.raw).toBe('string');
    expect(request!.headers).toEqual({});
  });

  test('takes the write key and host from the client settings, and a custom path prefix', async () => {
    const { proxy, name } = setupProxy();
    const { destination } = await startTab(name, { apiHost: undefined, writeKey: undefined, path: '/ingest/v1' }, { writeKey: 'from-settings', apiHost: 'https://h.test' });
    destination.page!({ ...track(), type: 'page', name: 'Home' } as never);
    await destination.flush!();
    expect(proxy.requests[0]!.url).toBe('https://h.test/ingest/v1/batch');
    expect(proxy.requests[0]!.body.writeKey).toBe('from-settings');
  });

  test('events queued before load are written and sent once it is loaded', async () => {
    const { proxy, name } = setupProxy();
    const { destination } = await startTab(name);
    const ids = [track(), track(), track()].map((m) => (destination.identify!({ ...m, type: 'identify', traits: {} } as never), m.messageId));
    await destination.flush!();
    expect(proxy.ids()).toEqual(ids);
  });

  test('batches by count and by bytes', async () => {
    const { proxy, name } = setupProxy();
    const { destination } = await startTab(name, { batchSize: 5, batchBytes: 3000 });
    for (let i = 0; i < 12; i++) destination.track!(track());
    await destination.flush!();
    expect(proxy.requests.map((r) => r.body.batch.length)).toEqual([5, 5, 2]);
    proxy.requests.length = 0;
    for (let i = 0; i < 4; i++) destination.track!(track('Big', 1000));
    await destination.flush!();
    expect(proxy.requests.map((r) => r.body.batch.length)).toEqual([2, 2]);
  });

  test('gzips the body when asked, with Content-Encoding', async () => {
    const { proxy, name } = setupProxy();
    const { destination } = await startTab(name, { gzip: true });
    const message = track('Zipped', 2000);
    destination.track!(message);
    await destination.flush!();
    const [request] = proxy.requests;
    expect(request!.headers['content-encoding']).toBe('gzip');
    expect(request!.headers['content-type']).toBe('text/plain');
    expect(JSON.parse(gunzipSync(Buffer.from(request!.raw as ArrayBuffer)).toString()).batch).toEqual([message]);
    expect(request!.bytes).toBeLessThan(1000);
  });

  test('an endpoint answering 415 to gzip gets the batch again, plain, and every later one plain too', async () => {
    const { proxy, name } = setupProxy();
    proxy.answerAll((req) => (req.headers['content-encoding'] ? json(415, {}) : json(200, { accepted: req.body.batch.length })));
    const { destination, client } = await startTab(name, { gzip: true });
    const first = track();
    destination.track!(first);
    await destination.flush!();
    const second = track();
    destination.track!(second);
    await destination.flush!();
    expect(proxy.requests.map((r) => [r.body.batch.map((m) => m.messageId), r.headers['content-encoding'] ?? 'plain'])).toEqual([
      [[first.messageId], 'gzip'],
      [[first.messageId], 'plain'],
      [[second.messageId], 'plain'],
    ]);
    expect(client.errors).toEqual([]);
  });

  test('reset() is not handled: events queued for the previous user are still delivered', async () => {
    const { proxy, name } = setupProxy();
    const { destination } = await startTab(name);
    expect(destination.reset).toBeUndefined();
    const message = track();
    destination.track!(message);
    await destination.flush!();
    expect(proxy.ids()).toEqual([message.messageId]);
  });

  test('a message that cannot be JSON is dropped with an error event; the others go on', async () => {
    const { proxy, name } = setupProxy();
    const { destination, client } = await startTab(name);
    const bad = { ...track(), properties: { big: 1n } } as never as ReturnType<typeof track>;
    const good = track();
    destination.track!(bad);
    destination.track!(good);
    await destination.flush!();
    expect(proxy.ids()).toEqual([good.messageId]);
    expect(client.errors).toHaveLength(1);
    expect(client.errors[0]).toMatch(new RegExp(`^\\[tally\\] Tally Cloud dropped ${bad.messageId}: TypeError`));
  });

  test('if storage fails mid-session the events go on in memory and are still delivered', async () => {
    const { proxy, name } = setupProxy();
    const storage = createMemoryStorage();
    vi.spyOn(storage, 'setMany').mockRejectedValue(new DOMException('full', 'QuotaExceededError'));
    const { destination, client } = await startTab(name, { storage });
    const message = track();
    destination.track!(message);
    await destination.flush!();
    expect(proxy.ids()).toEqual([message.messageId]);
    expect(client.errors).toEqual([]);
  });

  test('a queue left by an earlier page is sent on the next load', async () => {
    const { proxy, name } = setupProxy();
    proxy.answerAll(() => 'network-error');
    const first = await startTab(name);
    const message = track();
    first.destination.track!(message);
    await first.destination.flush!();
    expect(await first.store.keys()).toHaveLength(1);
    proxy.answerAll((req) => json(200, { accepted: req.body.batch.length }));
    const second = await startTab(name);
    await vi.waitFor(async () => expect(await second.store.keys()).toEqual([]));
    expect(second.client.delivered).toEqual([1]);
    expect(proxy.ids().at(-1)).toBe(message.messageId);
  });
});

describe('proxy answers', () => {
  test('messages named in rejected[] are dropped with an error event; the rest count as delivered', async () => {
    const { proxy, name } = setupProxy();
    const messages = [track(), track(), track()];
    proxy.answerNext(() =>
      json(200, { success: true, accepted: 2, rejected: [{ index: 1, messageId: messages[1]!.messageId, code: 'invalid', message: 'event too long' }] }),
    );
    const { destination, store, client } = await startTab(name);
    messages.forEach((m) => destination.track!(m));
    await destination.flush!();
    expect(proxy.requests).toHaveLength(1);
    expect(await store.keys()).toEqual([]);
    expect(client.delivered).toEqual([2]);
    expect(client.errors).toEqual([`[tally] Tally Cloud dropped ${messages[1]!.messageId}: event too long`]);
  });

  test('a 400 rejecting every message drops them all, each named', async () => {
    const { proxy, name } = setupProxy();
    const messages = [track(), track()];
    proxy.answerNext(() =>
      json(400, { success: false, accepted: 0, rejected: messages.map((m, index) => ({ index, messageId: m.messageId, code: 'bad', message: 'bad' })) }),
    );
    const { destination, store, client } = await startTab(name);
    messages.forEach((m) => destination.track!(m));
    await destination.flush!();
    expect(await store.keys()).toEqual([]);
    expect(client.delivered).toEqual([]);
    expect(client.errors).toEqual(messages.map((m) => `[tally] Tally Cloud dropped ${m.messageId}: bad`));
  });

  test('a whole-request 401 drops the batch with an error event', async () => {
    const { proxy, name } = setupProxy();
    proxy.answerNext(() => json(401, { error: 'unknown write key' }));
    const { destination, store, client } = await startTab(name);
    destination.track!(track());
    await destination.flush!();
    expect(proxy.requests).toHaveLength(1);
    expect(await store.keys()).toEqual([]);
    expect(client.errors).toEqual(['[tally] Tally Cloud dropped 1 events: proxy answered 401']);
  });

  test('413 splits the batch in halves until it fits; a single event still too large is dropped with an error', async () => {
    const { proxy, name } = setupProxy();
    proxy.answerAll((req) => (req.bytes > 2500 ? json(413, {}) : json(200, { accepted: req.body.batch.length })));
    const { destination, store, client } = await startTab(name);
    for (let i = 0; i < 4; i++) destination.track!(track('Mid', 900));
    destination.track!(track('Huge', 5000));
    await destination.flush!();
    expect(proxy.requests.map((r) => [r.body.batch.length, r.bytes > 2500 ? 413 : 200])).toEqual([
      [5, 413],
      [3, 413],
      [2, 200],
      [2, 200],
      [1, 413],
    ]);
    expect(await store.keys()).toEqual([]);
    expect(client.delivered).toEqual([2, 2]);
    expect(client.errors).toEqual(['[tally] Tally Cloud dropped 1 events: proxy answered 413']);
  });
});
