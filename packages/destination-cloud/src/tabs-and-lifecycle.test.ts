// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { json, type SeenRequest } from '../test/fake-proxy.js';
import { createFakeLocks, setLocks } from '../test/fake-locks.js';
import { setupProxy, startTab, stopTabs } from '../test/harness.js';
import { track } from '../test/messages.js';

let restoreLocks: (() => void) | undefined;
afterEach(async () => {
  await stopTabs();
  restoreLocks?.();
  restoreLocks = undefined;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** Answers after a short real delay and records how many requests were ever in flight at once. */
function slowAnswers() {
  let inFlight = 0;
  const stats = { maxInFlight: 0 };
  const answer = async (req: SeenRequest) => {
    stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    return json(200, { accepted: req.body.batch.length });
  };
  return { answer, stats };
}

describe.each([
  ['Web Locks', () => createFakeLocks()],
  ['a lease in localStorage', () => undefined],
])('two tabs on one queue, sender chosen by %s', (_label, locks) => {
  test('one sender at a time, every event delivered exactly once, other tabs’ events included', async () => {
    restoreLocks = setLocks(locks());
    const { proxy, name } = setupProxy();
    const { answer, stats } = slowAnswers();
    proxy.answerAll(answer);
    const a = await startTab(name, { batchSize: 10, flushInterval: 30 });
    const b = await startTab(name, { batchSize: 10, flushInterval: 30 });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const message = track();
      ids.push(message.messageId);
      (i % 2 ? a : b).destination.track!(message);
    }
    await Promise.all([a.destination.flush!(), b.destination.flush!()]);
    await vi.waitFor(async () => expect(await a.store.keys()).toEqual([]));
    expect(stats.maxInFlight).toBe(1);
    expect(proxy.ids().sort()).toEqual(ids.sort());
  });
});

test('a lease held by another live tab keeps this one from sending until it expires', async () => {
  restoreLocks = setLocks(undefined);
  const { proxy, name } = setupProxy();
  localStorage.setItem(name, `other-tab ${Date.now() + 60_000}`);
  const { destination, store } = await startTab(name);
  destination.track!(track());
  await destination.flush!();
  expect(proxy.requests).toHaveLength(0);
  expect(await store.keys()).toHaveLength(1);
  localStorage.setItem(name, `other-tab ${Date.now() - 1}`);
  await destination.flush!();
  expect(proxy.requests).toHaveLength(1);
  expect(localStorage.getItem(name)).toBeNull();
});

describe('offline', () => {
  test('sends nothing while navigator.onLine is false and resumes on `online`', async () => {
    const { proxy, name } = setupProxy();
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const { destination, store, client } = await startTab(name);
    destination.track!(track());
    destination.track!(track());
    await destination.flush!();
    dispatchEvent(new Event('pagehide'));
    expect(proxy.requests).toHaveLength(0);
    expect(await store.keys()).toHaveLength(2);
    onLine.mockReturnValue(true);
    dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(client.delivered).toEqual([2]));
    expect(await store.keys()).toEqual([]);
  });
});

describe('opt-out', () => {
  test('setOptOut(true) empties the queue and ignores calls; setOptOut(false) resumes', async () => {
    const { proxy, name } = setupProxy();
    const { destination, store } = await startTab(name);
    destination.track!(track());
    destination.track!(track());
    await vi.waitFor(async () => expect(await store.keys()).toHaveLength(2));
    await destination.setOptOut!(true);
    expect(await store.keys()).toEqual([]);
    destination.track!(track());
    await destination.flush!();
    dispatchEvent(new Event('pagehide'));
    expect(proxy.requests).toHaveLength(0);
    await destination.setOptOut!(false);
    const after = track();
    destination.track!(after);
    await destination.flush!();
    expect(proxy.ids()).toEqual([after.messageId]);
  });

  test('an opt-out right after a call leaves nothing stored', async () => {
    const { name } = setupProxy();
    const { destination, store } = await startTab(name);
    destination.track!(track());
    await destination.setOptOut!(true);
    expect(await store.keys()).toEqual([]);
  });
});

describe('page hide', () => {
  test('sends this tab’s newest undelivered events in one CORS-simple keepalive request under 64 KB; they stay stored until acknowledged', async () => {
    const { proxy, name } = setupProxy();
    const held: (() => void)[] = [];
    proxy.answerAll((req) => new Promise((resolve) => held.push(() => resolve(json(200, { accepted: req.body.batch.length })))));
    const { destination, store } = await startTab(name, { gzip: true, batchSize: 1000, batchBytes: 1e6, flushInterval: 60_000 });
    const messages = Array.from({ length: 150 }, () => track('Sized', 1000));
    messages.forEach((m) => destination.track!(m));
    await vi.waitFor(async () => expect(await store.keys()).toHaveLength(150));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(proxy.requests).toHaveLength(0);
    dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(proxy.requests.length).toBeGreaterThan(0));
    for (const request of proxy.requests) {
      expect(request.keepalive).toBe(true);
      expect(typeof request.raw).toBe('string');
      expect(request.headers).toEqual({});
      expect(request.bytes).toBeLessThan(64 * 1024);
      expect(request.body.writeKey).toBe('wk');
    }
    expect(proxy.requests).toHaveLength(1);
    const sent = proxy.ids();
    expect(sent.length).toBeGreaterThan(40);
    expect(sent).toEqual(messages.slice(-sent.length).map((m) => m.messageId));
    expect(await store.keys()).toHaveLength(150);
    const requestCount = proxy.requests.length;
    dispatchEvent(new Event('pagehide'));
    await Promise.resolve();
    expect(proxy.requests).toHaveLength(requestCount);
    held.forEach((release) => release());
    await vi.waitFor(async () => expect(await store.keys()).toHaveLength(150 - sent.length));
    expect(proxy.requests).toHaveLength(requestCount);
  });

  test('visibilitychange to hidden sends too, and the pagehide after it sends nothing twice', async () => {
    const { proxy, name } = setupProxy();
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const { destination } = await startTab(name, { flushInterval: 60_000 });
    const message = track();
    destination.track!(message);
    document.dispatchEvent(new Event('visibilitychange'));
    dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(proxy.ids()).toEqual([message.messageId]));
    expect(proxy.requests[0]!.keepalive).toBe(true);
  });

  test('a call made just before the page goes away is in the keepalive request', async () => {
    const { proxy, name } = setupProxy();
    const { destination } = await startTab(name);
    const last = track();
    destination.track!(last);
    dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(proxy.ids()).toEqual([last.messageId]));
    expect(proxy.requests[0]!.keepalive).toBe(true);
  });

  test('falls back to sendBeacon when the keepalive fetch is refused; the events stay queued', async () => {
    const { proxy, name } = setupProxy();
    proxy.answerAll(() => 'network-error');
    const beacon = vi.fn((_url: string, _body: string) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true });
    const { destination, store } = await startTab(name, { flushInterval: 60_000 });
    const message = track();
    destination.track!(message);
    await vi.waitFor(async () => expect(await store.keys()).toHaveLength(1));
    dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(beacon).toHaveBeenCalledTimes(1));
    const [url, body] = beacon.mock.calls[0]!;
    expect(url).toBe('https://proxy.test/v1/batch');
    expect(JSON.parse(body)).toMatchObject({ writeKey: 'wk', batch: [message] });
    expect(await store.keys()).toHaveLength(1);
    delete (navigator as { sendBeacon?: unknown }).sendBeacon;
  });
});
