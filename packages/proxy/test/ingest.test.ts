import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxy, type Proxy } from '../src/proxy.js';
import type { ProxyConfigInput } from '../src/config.js';
import { baseConfig, basic, post, silent, stubMap, track } from './helpers.js';

let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

function make(overrides: ProxyConfigInput = {}) {
  proxy = createProxy(baseConfig(overrides), { map: stubMap, logger: silent });
  return proxy;
}

async function queued(p: Proxy) {
  const records = await p.queue.claim({ maxRecords: 1000, maxBytes: 1e8 }, 60_000);
  return records.map((r) => ({ ...r, body: JSON.parse(r.body) as { event: string; properties: Record<string, unknown> } }));
}

describe('ingest: accepting', () => {
  it('queues a batch and answers 200 with the count', async () => {
    const p = make();
    const res = await p.handler(post('/v1/batch', { batch: [track({ event: 'A' }), track({ event: 'B', userId: 'u2' })] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, accepted: 2, rejected: [] });
    expect((await queued(p)).map((r) => [r.body.event, r.key])).toEqual([['A', 'u1'], ['B', 'u2']]);
  });

  it('accepts each single-message route', async () => {
    const p = make();
    const bodies: Record<string, Record<string, unknown>> = {
      track: { event: 'E', userId: 'u' },
      identify: { userId: 'u', traits: { a: 1 } },
      page: { anonymousId: 'a', name: 'Home' },
      screen: { anonymousId: 'a' },
      alias: { userId: 'u', previousId: 'a' },
      group: { userId: 'u', groupId: 'g' },
    };
    for (const [route, body] of Object.entries(bodies)) {
      const res = await p.handler(post(`/v1/${route}`, body));
      expect(res.status, route).toBe(200);
    }
    expect(await p.queue.size()).toBe(6);
  });

  it('keeps the good messages of a batch and names the rejected ones', async () => {
    const p = make();
    const res = await p.handler(
      post('/v1/batch', { batch: [track(), { type: 'track', userId: 'u', messageId: 'bad-1' }, track({ event: 'Unmappable', messageId: 'bad-2' }), 'x'] }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      accepted: 1,
      rejected: [
        { index: 1, messageId: 'bad-1', code: 'missing_event', message: 'A track message needs `event` (a non-empty string)' },
        { index: 2, messageId: 'bad-2', code: 'stub_rejected', message: 'the stub refuses this event' },
        { index: 3, messageId: null, code: 'invalid_message', message: 'The message must be a JSON object' },
      ],
    });
  });

  it('answers 400 with the same body when every message is rejected', async () => {
    const p = make();
    const res = await p.handler(post('/v1/batch', { batch: [{ type: 'track', event: 'x' }] }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ success: false, code: 'all_rejected', accepted: 0, rejected: [{ index: 0, code: 'missing_identity' }] });
    const single = await p.handler(post('/v1/alias', { userId: 'u' }));
    expect(single.status).toBe(400);
    expect(await single.json()).toMatchObject({ code: 'missing_previous_id', rejected: [{ code: 'missing_previous_id' }] });
  });

  it('accepts but does not queue messages that turn Mixpanel off', async () => {
    const p = make();
    const res = await p.handler(post('/v1/batch', { batch: [track({ integrations: { Mixpanel: false } }), track({ integrations: { All: false } })] }));
    expect(await res.json()).toMatchObject({ accepted: 2 });
    expect(await queued(p)).toHaveLength(0);
  });
});

describe('ingest: request errors', () => {
  it.each([
    ['invalid_json', 400, () => post('/v1/batch', '{"batch": [')],
    ['invalid_body', 400, () => post('/v1/batch', '[1,2]')],
    ['invalid_batch', 400, () => post('/v1/batch', { batch: [] })],
    ['invalid_batch', 400, () => post('/v1/batch', { batch: 'x' })],
    ['invalid_body', 400, () => post('/v1/batch', JSON.parse('{"batch":[{"type":"track"}],"context":{"__proto__":{"x":1}}}'))],
    ['request_too_large', 413, () => post('/v1/batch', { batch: [track({ properties: { s: 'x'.repeat(501 * 1024) } })] })],
    ['unsupported_media_type', 415, () => post('/v1/batch', { batch: [track()] }, { 'content-type': 'application/xml' })],
    ['not_found', 404, () => post('/v1/nope', {})],
    ['method_not_allowed', 405, () => new Request('http://proxy.test/v1/track', { method: 'GET' })],
  ])('%s → %i', async (code, status, request) => {
    const p = make();
    const res = await p.handler(request());
    expect(res.status).toBe(status);
    const body = (await res.json()) as { success: boolean; code: string; message: string };
    expect(body).toMatchObject({ success: false, code });
    expect(body.message.length).toBeGreaterThan(10);
  });
});

describe('ingest: auth', () => {
  it('takes the write key from basic auth or the body, and refuses unknown keys with 401', async () => {
    const p = make();
    expect((await p.handler(post('/v1/track', track()))).status).toBe(200);
    expect((await p.handler(post('/v1/track', { ...track(), writeKey: 'wk-test' }, { authorization: '' }))).status).toBe(200);
    const unknown = await p.handler(post('/v1/track', track(), { authorization: basic('wk-other') }));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ code: 'unauthorized' });
    expect((await p.handler(post('/v1/track', track(), { authorization: '' }))).status).toBe(401);
  });
});

describe('ingest: browsers', () => {
  const origin = 'https://shop.example';

  it('answers preflights for allowed origins only', async () => {
    const p = make({ allowedOrigins: [origin] });
    const ok = await p.handler(new Request('http://proxy.test/v1/batch', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }));
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type, authorization, content-encoding');
    expect(ok.headers.get('access-control-max-age')).toBe('86400');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await p.handler(new Request('http://proxy.test/v1/batch', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } }));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets CORS headers on responses to allowed origins and refuses others', async () => {
    const p = make({ allowedOrigins: [origin] });
    const ok = await p.handler(post('/v1/track', track(), { origin }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
    expect(ok.headers.get('vary')).toBe('Origin');
    const bad = await p.handler(post('/v1/track', track(), { origin: 'https://evil.example' }));
    expect(bad.status).toBe(403);
    expect(await bad.json()).toMatchObject({ code: 'origin_not_allowed' });
  });

  it('accepts text/plain beacons with the write key in the body', async () => {
    const p = make({ allowedOrigins: [origin] });
    const res = await p.handler(
      post('/v1/batch', JSON.stringify({ writeKey: 'wk-test', batch: [track()] }), { 'content-type': 'text/plain;charset=UTF-8', authorization: '', origin }),
    );
    expect(res.status).toBe(200);
    expect(await queued(p)).toHaveLength(1);
  });

  it('inflates gzip bodies', async () => {
    const p = make();
    const res = await p.handler(post('/v1/batch', gzipSync(JSON.stringify({ batch: [track(), track()] })), { 'content-encoding': 'gzip' }));
    expect(await res.json()).toMatchObject({ accepted: 2 });
  });

  it('serves ingest under a custom path prefix', async () => {
    const p = make({ pathPrefix: '/t/e' });
    expect((await p.handler(post('/t/e/batch', { batch: [track()] }))).status).toBe(200);
    expect((await p.handler(post('/v1/batch', { batch: [track()] }))).status).toBe(404);
  });
});

describe('ingest: server-side facts', () => {
  it('corrects clock skew and sets receivedAt', async () => {
    const p = make();
    const skewed = Date.now() - 3_600_000; // the client's clock is an hour behind
    const res = await p.handler(
      post('/v1/batch', { sentAt: new Date(skewed).toISOString(), batch: [track({ timestamp: new Date(skewed - 2000).toISOString() })] }),
    );
    expect(res.status).toBe(200);
    const [record] = await queued(p);
    const time = record!.body.properties.time as number;
    expect(Math.abs(time - (Date.now() - 2000))).toBeLessThan(5_000);
  });

  it('uses X-Forwarded-For only from trusted proxies, and keeps an opt-out', async () => {
    const p = make({ trustedProxies: ['10.0.0.0/8'] });
    const xff = { 'x-forwarded-for': '198.51.100.7' };
    await p.handler(post('/v1/track', track({ event: 'direct' }), xff), { remoteAddress: '203.0.113.9' });
    await p.handler(post('/v1/track', track({ event: 'proxied' }), xff), { remoteAddress: '10.1.1.1' });
    await p.handler(post('/v1/track', track({ event: 'optout', context: { ip: 0 } }), xff), { remoteAddress: '10.1.1.1' });
    const ips = Object.fromEntries((await queued(p)).map((r) => [r.body.event, r.body.properties.ip]));
    expect(ips).toEqual({ direct: '203.0.113.9', proxied: '198.51.100.7', optout: 0 });
  });

  it('rate-limits per client address with 429 and Retry-After', async () => {
    const p = make({ rateLimit: { perSecond: 1, burst: 2 } });
    const send = (ip: string) => p.handler(post('/v1/track', track()), { remoteAddress: ip });
    expect((await send('203.0.113.1')).status).toBe(200);
    expect((await send('203.0.113.1')).status).toBe(200);
    const limited = await send('203.0.113.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ code: 'rate_limited' });
    expect((await send('203.0.113.2')).status).toBe(200);
  });

  it('answers 503 with Retry-After when the queue is full', async () => {
    const p = make({ maxQueueSize: 3 });
    expect((await p.handler(post('/v1/batch', { batch: [track(), track(), track()] }))).status).toBe(200);
    const full = await p.handler(post('/v1/track', track()));
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('30');
    expect(await full.json()).toMatchObject({ code: 'overloaded' });
  });
});

describe('operations endpoints', () => {
  it('serves /healthz and Prometheus /metrics', async () => {
    const p = make();
    await p.handler(post('/v1/batch', { batch: [track(), { type: 'track', userId: 'u' }] }));
    const health = await p.handler(new Request('http://proxy.test/healthz'));
    expect(await health.json()).toEqual({ ok: true, queued: 1 });
    const metrics = await (await p.handler(new Request('http://proxy.test/metrics'))).text();
    expect(metrics).toContain('tally_proxy_messages_received_total{route="batch"} 2');
    expect(metrics).toContain('tally_proxy_messages_accepted_total 1');
    expect(metrics).toContain('tally_proxy_messages_rejected_total{code="missing_event"} 1');
    expect(metrics).toContain('tally_proxy_queue_size 1');
  });

  it('serves the self-hosted mixpanel.js when enabled', async () => {
    const p = make({ mixpanelJs: {} });
    const res = await p.handler(new Request('http://proxy.test/lib/mixpanel.min.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect((await res.text()).length).toBeGreaterThan(50_000);
    const cached = await p.handler(new Request('http://proxy.test/lib/mixpanel.min.js', { headers: { 'if-none-match': res.headers.get('etag')! } }));
    expect(cached.status).toBe(304);
    const missing = make({ mixpanelJs: { file: '/nonexistent/mixpanel.min.js' } });
    expect((await missing.handler(new Request('http://proxy.test/lib/mixpanel.min.js'))).status).toBe(404);
  });
});
