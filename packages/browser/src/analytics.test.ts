// @vitest-environment happy-dom
import type { IdentifyMessage, PageMessage, TrackMessage } from '@tally/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnalytics } from './analytics.js';
import { createRecorder, settle, setUrl } from './recording-destination.js';
import { VERSION } from './version.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(settings: Parameters<typeof createAnalytics>[0] = {}) {
  const rec = createRecorder();
  const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination], ...settings });
  return { client, rec };
}

beforeEach(() => {
  setUrl('https://shop.example.com/products/1?ref=x');
  document.title = 'Product 1';
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('messages', () => {
  it('builds a Segment-spec track message with full context', async () => {
    const { client, rec } = setup();
    client.track('Order Completed', { revenue: 30 });
    await settle();
    const [m] = rec.messages() as TrackMessage[];
    expect(m).toMatchObject({
      type: 'track',
      event: 'Order Completed',
      properties: { revenue: 30 },
      userId: null,
      integrations: {},
    });
    expect(m!.messageId).toMatch(UUID);
    expect(m!.anonymousId).toMatch(UUID);
    expect(Date.parse(m!.timestamp)).not.toBeNaN();
    expect(m!.context).toMatchObject({
      library: { name: 'tally.js', version: VERSION },
      page: { path: '/products/1', search: '?ref=x', title: 'Product 1', url: 'https://shop.example.com/products/1?ref=x' },
      userAgent: navigator.userAgent,
      locale: navigator.language,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
    });
  });

  it('fills page properties and name/category', async () => {
    const { client, rec } = setup();
    client.page('Docs', 'Intro', { extra: 1 });
    await settle();
    const [m] = rec.messages() as PageMessage[];
    expect(m).toMatchObject({ type: 'page', name: 'Intro', category: 'Docs' });
    expect(m!.properties).toEqual({
      path: '/products/1',
      referrer: document.referrer,
      search: '?ref=x',
      title: 'Product 1',
      url: 'https://shop.example.com/products/1?ref=x',
      extra: 1,
      name: 'Intro',
      category: 'Docs',
    });
  });

  it('sends screen, alias and group messages', async () => {
    const { client, rec } = setup();
    client.screen('Home', { a: 1 });
    client.identify('u1');
    client.alias('u2');
    client.alias('u3', 'u0');
    client.group('g1', { plan: 'pro' });
    await settle();
    const [screenM, , a1, a2, g] = rec.messages();
    expect(screenM).toMatchObject({ type: 'screen', name: 'Home', properties: { a: 1, name: 'Home' } });
    expect(a1).toMatchObject({ type: 'alias', userId: 'u2', previousId: 'u1' });
    expect(a2).toMatchObject({ type: 'alias', userId: 'u3', previousId: 'u0' });
    expect(g).toMatchObject({ type: 'group', groupId: 'g1', traits: { plan: 'pro' }, userId: 'u1' });
    expect(client.group().id()).toBe('g1');
    expect(client.group().traits()).toEqual({ plan: 'pro' });
  });

  it('applies options: integrations, context, timestamp, anonymousId', async () => {
    const { client, rec } = setup({ integrations: { Other: false } });
    client.track('A', {}, {
      integrations: { All: false, Recorder: true },
      context: { page: { title: 'Override' }, ip: '0' },
      timestamp: new Date(Date.UTC(2026, 0, 1)),
      anonymousId: 'anon-x',
    });
    client.track('B', {}, { timestamp: '2026-02-03T04:05:06Z' });
    await settle();
    const [a, b] = rec.messages();
    expect(a!.integrations).toEqual({ Other: false, All: false, Recorder: true });
    expect(a!.context.page).toMatchObject({ title: 'Override', path: '/products/1' });
    expect(a!.context.ip).toBe('0');
    expect(a!.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(a!.anonymousId).toBe('anon-x');
    expect(b!.timestamp).toBe('2026-02-03T04:05:06.000Z');
  });

  it('emits an event per call', async () => {
    const { client } = setup();
    const seen: string[] = [];
    const onTrack = (m: TrackMessage) => seen.push(m.event);
    client.on('track', onTrack);
    client.on('identify', (m) => seen.push(`id:${m.userId}`));
    client.track('A');
    client.identify('u1');
    client.off('track', onTrack);
    client.track('B');
    expect(seen).toEqual(['A', 'id:u1']);
  });
});

describe('identity', () => {
  it('merges traits for the same user and starts fresh for a new one', async () => {
    const { client, rec } = setup();
    client.identify('u1', { a: 1 });
    client.identify({ b: 2 });
    client.identify('u1', { c: 3 });
    expect(client.user().traits()).toEqual({ a: 1, b: 2, c: 3 });
    client.identify('u2', { d: 4 });
    expect(client.user().traits()).toEqual({ d: 4 });
    expect(client.user().id()).toBe('u2');
    await settle();
    const last = rec.messages().at(-1) as IdentifyMessage;
    expect(last).toMatchObject({ userId: 'u2', traits: { d: 4 } });
  });

  it('keeps the anonymous id', () => {
    const { client } = setup();
    const id = client.user().anonymousId();
    expect(id).toMatch(UUID);
    expect(client.user().anonymousId()).toBe(id);
  });

  it('merges super properties into track, page and screen; explicit properties win', async () => {
    const { client, rec } = setup();
    client.register({ plan: 'pro', app: 'web' });
    client.registerOnce({ plan: 'free', first: true });
    client.unregister('app');
    client.track('A', { plan: 'override' });
    client.page();
    client.screen('S');
    client.identify('u1', { t: 1 });
    await settle();
    const [t, p, s, i] = rec.messages() as TrackMessage[];
    expect(t!.properties).toEqual({ plan: 'override', first: true });
    expect(p!.properties).toMatchObject({ plan: 'pro', first: true });
    expect(s!.properties).toMatchObject({ plan: 'pro', first: true });
    expect((i as unknown as IdentifyMessage).traits).toEqual({ t: 1 });
  });

  it('reset clears user, traits, group and super properties, rotates the anonymous id and tells destinations', async () => {
    const { client, rec } = setup();
    const resets: unknown[] = [];
    client.on('reset', () => resets.push(1));
    client.identify('u1', { a: 1 });
    client.group('g1', { b: 2 });
    client.register({ c: 3 });
    const before = client.user().anonymousId();
    client.track('before');
    client.reset();
    client.track('after');
    await settle();
    expect(client.user().id()).toBeNull();
    expect(client.user().traits()).toEqual({});
    expect(client.group().id()).toBeNull();
    expect(client.group().traits()).toEqual({});
    expect(client.user().anonymousId()).not.toBe(before);
    expect(resets).toEqual([1]);
    expect(rec.calls.map(([m]) => m)).toEqual(['identify', 'group', 'track', 'reset', 'track']);
    const after = rec.messages().at(-1)!;
    expect(after).toMatchObject({ userId: null, anonymousId: client.user().anonymousId(), properties: {} });
  });

  it('copies properties defensively, once', async () => {
    const { client, rec } = setup();
    const props: Record<string, unknown> = { when: new Date(Date.UTC(2026, 0, 1)), fn: () => 1 };
    props.self = props;
    client.track('A', props);
    props.late = 1;
    await settle();
    expect((rec.messages()[0] as TrackMessage).properties).toEqual({ when: '2026-01-01T00:00:00.000Z' });
  });
});
