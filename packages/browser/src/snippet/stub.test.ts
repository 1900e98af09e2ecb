// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"handleDisabledFileLoadingAsSuccess": true}}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STUB_METHODS, type SnippetStub } from '../snippet-protocol.js';
import { createStub, SNIPPET_VERSION } from './stub.js';

type Fn = (...args: unknown[]) => unknown;
const call = (stub: SnippetStub, method: string, ...args: unknown[]) => (stub[method] as Fn)(...args);
const injected = () => Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'));

describe('snippet stub', () => {
  let stub: SnippetStub;
  beforeEach(() => {
    document.head.innerHTML = '';
    document.body.innerHTML = '';
    stub = createStub(window);
  });
  afterEach(() => vi.useRealTimers());

  it('starts empty, unloaded, with the snippet version', () => {
    expect(stub._q).toEqual([]);
    expect(stub._loaded).toBe(false);
    expect(stub._v).toBe(SNIPPET_VERSION);
  });

  it('records every public method with its arguments, time and page, in call order', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    history.replaceState(null, '', '/shop/item?id=7');
    document.title = 'Item 7';
    for (const method of STUB_METHODS) call(stub, method, `${method}-arg`, { n: 1 });
    expect(stub._q.map(([method]) => method)).toEqual([...STUB_METHODS]);
    const [method, args, timestamp, page] = stub._q[STUB_METHODS.indexOf('track')]!;
    expect(method).toBe('track');
    expect(args).toEqual(['track-arg', { n: 1 }]);
    expect(timestamp).toBe(1_700_000_000_000);
    expect(page).toEqual({
      url: location.href,
      title: 'Item 7',
      referrer: document.referrer,
      path: '/shop/item',
      search: '?id=7',
    });
  });

  it('keeps the page each call was made on', () => {
    history.replaceState(null, '', '/a');
    call(stub, 'page');
    history.replaceState(null, '', '/b');
    call(stub, 'page');
    expect(stub._q.map((c) => c[3].path)).toEqual(['/a', '/b']);
  });

  it('answers getters with nobody instead of throwing while the bundle is missing', () => {
    const user = call(stub, 'user') as { id: Fn; anonymousId: Fn; traits: Fn };
    expect(user.id()).toBeNull();
    expect(user.anonymousId()).toBeNull();
    expect(user.traits()).toEqual({});
    const group = call(stub, 'group') as { id: Fn; traits: Fn };
    expect(group.id()).toBeNull();
    expect(group.traits()).toEqual({});
    expect(stub._q).toEqual([]);
  });

  it('queues group(id, traits) as a call', () => {
    call(stub, 'group', 'org-1', { plan: 'pro' });
    expect(stub._q.map(([m, a]) => [m, a])).toEqual([['group', ['org-1', { plan: 'pro' }]]]);
  });

  it('returns nothing from queued calls', () => {
    expect(call(stub, 'track', 'x')).toBeUndefined();
  });

  it('looks up _q.push per call, so the bundle can forward late calls on a kept stub', () => {
    const forwarded: unknown[] = [];
    stub._q.push = (...calls) => forwarded.push(...calls);
    call(stub, 'track', 'late');
    expect(stub._q.length).toBe(0);
    expect(forwarded).toEqual([['track', ['late'], expect.any(Number), expect.objectContaining({ path: location.pathname })]]);
  });

  it('injects one async bundle script from the same-origin default', () => {
    call(stub, 'load', 'key-1', { debug: true });
    const scripts = injected();
    expect(scripts).toHaveLength(1);
    expect(scripts[0]!.async).toBe(true);
    expect(scripts[0]!.getAttribute('src')).toBe('/tally.min.js');
    expect(stub._loaded).toBe(true);
    expect(stub._s).toEqual({ debug: true, writeKey: 'key-1' });
  });

  it('uses the src and nonce from settings', () => {
    call(stub, 'load', 'key-1', { src: 'https://cdn.example/t.js', nonce: 'n0nce' });
    const [script] = injected();
    expect(script!.getAttribute('src')).toBe('https://cdn.example/t.js');
    expect(script!.nonce).toBe('n0nce');
  });

  it('loads the bundle once however often load is called', () => {
    call(stub, 'load', 'key-1');
    call(stub, 'load', 'key-2');
    expect(injected()).toHaveLength(1);
    expect(stub._s).toEqual({ writeKey: 'key-1' });
  });
});

describe('snippet entry', () => {
  const host = window as unknown as { tally?: unknown };
  beforeEach(() => {
    delete host.tally;
    vi.resetModules();
  });

  it('installs the stub on window.tally', async () => {
    await import('./snippet.js');
    expect((host.tally as SnippetStub)._v).toBe(SNIPPET_VERSION);
  });

  it('leaves an existing client or stub in place', async () => {
    const existing = { track() {} };
    host.tally = existing;
    await import('./snippet.js');
    expect(host.tally).toBe(existing);
  });
});
