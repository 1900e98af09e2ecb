import { describe, expect, it } from 'vitest';
import { createEventStore } from '../src/event-store.js';
import { formPost, handlerWith, trackEvent } from './helpers.js';

const event = (i: number, insertId = `id-${i}`) => ({
  receivedAt: 0,
  endpoint: 'import' as const,
  region: 'us' as const,
  projectId: 1,
  event: 'E',
  distinctId: `u${i % 3}`,
  time: 1_700_000_000 + i,
  insertId: insertId as string | undefined,
  properties: Object.create(null) as Record<string, unknown>,
});

describe('event store', () => {
  it('evicts the oldest past the cap, together with its dedupe key and index entry', () => {
    const store = createEventStore(3);
    for (let i = 0; i < 5; i++) store.add(event(i));
    expect(store.list().map((e) => e.time - 1_700_000_000)).toEqual([4, 3, 2]);
    expect(store.stats()).toEqual({ stored: 3, evicted: 2, deduplicated: 0, dedupeKeys: 3 });
    expect(store.list({ distinctIds: ['u0'] }).map((e) => e.time - 1_700_000_000)).toEqual([3]);
    // The evicted event's key is gone, so a retry of it is stored again.
    expect(store.add(event(0))).toBe(true);
    expect(store.add(event(4))).toBe(false);
  });

  it('stores events without $insert_id without deduping them', () => {
    const store = createEventStore(10);
    store.add({ ...event(1), insertId: undefined });
    store.add({ ...event(1), insertId: undefined });
    expect(store.stats()).toMatchObject({ stored: 2, dedupeKeys: 0 });
  });

  it('filters by event, region and limit, newest first', () => {
    const store = createEventStore(10);
    store.add(event(1));
    store.add({ ...event(2), event: 'F', region: 'eu' });
    store.add(event(3));
    expect(store.list({ event: 'E', limit: 1 }).map((e) => e.time % 10)).toEqual([3]);
    expect(store.list({ region: 'eu' })).toHaveLength(1);
  });

  it('bounds rejections too and reports evictions in stats', async () => {
    const emu = handlerWith({ maxEvents: 2, maxRejections: 2 });
    await emu.handle(formPost('/track', [trackEvent(), trackEvent(), trackEvent(), { event: '' }, { event: '' }, { event: '' }]));
    expect(emu.store.stats()).toMatchObject({ events: { stored: 2, evicted: 1 }, rejections: { stored: 2, evicted: 1 } });
  });

  it('ingests 20,000 events in well under the time budget of a benchmark sink', async () => {
    const emu = handlerWith({ maxEvents: 5_000 });
    for (let batch = 0; batch < 10; batch++) {
      const res = await emu.handle(formPost('/track', Array.from({ length: 2000 }, () => trackEvent())));
      expect(res.body).toBe('1');
    }
    expect(emu.store.stats().events).toMatchObject({ stored: 5_000, evicted: 15_000, dedupeKeys: 5_000 });
  });
});
