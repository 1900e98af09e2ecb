// @vitest-environment happy-dom
import type { PageMessage, TrackMessage } from '@tally/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { install } from './install.js';
import { createRecorder, settle, setUrl } from './recording-destination.js';
import { CLIENT_MARK, type QueuedCall, type SnippetStub } from './snippet-protocol.js';
import type { Analytics } from './types.js';

const win = window as unknown as Record<string, unknown>;

beforeEach(() => {
  delete win.tally;
  delete win.tallySettings;
  setUrl('https://example.com/now');
  document.title = 'Now';
});
afterEach(() => vi.restoreAllMocks());

/** A stub shaped like the snippet's, recording calls into `_q`. */
function stub(settings?: object): SnippetStub {
  const s: SnippetStub = { _q: [], _v: '1', _loaded: true, ...(settings && { _s: settings }) };
  for (const method of ['track', 'page', 'identify', 'addDestination', 'register', 'ready']) {
    s[method] = (...args: unknown[]) => s._q.push([method, args, Date.now(), { url: location.href, title: document.title, referrer: document.referrer, path: location.pathname, search: location.search }]);
  }
  return s;
}

const callStub = (s: SnippetStub, method: string, ...args: unknown[]) => (s[method] as (...a: unknown[]) => void)(...args);

describe('install', () => {
  it('installs a marked client, using window.tallySettings', () => {
    win.tallySettings = { persistence: 'memory', cookiePrefix: 'x_' };
    install(win);
    const client = win.tally as Analytics;
    expect((client as unknown as Record<string, unknown>)[CLIENT_MARK]).toBe(true);
    expect(client.settings.cookiePrefix).toBe('x_');
  });

  it('leaves a real client alone when the bundle loads twice, only adding the new bundle’s destinations', async () => {
    win.tallySettings = { persistence: 'memory' };
    install(win);
    const first = win.tally as Analytics;
    const rec = createRecorder();
    install(win, [rec.destination]);
    expect(win.tally).toBe(first);
    first.track('once');
    await settle();
    expect(rec.messages()).toHaveLength(1);
  });

  it('replays queued calls before the first automatic page view', async () => {
    const s = stub({ persistence: 'memory', trackPageViews: 'history' });
    callStub(s, 'track', 'Queued');
    win.tally = s;
    const rec = createRecorder();
    install(win, [rec.destination]);
    await settle();
    expect(rec.messages().map((m) => m.type)).toEqual(['track', 'page']);
  });

  it('adds a script-tag build’s destinations before replaying the queue', async () => {
    const s = stub({ persistence: 'memory' });
    callStub(s, 'track', 'Queued');
    win.tally = s;
    const rec = createRecorder();
    install(win, [rec.destination]);
    await settle();
    expect((rec.messages()[0] as TrackMessage).event).toBe('Queued');
  });

  it('replays queued calls in order with their own time and page, then swaps in the client', async () => {
    const s = stub({ persistence: 'memory', writeKey: 'wk' });
    const rec = createRecorder();
    const ready = vi.fn();
    callStub(s, 'addDestination', rec.destination);
    callStub(s, 'register', { source: 'snippet' });
    const early: QueuedCall = ['track', ['Early', { a: 1 }], Date.UTC(2026, 0, 1, 12), { url: 'https://example.com/then?utm_source=x', title: 'Then', referrer: 'https://google.com/', path: '/then', search: '?utm_source=x' }];
    s._q.push(early);
    s._q.push(['page', ['Home'], Date.UTC(2026, 0, 1, 12, 1), { url: 'https://example.com/then', title: 'Then', referrer: 'https://google.com/', path: '/then', search: '' }]);
    callStub(s, 'identify', 'u1');
    callStub(s, 'ready', ready);
    s._q.push(['nonsense', [], 0, early[3]]);
    s._q.push('garbage' as unknown as QueuedCall);
    win.tally = s;

    install(win);
    const client = win.tally as Analytics;
    expect(client).not.toBe(s);
    expect(client.settings.writeKey).toBe('wk');
    await settle();
    const [track, page, identify] = rec.messages() as [TrackMessage, PageMessage, TrackMessage];
    expect(track).toMatchObject({ event: 'Early', properties: { a: 1, source: 'snippet' }, timestamp: '2026-01-01T12:00:00.000Z' });
    expect(track.context.page).toEqual({ url: 'https://example.com/then?utm_source=x', title: 'Then', referrer: 'https://google.com/', path: '/then', search: '?utm_source=x' });
    expect(page).toMatchObject({ type: 'page', name: 'Home', timestamp: '2026-01-01T12:01:00.000Z' });
    expect(page.properties).toMatchObject({ url: 'https://example.com/then', title: 'Then', path: '/then', name: 'Home' });
    expect(identify).toMatchObject({ type: 'identify', userId: 'u1', context: { page: { url: 'https://example.com/now', title: 'Now' } } });
    expect(ready).toHaveBeenCalledTimes(1);
    expect(s._q).toHaveLength(0);

    // Someone kept the stub: its calls still reach the client.
    callStub(s, 'track', 'Late');
    await settle();
    expect((rec.messages().at(-1) as TrackMessage).event).toBe('Late');
  });
});
