// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnalytics } from './analytics.js';
import { createRecorder, settle } from './recording-destination.js';

afterEach(() => vi.restoreAllMocks());

const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;
const GARBAGE: unknown[] = [undefined, null, 0, -1, Number.NaN, Infinity, '', ' ', true, Symbol('s'), () => 1, [], [1, 2], circular, new Date(NaN), BigInt(1), new Proxy({}, { ownKeys: () => { throw new Error('x'); } })];

describe('garbage arguments', () => {
  it('never throw into the page nor reject, whatever the arguments', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    const client = createAnalytics({ persistence: 'memory', debug: true, destinations: [createRecorder().destination] });
    const methods = Object.keys(client).filter((k) => typeof (client as unknown as Record<string, unknown>)[k] === 'function');
    expect(methods.length).toBeGreaterThan(20);
    for (const method of methods) {
      const fn = (client as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!;
      for (const a of GARBAGE) {
        for (const b of [undefined, ...GARBAGE.slice(0, 8)]) {
          expect(() => {
            const out = fn(a, b, a, b) as Promise<unknown> | undefined;
            if (out && typeof out.then === 'function') void out.then(() => {});
          }).not.toThrow();
        }
      }
    }
    await settle();
    await new Promise((r) => setTimeout(r, 350));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('warn once per bad call in debug mode, naming the call and the problem, and drop it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const rec = createRecorder();
    const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination] });
    client.track(42 as unknown as string);
    expect(warn).not.toHaveBeenCalled();
    client.debug(true);
    client.track(42 as unknown as string);
    client.identify(Symbol('x') as unknown as string);
    client.track('ok', 'nope' as never);
    client.register(5 as never);
    expect(warn.mock.calls.map(([text]) => text)).toEqual([
      '[tally] track(): event name must be a non-empty string',
      '[tally] identify(): id must be a non-empty string or number',
      '[tally] track(): properties must be an object',
      '[tally] register(): properties must be an object',
    ]);
    await settle();
    expect(rec.messages()).toEqual([]);
  });

  it('settings of the wrong types do not break the client', async () => {
    const garbage = { destinations: 5, middleware: 'x', persistence: 'bogus', cookiePrefix: 3, integrations: 'x', trackPageViews: 7, cookieExpiryDays: 'soon' };
    for (const settings of [garbage, null, 42, 'x', []]) {
      const client = createAnalytics(settings as never);
      expect(() => client.track('A')).not.toThrow();
      expect(client.user().anonymousId()).toEqual(expect.any(String));
    }
  });

  it('isolate throwing event listeners', async () => {
    const client = createAnalytics({ persistence: 'memory' });
    const later = vi.fn();
    client.on('track', () => {
      throw new Error('listener');
    });
    client.on('track', later);
    expect(() => client.track('A')).not.toThrow();
    expect(later).toHaveBeenCalledTimes(1);
  });

  it('work without a DOM (server-side rendering)', async () => {
    vi.stubGlobal('window', undefined);
    const client = createAnalytics();
    expect(() => {
      client.track('A');
      client.identify('u1');
      client.page();
    }).not.toThrow();
    expect(client.user().id()).toBe('u1');
    vi.unstubAllGlobals();
  });
});
