// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnalytics } from './analytics.js';
import { doNotTrack } from './privacy.js';
import { createRecorder, settle } from './recording-destination.js';

let prefix = '';
let n = 0;
beforeEach(() => {
  prefix = `p${n++}_`;
  localStorage.clear();
});
afterEach(() => vi.unstubAllGlobals());

describe('opt-out', () => {
  it('dispatches nothing while opted out, tells destinations, and resumes after opt-in', async () => {
    const rec = createRecorder();
    const client = createAnalytics({ cookiePrefix: prefix, destinations: [rec.destination] });
    const seen: string[] = [];
    client.on('track', (m) => seen.push(m.event));
    client.track('before');
    client.optOut();
    expect(client.isOptedOut()).toBe(true);
    client.track('while out');
    client.identify('u1');
    client.page();
    await settle();
    client.optIn();
    expect(client.isOptedOut()).toBe(false);
    client.track('after');
    await settle();
    // `before` was still waiting in the queue when the user opted out: dropped too.
    expect(rec.calls.map(([m, a]) => (m === 'track' ? `track:${(a as { event: string }).event}` : `${m}:${String(a)}`))).toEqual([
      'setOptOut:true',
      'setOptOut:false',
      'track:after',
    ]);
    expect(seen).toEqual(['before', 'after']);
    expect(client.user().id()).toBeNull();
  });

  it('drops calls buffered for a destination that is still loading', async () => {
    const rec = createRecorder('Late', { loaded: false });
    const client = createAnalytics({ cookiePrefix: prefix, destinations: [rec.destination] });
    client.track('queued');
    await settle();
    client.optOut();
    rec.setLoaded(true);
    await client.ready();
    await settle();
    expect(rec.calls).toEqual([['setOptOut', true]]);
  });

  it('is persisted and announced to destinations on the next load', async () => {
    createAnalytics({ cookiePrefix: prefix }).optOut();
    const rec = createRecorder();
    const client = createAnalytics({ cookiePrefix: prefix, destinations: [rec.destination] });
    client.track('x');
    await settle();
    expect(client.isOptedOut()).toBe(true);
    expect(rec.calls).toEqual([['setOptOut', true]]);
  });

  it('drops calls queued before an opt-out even when the user opts back in at once', async () => {
    const rec = createRecorder();
    const client = createAnalytics({ cookiePrefix: prefix, destinations: [rec.destination] });
    const cb = vi.fn();
    client.track('A', cb);
    client.reset();
    client.optOut();
    client.optIn();
    client.track('B');
    await settle();
    expect(rec.calls.map(([m, a]) => (m === 'track' ? `track:${(a as { event: string }).event}` : `${m}:${String(a)}`))).toEqual([
      'setOptOut:true',
      'setOptOut:false',
      'track:B',
    ]);
    expect(cb).toHaveBeenCalledTimes(1);
  });
});

describe('Do Not Track', () => {
  it('reads the DNT flags and Global Privacy Control', () => {
    expect(doNotTrack({})).toBe(false);
    expect(doNotTrack({ navigator: { doNotTrack: '1' } as Navigator })).toBe(true);
    expect(doNotTrack({ navigator: { doNotTrack: 'yes' } as Navigator })).toBe(true);
    expect(doNotTrack({ navigator: { doNotTrack: '0' } as Navigator })).toBe(false);
    expect(doNotTrack({ navigator: {} as Navigator, doNotTrack: '1' })).toBe(true);
    expect(doNotTrack({ navigator: { globalPrivacyControl: true } as unknown as Navigator })).toBe(true);
  });

  it('behaves as opted out when respected, until the user explicitly opts in', async () => {
    vi.spyOn(navigator, 'doNotTrack', 'get').mockReturnValue('1');
    const rec = createRecorder();
    const ignoring = createAnalytics({ cookiePrefix: prefix, persistence: 'memory' });
    expect(ignoring.isOptedOut()).toBe(false);
    const client = createAnalytics({ cookiePrefix: prefix, respectDoNotTrack: true, destinations: [rec.destination] });
    expect(client.isOptedOut()).toBe(true);
    client.track('dropped');
    client.optIn();
    client.track('kept');
    await settle();
    expect(rec.calls.map(([m]) => m)).toEqual(['setOptOut', 'setOptOut', 'track']);
    expect(createAnalytics({ cookiePrefix: prefix, respectDoNotTrack: true }).isOptedOut()).toBe(false);
  });
});
