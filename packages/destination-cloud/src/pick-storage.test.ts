// @vitest-environment happy-dom
// No fake-indexeddb here: happy-dom has no IndexedDB, as in a browser that blocks it.
import { afterEach, expect, test, vi } from 'vitest';
import { pickStorage } from './pick-storage.js';
import { setupProxy, startTab, stopTabs } from '../test/harness.js';
import { track } from '../test/messages.js';

afterEach(async () => {
  await stopTabs();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  localStorage.clear();
});

test('without IndexedDB the queue goes to localStorage, with a warning', async () => {
  const warn = vi.fn();
  const store = await pickStorage('pick-1', warn);
  await store.setMany([['k1', '{"a":1}']]);
  expect(localStorage.getItem('pick-1.q.k1')).toBe('{"a":1}');
  expect(warn).toHaveBeenCalledWith('no IndexedDB, queueing in localStorage');
});

test('without IndexedDB and localStorage the queue is kept in memory, with a warning per step', async () => {
  const before = Object.getOwnPropertyDescriptor(globalThis, 'localStorage')!;
  // Browsers with storage blocked throw on the mere access to `localStorage`.
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('blocked', 'SecurityError');
    },
  });
  const warn = vi.fn();
  const store = await pickStorage('pick-2', warn).finally(() => Object.defineProperty(globalThis, 'localStorage', before));
  await store.setMany([['k1', 'v']]);
  expect(await store.getMany(['k1'])).toEqual(['v']);
  expect(warn.mock.calls.map((c) => c[0])).toEqual([
    'no IndexedDB, queueing in localStorage',
    'no localStorage, queueing in memory',
  ]);
});

test('the destination works on the localStorage fallback and says so in debug mode', async () => {
  const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const { proxy, name } = setupProxy();
  const { destination, client } = await startTab(name, {}, { debug: true });
  const message = track();
  destination.track!(message);
  await vi.waitFor(() => expect(Object.keys(localStorage).some((k) => k.startsWith(`${name}.q.`))).toBe(true));
  await destination.flush!();
  expect(proxy.ids()).toEqual([message.messageId]);
  expect(client.delivered).toEqual([1]);
  expect(Object.keys(localStorage).filter((k) => k.startsWith(`${name}.q.`))).toEqual([]);
  expect(consoleWarn).toHaveBeenCalledWith('[tally] Tally Cloud: no IndexedDB, queueing in localStorage');
});
