// @vitest-environment happy-dom
import type { Message, TrackMessage } from '@tally/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnalytics } from './analytics.js';
import { createConsoleDestination } from './console-destination.js';
import { isEnabled } from './pipeline.js';
import { createRecorder, settle } from './recording-destination.js';
import type { BrowserDestination, ErrorInfo } from './types.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const events = (rec: ReturnType<typeof createRecorder>) =>
  (rec.messages().filter((m) => m.type === 'track') as TrackMessage[]).map((m) => m.event);

describe('middleware', () => {
  it('changes, replaces or drops messages before destinations; async is kept in order', async () => {
    const rec = createRecorder();
    const client = createAnalytics({
      persistence: 'memory',
      destinations: [rec.destination],
      middleware: [
        ({ message }) => (message.type === 'track' && message.event === 'drop' ? null : message),
        async ({ message }) => {
          await new Promise((r) => setTimeout(r, message.type === 'track' && message.event === 'slow' ? 20 : 0));
          return undefined; // keep as is
        },
      ],
    });
    client.addMiddleware(({ message }) => ({ ...message, context: { ...message.context, scrubbed: true } }) as Message);
    client.track('slow');
    client.track('drop');
    client.track('fast');
    await client.flush(); // queued behind the three, so it settles after the slow middleware
    expect(events(rec)).toEqual(['slow', 'fast']);
    expect(rec.messages().every((m) => m.context.scrubbed === true)).toBe(true);
  });

  it('drops the message and reports when a middleware throws', async () => {
    const rec = createRecorder();
    const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination] });
    const errors: ErrorInfo[] = [];
    client.on('error', (e) => errors.push(e));
    client.addMiddleware(() => {
      throw new Error('bad middleware');
    });
    client.track('A');
    await settle();
    expect(rec.messages()).toEqual([]);
    expect(errors).toMatchObject([{ method: 'middleware' }]);
  });
});

describe('destination isolation', () => {
  it('keeps delivering to others when one throws, rejects or hangs', async () => {
    const throwing: BrowserDestination = { name: 'Throw', load() {}, isLoaded: () => true, track: () => { throw new Error('sync'); } };
    const rejecting: BrowserDestination = { name: 'Reject', load() {}, isLoaded: () => true, track: () => Promise.reject(new Error('async')) };
    const hanging: BrowserDestination = { name: 'Hang', load() {}, isLoaded: () => true, track: () => new Promise(() => {}) };
    const badLoad: BrowserDestination = { name: 'BadLoad', load: () => { throw new Error('load'); }, isLoaded: () => { throw new Error('isLoaded'); } };
    const rec = createRecorder();
    const client = createAnalytics({ persistence: 'memory', destinations: [throwing, rejecting, hanging, badLoad, rec.destination] });
    const errors: ErrorInfo[] = [];
    client.on('error', (e) => errors.push(e));
    client.track('A');
    client.track('B');
    await client.ready();
    await settle();
    expect(events(rec)).toEqual(['A', 'B']);
    expect(errors.map((e) => `${e.destination}.${e.method}`).sort()).toEqual([
      'BadLoad.load',
      'Reject.track',
      'Reject.track',
      'Throw.track',
      'Throw.track',
    ]);
  });

  it('buffers calls until the destination is loaded, then delivers them in order', async () => {
    const rec = createRecorder('Late', { loaded: false });
    const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination] });
    client.track('1');
    client.identify('u1');
    client.reset();
    client.track('2');
    await settle();
    expect(rec.calls).toEqual([]);
    rec.setLoaded(true);
    await client.ready();
    await settle();
    expect(rec.calls.map(([m]) => m)).toEqual(['track', 'identify', 'reset', 'track']);
    expect(events(rec)).toEqual(['1', '2']);
  });

  it('gives up waiting after 10 s with an error, keeps buffering and delivers if it loads later', async () => {
    vi.useFakeTimers();
    const rec = createRecorder('Slow', { loaded: false });
    const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination] });
    const errors: ErrorInfo[] = [];
    client.on('error', (e) => errors.push(e));
    const ready = vi.fn();
    void client.ready(ready);
    client.track('early');
    await vi.advanceTimersByTimeAsync(9_000);
    expect(ready).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_100);
    expect(ready).toHaveBeenCalledTimes(1);
    expect(errors).toMatchObject([{ destination: 'Slow', method: 'load' }]);
    rec.setLoaded(true);
    client.track('late');
    await vi.advanceTimersByTimeAsync(0);
    expect(events(rec)).toEqual(['early', 'late']);
  });

  it('caps the buffer at 1,000 calls per destination, dropping the oldest with an error event', async () => {
    const rec = createRecorder('Never', { loaded: false });
    const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination] });
    let dropped = 0;
    client.on('error', (e) => (dropped += e.method === 'buffer' ? 1 : 0));
    for (let i = 0; i < 1005; i++) client.track(String(i));
    await settle();
    expect(dropped).toBe(5);
    rec.setLoaded(true);
    await client.ready();
    await settle();
    const got = events(rec);
    expect(got).toHaveLength(1000);
    expect(got[0]).toBe('5');
    expect(got.at(-1)).toBe('1004');
  });

  it('delivers 10,000 calls made in one loop', async () => {
    const rec = createRecorder();
    const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination] });
    for (let i = 0; i < 10_000; i++) client.track('e', { i });
    await client.flush();
    expect(rec.messages()).toHaveLength(10_000);
  });
});

describe('integrations option', () => {
  it('follows All / per-name semantics', () => {
    expect(isEnabled('Mixpanel', {})).toBe(true);
    expect(isEnabled('Mixpanel', { All: false })).toBe(false);
    expect(isEnabled('Mixpanel', { All: false, Mixpanel: true })).toBe(true);
    expect(isEnabled('Mixpanel', { All: false, Mixpanel: { apiKey: 'x' } })).toBe(true);
    expect(isEnabled('Mixpanel', { Mixpanel: false })).toBe(false);
  });

  it('routes each call to the destinations it enables', async () => {
    const a = createRecorder('Mixpanel');
    const b = createRecorder('Tally Cloud');
    const client = createAnalytics({ persistence: 'memory', destinations: [a.destination, b.destination], integrations: { 'Tally Cloud': false } });
    client.track('default');
    client.track('only-mixpanel', {}, { integrations: { All: false, Mixpanel: true } });
    client.track('cloud-too', {}, { integrations: { 'Tally Cloud': true } });
    await settle();
    expect(events(a)).toEqual(['default', 'only-mixpanel', 'cloud-too']);
    expect(events(b)).toEqual(['cloud-too']);
  });
});

describe('destinations', () => {
  it('ignores invalid and duplicate destinations', async () => {
    const rec = createRecorder();
    const client = createAnalytics({ persistence: 'memory' });
    client.addDestination(rec.destination);
    client.addDestination(rec.destination);
    client.addDestination({} as BrowserDestination);
    client.addDestination(null as unknown as BrowserDestination);
    client.track('once');
    await settle();
    expect(events(rec)).toEqual(['once']);
  });

  it('the console destination logs readably and reports delivered through the client', async () => {
    const lines: unknown[][] = [];
    const client = createAnalytics({ persistence: 'memory', destinations: [createConsoleDestination({ log: (...a) => lines.push(a) })] });
    const delivered: string[] = [];
    client.on('delivered', (d) => delivered.push(`${d.destination}:${d.message?.type}`));
    client.track('Signed Up', { plan: 'pro' });
    client.page('Docs', 'Intro');
    client.identify('u1');
    client.alias('u2');
    client.group('g1');
    client.reset();
    await client.flush();
    expect(lines.map((l) => l[0])).toEqual([
      '[tally console] track "Signed Up"',
      '[tally console] page Docs / Intro',
      '[tally console] identify u1',
      '[tally console] alias u1 → u2',
      '[tally console] group g1',
      '[tally console] reset',
      '[tally console] flush',
    ]);
    expect(lines[0]![1]).toEqual({ plan: 'pro' });
    expect(delivered).toEqual(['Console:track', 'Console:page', 'Console:identify', 'Console:alias', 'Console:group']);
  });
});
