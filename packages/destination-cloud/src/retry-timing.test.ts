// @vitest-environment happy-dom
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

describe('timing (fake timers)', () => {
  test('waits for flushInterval before sending a part batch, and sends a full batch at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { proxy, name } = setupProxy();
    const { destination } = await startTab(name, { storage: createMemoryStorage(), batchSize: 3, flushInterval: 1000 });
    destination.track!(track());
    await vi.advanceTimersByTimeAsync(999);
    expect(proxy.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(proxy.requests).toHaveLength(1);
    for (let i = 0; i < 3; i++) destination.track!(track());
    await vi.advanceTimersByTimeAsync(0);
    expect(proxy.requests).toHaveLength(2);
    expect(proxy.requests[1]!.body.batch).toHaveLength(3);
  });

  test('retries network errors and 5xx with growing, jittered backoff until delivered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { proxy, name } = setupProxy();
    proxy.answerNext(() => 'network-error', () => json(500, {}), () => json(502, {}));
    const { destination, store, client } = await startTab(name, { storage: createMemoryStorage() });
    destination.track!(track());
    void destination.flush!();
    await vi.advanceTimersByTimeAsync(0);
    expect(proxy.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(proxy.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(proxy.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(proxy.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(proxy.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(4000);
    expect(proxy.requests).toHaveLength(4);
    expect(await store.keys()).toEqual([]);
    expect(client.delivered).toEqual([1]);
    expect(client.errors).toEqual([]);
  });

  test('honours Retry-After on 429 and 503, and retries 408', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { proxy, name } = setupProxy();
    proxy.answerNext(
      () => json(429, {}, { 'Retry-After': '7' }),
      () => json(503, {}, { 'Retry-After': new Date(Date.now() + 20_000).toUTCString() }),
      () => json(408, {}),
    );
    const { destination, client } = await startTab(name, { storage: createMemoryStorage() });
    destination.track!(track());
    void destination.flush!();
    await vi.advanceTimersByTimeAsync(6999);
    expect(proxy.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(proxy.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(proxy.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(8000);
    expect(proxy.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(proxy.requests).toHaveLength(4);
    expect(client.delivered).toEqual([1]);
  });
});
