// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMemoryStorage } from '@tally/destination-cloud';
import { setupProxy, startTab, stopTabs } from '../test/harness.js';
import { track } from '../test/messages.js';

afterEach(async () => {
  vi.useRealTimers();
  await stopTabs();
  vi.unstubAllGlobals();
});

describe('cap', () => {
  test('past maxEvents the oldest are dropped, with an error event naming how many', async () => {
    const { proxy, name } = setupProxy();
    const { destination, client } = await startTab(name, { maxEvents: 5 });
    const messages = Array.from({ length: 8 }, () => track());
    messages.forEach((m) => destination.track!(m));
    await destination.flush!();
    expect(client.errors).toEqual(['[tally] Tally Cloud dropped 3 oldest events: queue full']);
    expect(proxy.ids()).toEqual(messages.slice(3).map((m) => m.messageId));
  });

  test('past maxBytes the oldest are dropped too', async () => {
    const { proxy, name } = setupProxy();
    const { destination, client } = await startTab(name, { maxBytes: 3000 });
    const messages = Array.from({ length: 4 }, () => track('Big', 1000));
    messages.forEach((m) => destination.track!(m));
    await destination.flush!();
    expect(client.errors).toEqual(['[tally] Tally Cloud dropped 2 oldest events: queue full']);
    expect(proxy.ids()).toEqual(messages.slice(2).map((m) => m.messageId));
  });

  test('10,000 calls in one loop: one storage write, all delivered in batches', async () => {
    const { proxy, name } = setupProxy();
    const storage = createMemoryStorage();
    const setMany = vi.spyOn(storage, 'setMany');
    const { destination, client } = await startTab(name, { storage });
    for (let i = 0; i < 10_000; i++) destination.track!(track());
    await destination.flush!();
    expect(setMany).toHaveBeenCalledTimes(1);
    expect(new Set(proxy.ids()).size).toBe(10_000);
    expect(proxy.requests).toHaveLength(100);
    expect(client.errors).toEqual([]);
  });
});
