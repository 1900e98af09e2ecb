// @vitest-environment happy-dom
import type { Message } from '@tally/core';
import { createMemoryStorage } from '@tally/destination-cloud';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordingFallback, setup } from '../test/harness.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const ids = (list: (Message | string)[]) => list.map((m) => (typeof m === 'string' ? m : m.messageId));

describe('fallback to cloud mode', () => {
  it('when mixpanel.js fails to load: buffered and later calls go to the fallback, in order, once; a late load is ignored', async () => {
    const cloud = createRecordingFallback();
    const page = setup({ fallback: cloud.destination });
    page.tally.track('One');
    page.tally.identify('u1', { plan: 'pro' });
    page.tally.page();
    page.mixpanelFails();
    await page.settle();
    page.tally.track('Two');
    page.tally.group('acme');
    await page.settle();
    expect(ids(cloud.received)).toEqual([...ids(page.sent.slice(0, 3)), 'flush', ...ids(page.sent.slice(3)), 'flush']);
    // The same message objects: times and ids are those of the original calls.
    expect(cloud.received[0]).toEqual(page.sent[0]);

    page.fake.run(); // mixpanel.js turns up after all
    page.tally.track('Three');
    await page.settle();
    expect(page.fake.calls).toEqual([]);
    expect(ids(cloud.received).filter((id) => id !== 'flush')).toEqual(ids(page.sent));
    expect(new Set(ids(page.sent)).size).toBe(page.sent.length);
  });

  it('when mixpanel.js is not ready within the timeout (e.g. blocked silently): the same, and a late load sends nothing', async () => {
    const cloud = createRecordingFallback();
    const page = setup({ fallback: cloud.destination, timeout: 30 });
    page.tally.track('One');
    page.tally.track('Two');
    await page.settle();
    expect(ids(cloud.received)).toEqual([...ids(page.sent), 'flush']);
    page.mixpanelLoads();
    page.tally.track('Late');
    await page.settle();
    expect(page.fake.calls).toEqual([]);
    expect(cloud.received.filter((m) => typeof m !== 'string')).toEqual(page.sent);
    expect(page.errors).toEqual([]);
  });

  it('hands reset, flush and opt-out to the fallback in call order', async () => {
    const cloud = createRecordingFallback();
    const page = setup({ fallback: cloud.destination });
    page.tally.track('A');
    page.tally.reset();
    page.tally.optOut();
    page.tally.optIn();
    page.tally.track('B');
    page.mixpanelFails();
    await page.settle();
    // optOut drops what the client still buffered (A), as it does for every destination.
    expect(cloud.received.map((m) => (typeof m === 'string' ? m : m.type))).toEqual(['setOptOut:true', 'setOptOut:false', 'track', 'flush']);
  });

  it('falls back on invalid settings too, naming the bad field', async () => {
    const cloud = createRecordingFallback();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = setup({ fallback: cloud.destination, trackNamedPage: true } as never, { debug: true });
    page.tally.track('A');
    await page.settle();
    expect(page.scripts).toHaveLength(0);
    expect(ids(cloud.received)).toEqual([...ids(page.sent), 'flush']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('[tally] Mixpanel: invalid settings: trackNamedPage: unknown setting; sending through the cloud fallback'));
  });

  it('builds a real cloud destination from fallback options and posts the calls to {apiHost}/v1/batch', async () => {
    const bodies: { url: string; batch: Message[]; writeKey: string }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        const body = JSON.parse(String(init.body)) as { batch: Message[]; writeKey: string };
        bodies.push({ url, ...body });
        return new Response('{"success":true}', { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    const page = setup({ fallback: { apiHost: 'http://127.0.0.1:9', writeKey: 'wk', gzip: false, storage: createMemoryStorage(), flushInterval: 10 } });
    page.tally.track('Blocked', { n: 1 });
    page.mixpanelFails();
    page.tally.track('After');
    await page.settle();
    await vi.waitFor(() => expect(bodies.flatMap((b) => b.batch).length).toBe(2));
    expect(bodies[0]!.url).toBe('http://127.0.0.1:9/v1/batch');
    expect(bodies[0]!.writeKey).toBe('wk');
    expect(bodies.flatMap((b) => b.batch.map((m) => m.messageId))).toEqual(ids(page.sent));
  });
});

describe('without a fallback', () => {
  it('reports one [tally] error, logs it in debug mode, and drops the calls instead of buffering them forever', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = setup({}, { debug: true });
    page.tally.track('Lost');
    page.mixpanelFails();
    await page.settle();
    page.tally.track('Also lost');
    await page.settle();
    expect(page.destination.isLoaded()).toBe(true);
    expect(page.fake.calls).toEqual([]);
    expect(page.errors).toHaveLength(1);
    expect(page.errors[0]).toMatchObject({ destination: 'Mixpanel', method: 'load' });
    const text = String(page.errors[0]!.error);
    expect(text).toContain('[tally] Mixpanel: mixpanel.js failed to load from /lib/mixpanel.min.js (blocked or unreachable)');
    expect(text).toContain('set `fallback`');
    expect(warn.mock.calls.some((args) => String(args[0]).startsWith('[tally]'))).toBe(true);
  });

  it('times out the same way', async () => {
    const page = setup({ timeout: 20 });
    page.tally.track('Lost');
    await page.settle();
    expect(String(page.errors[0]?.error)).toContain('mixpanel.js was not ready after 20 ms');
    page.mixpanelLoads();
    page.tally.track('Late');
    await page.settle();
    expect(page.fake.calls).toEqual([]);
  });
});
