import { afterEach, describe, expect, it } from 'vitest';
import { createProxy, type Proxy } from '../src/proxy.js';
import type { SendFn } from '../src/sender.js';
import { startFakeMixpanel, type FakeReply, type FakeRequest } from './fake-mixpanel.js';
import { baseConfig, post, silent, stubMap, track, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(reply?: (req: FakeRequest, n: number) => FakeReply, delivery = {}) {
  const mp = await startFakeMixpanel(reply);
  const proxy = createProxy(baseConfig({ mixpanelApiUrl: mp.url, delivery: { batchWaitMs: 50, pollMs: 50, backoff: { baseMs: 20, maxMs: 100 }, ...delivery } }), {
    map: stubMap,
    logger: silent,
  });
  cleanups.push(mp.close, () => proxy.stop());
  return { mp, proxy };
}

const delivered = (p: Proxy) => p.metrics.delivered.get().then((m) => m.values.reduce((n, v) => n + v.value, 0));

describe('delivery', () => {
  it('batches many clients into few Mixpanel requests, gzipped, with auth and strict=1', async () => {
    const { mp, proxy } = await setup();
    await Promise.all(Array.from({ length: 60 }, (_, i) => proxy.handler(post('/v1/track', track({ userId: `user-${i}`, event: `E${i}` })), { remoteAddress: `203.0.113.${i}` })));
    proxy.start();
    await waitFor(async () => (await delivered(proxy)) === 60);
    expect(mp.requests.length).toBeLessThanOrEqual(3);
    expect(new Set(mp.records().map((r) => r.event)).size).toBe(60);
    const first = mp.requests[0]!;
    expect(first.path).toBe('/us/import');
    expect(first.query.get('strict')).toBe('1');
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.authorization).toBe(`Basic ${Buffer.from('tally-dev-secret:').toString('base64')}`);
    expect(await proxy.queue.size()).toBe(0);
    const latency = await proxy.metrics.deliveryLatency.get();
    expect(latency.values.find((v) => v.metricName?.endsWith('_count'))?.value).toBe(60);
  });

  it('dead-letters a record after maxAttempts failed attempts', async () => {
    const { proxy } = await setup(() => ({ status: 503, body: { error: 'down' } }), { maxAttempts: 3 });
    await proxy.handler(post('/v1/track', track({ messageId: 'doomed' })));
    proxy.start();
    await waitFor(async () => (await proxy.queue.size()) === 0);
    const [dead] = await proxy.queue.deadLetters();
    expect(dead).toMatchObject({ messageId: 'doomed', attempts: 3, reason: 'gave up after 3 attempts: 503: down' });
  });

  it('retries 429 and 5xx with the same $insert_id until delivered', async () => {
    const { mp, proxy } = await setup((_req, n) =>
      n === 1 ? { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '0' } } : n === 2 ? { status: 502, body: { error: 'bad gateway' } } : { status: 200 },
    );
    await proxy.handler(post('/v1/track', track({ messageId: 'msg-1' })));
    proxy.start();
    await waitFor(async () => (await delivered(proxy)) === 1);
    expect(mp.requests).toHaveLength(3);
    expect(mp.requests.map((r) => r.records[0]!.properties!.$insert_id)).toEqual(['msg-1', 'msg-1', 'msg-1']);
    expect((await proxy.metrics.retried.get()).values[0]!.value).toBe(2);
  });

  it('schedules the retry no earlier than Retry-After', async () => {
    let calls = 0;
    const send: SendFn = async () => (++calls === 1 ? { kind: 'retry', error: '429: slow down', retryAfterMs: 120_000 } : { kind: 'ok' });
    const proxy = createProxy(baseConfig({ delivery: { batchWaitMs: 10, pollMs: 20 } }), { map: stubMap, send, logger: silent });
    cleanups.push(() => proxy.stop());
    await proxy.handler(post('/v1/track', track()));
    const before = Date.now();
    proxy.start();
    await waitFor(async () => calls === 1 && (await proxy.metrics.retried.get()).values.length > 0);
    const limits = { maxRecords: 10, maxBytes: 1e6 };
    expect(await proxy.queue.claim(limits, 1, before + 119_000)).toEqual([]);
    const later = await proxy.queue.claim(limits, 1, Date.now() + 120_001);
    expect(later).toHaveLength(1);
    expect(later[0]!.attempts).toBe(1);
  });

  it('dead-letters the records strict mode refuses and acks the rest', async () => {
    const { mp, proxy } = await setup((req) => {
      const bad = req.records.findIndex((r) => r.event === 'Bad');
      return bad < 0
        ? { status: 200, body: { code: 200, status: 'OK' } }
        : { status: 400, body: { code: 400, error: 'some data points in the request failed validation', status: 'Bad Request', num_records_imported: req.records.length - 1, failed_records: [{ index: bad, insert_id: 'x', field: 'properties.time', message: "'properties.time' is invalid" }] } };
    });
    await proxy.handler(post('/v1/batch', { batch: [track({ event: 'Good1' }), track({ event: 'Bad', messageId: 'bad-1' }), track({ event: 'Good2' })] }));
    proxy.start();
    await waitFor(async () => (await delivered(proxy)) === 2);
    await waitFor(async () => (await proxy.queue.size()) === 0);
    const dead = await proxy.queue.deadLetters();
    expect(dead.map((d) => [d.messageId, d.reason])).toEqual([['bad-1', "properties.time: 'properties.time' is invalid"]]);
    expect(mp.requests).toHaveLength(1);
  });

  it('keeps each user in order across retries', async () => {
    let failFirst = true;
    const { mp, proxy } = await setup((req) => {
      if (failFirst && req.records.some((r) => r.event === 'A1')) {
        failFirst = false;
        return { status: 503 };
      }
      return { status: 200 };
    });
    proxy.start();
    await proxy.handler(post('/v1/track', track({ userId: 'alice', event: 'A1' })));
    await waitFor(() => mp.requests.length >= 1);
    // A1 now waits for its retry; A2 must not overtake it, B1 need not wait.
    await proxy.handler(post('/v1/batch', { batch: [track({ userId: 'alice', event: 'A2' }), track({ userId: 'bob', event: 'B1' })] }));
    await waitFor(async () => (await delivered(proxy)) === 3);
    const order = mp.records().map((r) => r.event);
    expect(order.lastIndexOf('A1')).toBeLessThan(order.indexOf('A2'));
  });

  it('bisects a refused /engage batch so one bad update does not sink the rest', async () => {
    const { proxy } = await setup((req) =>
      req.records.some((r) => (r.properties as { distinct_id?: string } | undefined)?.distinct_id === 'bad') ? { status: 400, body: { status: 0, error: 'bad $set' } } : { status: 200 },
    );
    const users = ['a', 'b', 'bad', 'c', 'd'];
    await proxy.handler(post('/v1/batch', { batch: users.map((u) => ({ type: 'identify', userId: u, traits: {} })) }));
    proxy.start();
    await waitFor(async () => (await delivered(proxy)) === 4 && (await proxy.queue.size()) === 0);
    expect((await proxy.queue.deadLetters()).map((d) => d.key)).toEqual(['bad']);
  });

  it('finishes in-flight work on stop and leaves the rest queued', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const send: SendFn = async () => (await gate, { kind: 'ok' });
    const proxy = createProxy(baseConfig({ delivery: { batchWaitMs: 10, pollMs: 20 } }), { map: stubMap, send, logger: silent });
    await proxy.handler(post('/v1/track', track()));
    proxy.start();
    await waitFor(async () => (await proxy.metrics.delivered.get()).values.length === 0 && (await proxy.queue.claim({ maxRecords: 1, maxBytes: 1e6 }, 1)).length === 0);
    const stopping = proxy.stop();
    const refused = await proxy.handler(post('/v1/track', track()));
    expect(refused.status).toBe(503);
    release();
    await stopping;
    expect((await proxy.metrics.delivered.get()).values[0]!.value).toBe(1);
  });
});
