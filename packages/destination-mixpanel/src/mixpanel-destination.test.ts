// @vitest-environment happy-dom
import type { Message, TrackMessage } from '@tally/core';
import { mapToDevice, resolveMixpanelSettings, type MixpanelSettings } from '@tally/mixpanel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeMixpanel, type Call, type FakeInstance } from '../test/fake-mixpanel.js';
import { setup, TOKEN } from '../test/harness.js';
import type { MixpanelDestinationOptions } from './options.js';

afterEach(() => vi.restoreAllMocks());

const isIdSync = (c: Call) => c.method === 'register' && '$device_id' in (c.args[0] as object);
/** What the mapping says these messages become on mixpanel.js, in order. */
const expected = (messages: Message[], input: Partial<MixpanelDestinationOptions> = {}) => {
  const resolved = resolveMixpanelSettings({ token: TOKEN, ...input }, { side: 'device' });
  const settings = (resolved as { settings: MixpanelSettings }).settings;
  return messages.flatMap((m) => {
    const out = mapToDevice(m, settings, Date.now());
    if (!out.ok) throw new Error(out.rejection.message);
    return out.calls;
  });
};

/** Loaded and past the first (anonymous) identity sync, with an empty call log. */
async function ready(options: Partial<MixpanelDestinationOptions> = {}, client = {}) {
  const page = setup(options, client);
  page.mixpanelLoads();
  await page.tally.ready();
  page.tally.track('Warm Up');
  await page.settle();
  page.fake.take();
  page.sent.length = 0;
  return page;
}

describe('loading mixpanel.js', () => {
  it('injects the self-hosted copy async and starts a named instance with Tally’s settings', async () => {
    const page = setup({ apiHost: 'https://t.example.com/mp' }, { cookieDomain: '', secureCookie: true });
    expect(page.scripts).toHaveLength(1);
    expect(page.scripts[0]!.getAttribute('src')).toBe('/lib/mixpanel.min.js');
    expect(page.scripts[0]!.async).toBe(true);
    expect(page.destination.isLoaded()).toBe(false);
    page.mixpanelLoads();
    await page.tally.ready();
    expect(page.destination.isLoaded()).toBe(true);
    const instance = page.fake.instances.tally!;
    expect(instance.token).toBe(TOKEN);
    expect(instance.config).toMatchObject({ api_host: 'https://t.example.com/mp', track_pageview: false, secure_cookie: true, persistence: 'cookie' });
    expect((window as unknown as { mixpanel: Record<string, unknown> }).mixpanel.tally).toBe(instance);
  });

  it('uses src, integrity and nonce when given (e.g. Mixpanel’s CDN under a strict CSP)', () => {
    const src = 'https://cdn.mxpnl.com/libs/mixpanel-2-latest.min.js';
    const page = setup({ src, integrity: 'sha384-xyz', nonce: 'abc' });
    const script = page.scripts[0]!;
    expect([script.getAttribute('src'), script.integrity, script.crossOrigin, script.getAttribute('nonce')]).toEqual([src, 'sha384-xyz', 'anonymous', 'abc']);
  });

  it("reuses a site's loaded mixpanel.js through a named instance, leaving the site's own untouched", async () => {
    const siteInit = vi.fn();
    const site = { __loaded: true, init: siteInit };
    const page = setup({}, {}, site);
    await Promise.resolve();
    expect(page.scripts).toHaveLength(0);
    expect(siteInit).toHaveBeenCalledWith(TOKEN, expect.objectContaining({ track_pageview: false }), 'tally');
    expect((window as { mixpanel?: unknown }).mixpanel).toBe(site);
  });
});

describe('a site that already runs mixpanel.js', () => {
  it("gets a named instance at once from the loaded library (no second copy); the site's own instance stays its own", async () => {
    const site: Record<string, unknown> = { __SV: 1.2, _i: [['site-token', {}, 'mixpanel']] };
    (window as { mixpanel?: unknown }).mixpanel = site;
    const library = createFakeMixpanel();
    library.run();
    const page = setup({}, {}, site);
    page.tally.track('Ours');
    await page.settle();
    expect(page.scripts).toHaveLength(0);
    expect(library.instances.tally!.token).toBe(TOKEN);
    expect(library.calls.filter((c) => c.method === 'track').map((c) => c.args[0])).toEqual(['Ours']);
    expect(site.mixpanel).toBe(library.instances.mixpanel);
    expect(library.instances.mixpanel!.token).toBe('site-token');
  });
});

describe('buffering and replay', () => {
  it('replays calls made before mixpanel.js was ready in order, with their own time and $insert_id', async () => {
    const page = setup();
    page.tally.track('First', { n: 1 });
    page.tally.page();
    page.tally.track('Second', { n: 2 });
    await new Promise((r) => setTimeout(r, 20));
    expect(page.fake.calls).toEqual([]);
    page.mixpanelLoads();
    await page.settle();
    const calls = page.fake.calls.filter((c) => !isIdSync(c));
    expect(calls).toEqual(expected(page.sent));
    expect(calls.map((c) => c.args[0])).toEqual(['First', 'Loaded a Page', 'Second']);
    const first = page.sent[0] as TrackMessage;
    expect(calls[0]!.args[1]).toMatchObject({ n: 1, time: Date.parse(first.timestamp), $insert_id: first.messageId });
  });
});

describe('identity', () => {
  it("sets mixpanel.js's device id to Tally's anonymous id ($device: distinct_id under Simplified ID Merge)", async () => {
    const page = setup();
    page.tally.track('A');
    page.mixpanelLoads();
    await page.settle();
    const anonymousId = page.tally.user().anonymousId();
    expect(page.fake.calls[0]).toEqual({ method: 'register', args: [{ $device_id: anonymousId, distinct_id: `$device:${anonymousId}` }] });
    expect(page.fake.calls.filter(isIdSync)).toHaveLength(1);
  });

  it('uses the bare anonymous id as distinct_id under Original ID Merge, as cloud mode does', async () => {
    const page = setup({ identityMerge: 'original' });
    page.tally.track('A');
    page.mixpanelLoads();
    await page.settle();
    const anonymousId = page.tally.user().anonymousId();
    expect(page.fake.calls[0]!.args[0]).toEqual({ $device_id: anonymousId, distinct_id: anonymousId });
  });

  it('identifies first when a message names a user mixpanel.js does not know (its storage was cleared)', async () => {
    const page = await ready();
    const instance = page.fake.instances.tally as FakeInstance;
    page.tally.identify('u1');
    await page.settle();
    delete instance.props.$user_id;
    page.fake.take();
    page.tally.track('After');
    await page.settle();
    expect(page.fake.calls.map((c) => c.method)).toEqual(['identify', 'track']);
    expect(page.fake.calls[0]!.args).toEqual(['u1']);
  });

  it('reset() resets mixpanel.js, and the next call carries the new anonymous id', async () => {
    const page = await ready();
    page.tally.identify('u1');
    page.tally.reset();
    page.tally.track('Next');
    await page.settle();
    const fresh = page.tally.user().anonymousId();
    expect(page.fake.calls.map((c) => c.method)).toEqual(['identify', 'reset', 'register', 'track']);
    expect(page.fake.calls[2]!.args[0]).toEqual({ $device_id: fresh, distinct_id: `$device:${fresh}` });
  });
});

describe('mapping onto mixpanel.js (the calls mapToDevice decides)', () => {
  it('track → track(name, properties) with time, $insert_id and UTM campaign properties', async () => {
    const page = await ready();
    page.tally.track('Clicked', { button: 'buy' }, { context: { campaign: { name: 'spring', source: 'news', medium: 'email' } } });
    await page.settle();
    expect(page.fake.calls).toEqual(expected(page.sent));
    expect(page.fake.calls[0]!.args[1]).toMatchObject({ button: 'buy', utm_campaign: 'spring', utm_source: 'news', utm_medium: 'email' });
  });

  it('page/screen follow the consolidation settings', async () => {
    const page = await ready({ consolidatedPageCalls: false, trackNamedPages: true, trackCategorizedPages: true });
    page.tally.page('Docs', 'Install');
    page.tally.page('Home');
    page.tally.page();
    await page.settle();
    expect(page.fake.calls).toEqual(expected(page.sent, { consolidatedPageCalls: false, trackNamedPages: true, trackCategorizedPages: true }));
    expect(page.fake.calls.map((c) => c.args[0])).toEqual(['Viewed Docs Install Page', 'Viewed Home Page']);
  });

  it('identify → identify + register + people.set / set_once', async () => {
    const options = { people: true, setOnceProperties: ['createdAt'] };
    const page = await ready(options);
    page.tally.identify('u1', { email: 'a@example.com', plan: 'pro', createdAt: '2026-01-01' });
    await page.settle();
    expect(page.fake.calls).toEqual(expected(page.sent, options));
    expect(page.fake.calls).toEqual([
      { method: 'identify', args: ['u1'] },
      { method: 'register', args: [{ $email: 'a@example.com', plan: 'pro', $created: '2026-01-01' }] },
      { method: 'people.set', args: [{ $email: 'a@example.com', plan: 'pro' }] },
      { method: 'people.set_once', args: [{ $created: '2026-01-01' }] },
    ]);
  });

  it('eventIncrements → people.increment + Last {event}; revenue → people.append $transactions', async () => {
    const options = { people: true, eventIncrements: ['Order Completed'] };
    const page = await ready(options);
    page.tally.identify('u1');
    page.tally.track('Order Completed', { revenue: 30 });
    await page.settle();
    const order = page.sent[1] as TrackMessage;
    expect(page.fake.calls).toEqual(expected(page.sent, options));
    const iso = new Date(Date.parse(order.timestamp)).toISOString();
    expect(page.fake.calls.slice(1).map((c) => [c.method, c.args[0]])).toEqual([
      ['track', 'Order Completed'],
      ['people.set', { 'Last Order Completed': iso }],
      ['people.increment', { 'Order Completed': 1 }],
      ['people.append', { $transactions: { $time: iso, $amount: 30 } }],
    ]);
  });

  it('alias → alias(new, previous) under Original ID Merge; nothing but a debug warning under Simplified', async () => {
    const original = await ready({ identityMerge: 'original' });
    const anonymousId = original.tally.user().anonymousId();
    original.tally.alias('u1');
    await original.settle();
    expect(original.fake.calls).toEqual([{ method: 'alias', args: ['u1', anonymousId] }]);
    vi.restoreAllMocks();

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const simplified = await ready({}, { debug: true });
    simplified.tally.alias('u2');
    await simplified.settle();
    expect(simplified.fake.calls).toEqual([]);
    // The mapping's warnings are worded by key on the device (REJECTIONS/WARNINGS in @tally/mixpanel hold the sentences).
    expect(warn).toHaveBeenCalledWith('[tally] Mixpanel: aliasSimplified');
  });

  it('group → get_group.set, register of the key and people.union', async () => {
    const options = { people: true, groupKeys: ['company'] };
    const page = await ready(options);
    page.tally.identify('u1');
    page.tally.group('acme', { name: 'Acme' });
    await page.settle();
    expect(page.fake.calls).toEqual(expected(page.sent, options));
    expect(page.fake.calls.slice(1)).toEqual([
      { method: 'register', args: [{ company: ['acme'] }] },
      { method: 'people.union', args: [{ company: ['acme'] }] },
      { method: 'get_group.set', args: ['company', 'acme', { name: 'Acme' }] },
    ]);
  });

  it("Tally's super properties arrive inside each event, never registered in mixpanel.js (unregister then really removes them)", async () => {
    const page = await ready();
    page.tally.register({ plan: 'pro' });
    page.tally.track('A');
    page.tally.unregister('plan');
    page.tally.track('B');
    await page.settle();
    expect(page.fake.calls.map((c) => c.method)).toEqual(['track', 'track']);
    expect(page.fake.calls[0]!.args[1]).toMatchObject({ plan: 'pro' });
    expect(page.fake.calls[1]!.args[1]).not.toHaveProperty('plan');
  });

  it('a message the mapping rejects is reported as an error and sends nothing', async () => {
    const page = await ready();
    page.tally.track('Future', {}, { timestamp: new Date(Date.now() + 3 * 3600_000) });
    await page.settle();
    await Promise.resolve();
    expect(page.fake.calls).toEqual([]);
    expect(page.errors).toHaveLength(1);
    expect(page.errors[0]).toMatchObject({ destination: 'Mixpanel', method: 'track' });
    expect(String(page.errors[0]!.error)).toMatch(/\[tally\] Mixpanel: not sent: time_in_future: \d{4}-/);
  });
});

describe('privacy, reset and flush', () => {
  it('optOut → opt_out_tracking (the profile is kept); optIn → opt_in_tracking without a $opt_in event', async () => {
    const page = await ready();
    page.tally.optOut();
    page.tally.track('Hidden');
    page.tally.optIn();
    page.tally.track('Seen');
    await page.settle();
    expect(page.fake.calls.map((c) => [c.method, c.method === 'track' ? c.args[0] : c.args[0]])).toEqual([
      ['opt_out_tracking', { delete_user: false }],
      ['opt_in_tracking', { track: false }],
      ['track', 'Seen'],
    ]);
  });

  it('an opt-out made while mixpanel.js loads drops the buffered calls and reaches mixpanel.js alone', async () => {
    const page = setup();
    page.tally.track('Before');
    page.tally.optOut();
    page.tally.track('During');
    page.mixpanelLoads();
    await page.settle();
    const methods = page.fake.calls.filter((c) => !isIdSync(c)).map((c) => c.method);
    expect(methods).toEqual(['opt_out_tracking']);
  });

  it('flush() sends nothing by itself while mixpanel.js runs', async () => {
    const page = await ready();
    await page.tally.flush();
    expect(page.fake.calls).toEqual([]);
  });
});
