// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnalytics } from './analytics.js';
import { createIdentity } from './identity.js';
import { createRecorder, settle, setUrl } from './recording-destination.js';
import { createMemoryStore, type Store } from './storage/store.js';

let prefix = '';
let n = 0;
beforeEach(() => {
  setUrl('https://shop.example.com/');
  prefix = `t${n++}_`;
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

// happy-dom defines `cookie` on a prototype further up than the global `Document`.
// (and `setItem` above the global `Storage`).
const owner = (start: object, name: string): object => {
  let p = start;
  while (!Object.getOwnPropertyNames(p).includes(name)) p = Object.getPrototypeOf(p) as object;
  return p;
};
const cookieOwner = () => owner(document, 'cookie');

/** A Storage stand-in (happy-dom's own cannot be spied on), optionally refusing writes. */
function fakeStorage({ refuse = false } = {}) {
  const map = new Map<string, string>();
  const setItem = vi.fn((key: string, value: string) => {
    if (refuse) throw new Error('QuotaExceededError');
    map.set(key, value);
  });
  return {
    getItem: (key: string) => map.get(key) ?? null,
    setItem,
    removeItem: (key: string) => void map.delete(key),
    clear: () => map.clear(),
  };
}

const cookieValue = (name: string) =>
  document.cookie
    .split('; ')
    .find((c) => c.startsWith(name + '='))
    ?.slice(name.length + 1);

describe('persistence across reloads', () => {
  it('keeps ids, traits, group, super properties and opt-out in cookie mode', () => {
    const first = createAnalytics({ cookiePrefix: prefix });
    first.identify('u1', { email: 'a@b.c' });
    first.group('g1', { plan: 'pro' });
    first.register({ app: 'web' });
    const anonymousId = first.user().anonymousId();
    expect(cookieValue(prefix + 'aid')).toBe(anonymousId);
    expect(cookieValue(prefix + 'uid')).toBe('u1');
    expect(first.settings.cookieDomain).toBe('example.com');

    const second = createAnalytics({ cookiePrefix: prefix });
    expect(second.user().anonymousId()).toBe(anonymousId);
    expect(second.user().id()).toBe('u1');
    expect(second.user().traits()).toEqual({ email: 'a@b.c' });
    expect(second.group().id()).toBe('g1');
    expect(second.group().traits()).toEqual({ plan: 'pro' });
    second.optOut();
    expect(createAnalytics({ cookiePrefix: prefix }).isOptedOut()).toBe(true);
  });

  it('lets the shared cookie win over localStorage on load', () => {
    localStorage.setItem(prefix + 'aid', 'from-storage');
    document.cookie = `${prefix}aid=from-cookie; Path=/`;
    expect(createAnalytics({ cookiePrefix: prefix }).user().anonymousId()).toBe('from-cookie');
    expect(localStorage.getItem(prefix + 'aid')).toBe('from-cookie');
  });

  it('keeps identity in localStorage mode without cookies', () => {
    const first = createAnalytics({ cookiePrefix: prefix, persistence: 'localStorage' });
    first.identify('u1');
    expect(cookieValue(prefix + 'uid')).toBeUndefined();
    expect(createAnalytics({ cookiePrefix: prefix, persistence: 'localStorage' }).user().id()).toBe('u1');
  });

  it('forgets everything on reload with memory or none', () => {
    for (const persistence of ['memory', 'none'] as const) {
      const first = createAnalytics({ cookiePrefix: prefix, persistence });
      first.identify('u1');
      expect(first.user().id()).toBe('u1');
      expect(createAnalytics({ cookiePrefix: prefix, persistence }).user().id()).toBeNull();
    }
  });

  it('keeps tracking in memory when storage and cookies throw', async () => {
    vi.stubGlobal('localStorage', fakeStorage({ refuse: true }));
    vi.stubGlobal('sessionStorage', fakeStorage({ refuse: true }));
    vi.spyOn(cookieOwner() as Document, 'cookie', 'set').mockImplementation(() => {
      throw new Error('SecurityError');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const rec = createRecorder();
    const client = createAnalytics({ cookiePrefix: prefix, debug: true, destinations: [rec.destination] });
    client.identify('u1');
    client.track('A');
    await settle();
    expect(rec.messages().map((m) => m.userId)).toEqual(['u1', 'u1']);
    expect(warn.mock.calls.some(([text]) => String(text).startsWith('[tally] storage(): '))).toBe(true);
  });
});

describe('cheap calls', () => {
  it('never reads or writes document.cookie or storage per track; writes only when identity changes', async () => {
    const storage = fakeStorage();
    vi.stubGlobal('localStorage', storage);
    const client = createAnalytics({ cookiePrefix: prefix });
    storage.setItem.mockClear();
    const get = vi.spyOn(cookieOwner() as Document, 'cookie', 'get');
    const set = vi.spyOn(cookieOwner() as Document, 'cookie', 'set');
    const setItem = storage.setItem;
    for (let i = 0; i < 100; i++) client.track('A', { i });
    client.page();
    await settle();
    expect(get).not.toHaveBeenCalled();
    expect(set).not.toHaveBeenCalled();
    expect(setItem).not.toHaveBeenCalled();
    client.identify('u1');
    client.identify('u1');
    expect(set).toHaveBeenCalledTimes(1);
    client.register({ a: 1 });
    client.register({ a: 1 });
    expect(setItem.mock.calls.filter(([key]) => key === prefix + 'props')).toHaveLength(1);
    expect(get).not.toHaveBeenCalled();
  });
});

describe('other tabs', () => {
  it('picks up another tab’s identity change from the storage event', () => {
    const tab1 = createAnalytics({ cookiePrefix: prefix });
    const tab2 = createAnalytics({ cookiePrefix: prefix });
    expect(tab2.user().anonymousId()).toBe(tab1.user().anonymousId());
    tab2.identify('u9', { a: 1 });
    expect(tab1.user().id()).toBeNull();
    window.dispatchEvent(new StorageEvent('storage', { key: prefix + 'uid' }));
    expect(tab1.user().id()).toBe('u9');
    expect(tab1.user().traits()).toEqual({ a: 1 });
    tab2.reset();
    window.dispatchEvent(new StorageEvent('storage', { key: prefix + 'aid' }));
    expect(tab1.user().id()).toBeNull();
    expect(tab1.user().anonymousId()).toBe(tab2.user().anonymousId());
  });

  it('tells its destinations when another tab opts out', async () => {
    const rec = createRecorder();
    const tab1 = createAnalytics({ cookiePrefix: prefix, destinations: [rec.destination] });
    createAnalytics({ cookiePrefix: prefix }).optOut();
    window.dispatchEvent(new StorageEvent('storage', { key: prefix + 'optout' }));
    expect(tab1.isOptedOut()).toBe(true);
    await settle();
    expect(rec.calls).toEqual([['setOptOut', true]]);
  });
});

describe('identity store', () => {
  it('writes only changed fields and removes cleared ones', () => {
    const writes: string[] = [];
    const spy = (store: Store): Store => ({
      ...store,
      set: (k, v) => {
        writes.push(`set ${k}`);
        store.set(k, v);
      },
      remove: (k) => {
        writes.push(`remove ${k}`);
        store.remove(k);
      },
    });
    const identity = createIdentity({ ids: spy(createMemoryStore()), bulk: spy(createMemoryStore()) });
    expect(writes).toEqual(['set aid']);
    identity.set({ userId: 'u1', traits: { a: 1 } });
    identity.set({ userId: 'u1', traits: { a: 1 } });
    identity.set({ userId: null, traits: {} });
    expect(writes).toEqual(['set aid', 'set uid', 'set traits', 'remove uid', 'remove traits']);
  });

  it('survives corrupt stored values', () => {
    const bulk = createMemoryStore();
    bulk.set('traits', '{not json');
    bulk.set('props', '[1,2]');
    const identity = createIdentity({ ids: createMemoryStore(), bulk });
    expect(identity.state.traits).toEqual({});
    expect(identity.state.props).toEqual({});
  });
});
