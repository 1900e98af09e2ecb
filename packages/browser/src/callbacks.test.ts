// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnalytics } from './analytics.js';
import { createRecorder, settle, setUrl } from './recording-destination.js';

function setup(settings: Parameters<typeof createAnalytics>[0] = {}) {
  const rec = createRecorder();
  const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination], ...settings });
  return { client, rec };
}

beforeEach(() => setUrl('https://shop.example.com/products/1'));
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('callbacks and lifecycle', () => {
  it('calls the callback once, after delivery, with the message', async () => {
    const { client } = setup();
    const cb = vi.fn();
    client.track('A', {}, {}, cb);
    expect(cb).not.toHaveBeenCalled();
    await settle();
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cb.mock.calls[0]![0]).toMatchObject({ event: 'A' });
  });

  it('calls the callback after 300 ms when a destination hangs', async () => {
    vi.useFakeTimers();
    const hanging = { name: 'Hang', load() {}, isLoaded: () => true, track: () => new Promise<void>(() => {}) };
    const client = createAnalytics({ persistence: 'memory', destinations: [hanging] });
    const cb = vi.fn();
    client.track('A', cb);
    await vi.advanceTimersByTimeAsync(299);
    expect(cb).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(cb).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it('calls the callback of a dropped call and isolates a throwing callback', async () => {
    const { client } = setup();
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e.method));
    const cb = vi.fn(() => {
      throw new Error('site bug');
    });
    client.track('', cb);
    client.optOut();
    client.page(cb);
    await settle();
    expect(cb).toHaveBeenCalledTimes(2);
    expect(errors).toEqual(['callback', 'callback']);
  });

  it('ready waits for the destinations and fires once; flush reaches every destination', async () => {
    const rec = createRecorder('Late', { loaded: false });
    const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination] });
    const order: string[] = [];
    client.on('ready', () => order.push('event'));
    const ready = client.ready(() => order.push('callback'));
    await client.flush(); // does not wait for a destination that has not loaded
    await settle();
    expect(order).toEqual([]);
    rec.setLoaded(true);
    await ready;
    expect(order).toEqual(['event', 'callback']);
    await client.flush();
    expect(rec.calls.map(([m]) => m)).toEqual(['flush', 'flush']);
    expect(rec.client).toBe(client);
  });

  it('gives destinations the resolved settings', async () => {
    let seen: unknown;
    const d = { name: 'S', load: (s: unknown) => void (seen = s), isLoaded: () => true };
    createAnalytics({ persistence: 'memory', destinations: [d], writeKey: 'wk' });
    await settle();
    expect(seen).toMatchObject({ writeKey: 'wk', persistence: 'memory', cookiePrefix: 'tally_', cookieExpiryDays: 365, cookieDomain: '' });
  });

  it('logs readable lines in debug mode only', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { client } = setup();
    client.track('Quiet');
    expect(log).not.toHaveBeenCalled();
    client.debug(true);
    client.track('Loud');
    expect(log).toHaveBeenCalledWith('[tally] track Loud', expect.objectContaining({ event: 'Loud' }));
    client.debug(false);
    client.track('Quiet');
    expect(log).toHaveBeenCalledTimes(1);
  });
});
