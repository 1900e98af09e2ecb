import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { body, formPost, handlerWith, insertId, NOW, NOW_S, TOKEN, trackEvent } from './helpers.js';

describe('/track', () => {
  it('accepts base64 data= as mixpanel.js sends it to a non-mixpanel.com host, and stores it', async () => {
    const emu = handlerWith();
    const e = trackEvent({ plan: 'pro' });
    const res = await emu.handle(formPost('/track/?verbose=1&ip=1&_=123', [e]));
    expect(res.status).toBe(200);
    expect(body(res)).toEqual({ status: 1, error: null });
    const [stored] = emu.store.events.list();
    expect(stored).toMatchObject({ event: 'Signed Up', distinctId: 'user-1', region: 'us', endpoint: 'track', projectId: 1 });
    expect({ ...stored?.properties }).toEqual(e.properties);
  });

  it('accepts plain-JSON data=, a JSON body, a single object and GET ?data=', async () => {
    const emu = handlerWith();
    expect((await emu.handle(formPost('/track', [trackEvent()], {}, false))).body).toBe('1');
    expect((await emu.handle({ method: 'POST', url: '/track', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(trackEvent())) })).body).toBe('1');
    const data = encodeURIComponent(Buffer.from(JSON.stringify(trackEvent())).toString('base64'));
    const get = await emu.handle({ method: 'GET', url: `/track?data=${data}`, headers: {} });
    expect(get).toMatchObject({ status: 200, body: '1' });
    expect(emu.store.events.size).toBe(3);
  });

  it('reads a sendBeacon body (text/plain, data=…) and verbose sent in the form', async () => {
    const emu = handlerWith();
    const payload = encodeURIComponent(Buffer.from(JSON.stringify([trackEvent()])).toString('base64'));
    const res = await emu.handle({ method: 'POST', url: '/track/', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: Buffer.from(`data=${payload}&verbose=1`) });
    expect(body(res)).toEqual({ status: 1, error: null });
  });

  it('answers 0, or verbose status 0 with the reason, when every record is invalid', async () => {
    const emu = handlerWith();
    expect((await emu.handle(formPost('/track', [{ event: 'x' }]))).body).toBe('0');
    const res = await emu.handle(formPost('/track?verbose=1', [trackEvent({ token: undefined })]));
    expect(body(res)).toEqual({ status: 0, error: "'properties.token' is required" });
    expect(emu.store.rejections().map((r) => r.field)).toEqual(['properties.token', 'properties']);
  });

  it('answers 1 when at least one record is valid, storing only the valid ones', async () => {
    const emu = handlerWith();
    const res = await emu.handle(formPost('/track?verbose=1', [trackEvent(), trackEvent({ distinct_id: 'null' })]));
    expect(body(res)).toEqual({ status: 1, error: null });
    expect(emu.store.events.size).toBe(1);
    expect(emu.store.rejections()[0]).toMatchObject({ endpoint: 'track', index: 1, field: 'properties.distinct_id' });
  });

  it('answers 1 for an unknown token (Mixpanel does) but stores nothing and records why', async () => {
    const emu = handlerWith();
    const res = await emu.handle(formPost('/track?verbose=1', [trackEvent({ token: 'someone-else' })]));
    expect(body(res)).toEqual({ status: 1, error: null });
    expect(emu.store.events.size).toBe(0);
    expect(emu.store.rejections()[0]?.reason).toMatch(/unknown project token/);
  });

  it('answers 1 for events older than 5 days and drops them', async () => {
    const emu = handlerWith();
    const res = await emu.handle(formPost('/track', [trackEvent({ time: NOW_S - 6 * 86400 })]));
    expect(res.body).toBe('1');
    expect(emu.store.events.size).toBe(0);
    expect(emu.store.rejections()[0]?.reason).toMatch(/older than 5 days/);
  });

  it('derives distinct_id from the request IP with ip=1 and refuses a missing one otherwise', async () => {
    const emu = handlerWith();
    const e = { event: 'E', properties: { token: TOKEN, time: NOW_S } };
    expect((await emu.handle(formPost('/track?ip=0', [e]))).body).toBe('0');
    expect((await emu.handle(formPost('/track?ip=1', [e], { remoteAddress: '203.0.113.9' }))).body).toBe('1');
    expect(emu.store.events.list()[0]?.distinctId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses more than 2,000 records, an empty batch, malformed data and gzip', async () => {
    const emu = handlerWith();
    const many = Array.from({ length: 2001 }, () => trackEvent());
    expect(body(await emu.handle(formPost('/track?verbose=1', many)))).toMatchObject({ status: 0, error: expect.stringMatching(/limit is 2000/) });
    expect(body(await emu.handle(formPost('/track?verbose=1', [])))).toMatchObject({ status: 0 });
    const broken = await emu.handle({ method: 'POST', url: '/track?verbose=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('data=%%%not-base64') });
    expect(body(broken)).toMatchObject({ status: 0 });
    const gz = await emu.handle({ method: 'POST', url: '/track?verbose=1', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify([trackEvent()])) });
    expect(body(gz).error).toMatch(/gzip is not supported on \/track/);
    expect(emu.store.events.size).toBe(0);
    expect((await emu.handle(formPost('/track?verbose=1', Array.from({ length: 2000 }, () => trackEvent())))).body).toContain('"status":1');
  });

  it('answers 413 past 10 MB', async () => {
    const emu = handlerWith();
    const res = await emu.handle({ method: 'POST', url: '/track?verbose=1', headers: {}, body: Buffer.alloc(10 * 1024 * 1024 + 1, 32) });
    expect(res.status).toBe(413);
    expect(body(res).status).toBe(0);
  });

  it('keeps one copy per (event, distinct_id, time in seconds, $insert_id)', async () => {
    const emu = handlerWith();
    const id = insertId();
    await emu.handle(formPost('/track', [trackEvent({ $insert_id: id, time: NOW_S - 5.1, v: 1 }), trackEvent({ $insert_id: id, time: NOW_S - 5.7, v: 2 })]));
    await emu.handle(formPost('/track', [trackEvent({ $insert_id: id, time: NOW_S - 4.5 })]));
    expect(emu.store.events.size).toBe(2);
    expect(emu.store.events.list()[1]).toMatchObject({ duplicates: 1, properties: { v: 2 } });
    expect(emu.store.stats().events.deduplicated).toBe(1);
  });

  it('records the region from the Host header or a path prefix', async () => {
    const emu = handlerWith();
    await emu.handle(formPost('/track', [trackEvent()], { headers: { host: 'api-eu.mixpanel.com' } }));
    await emu.handle(formPost('/in/track/', [trackEvent()]));
    await emu.handle(formPost('/track', [trackEvent()], { headers: { host: 'api-js.mixpanel.com' } }));
    expect(emu.store.events.list().map((e) => e.region)).toEqual(['us', 'in', 'eu']);
    expect(emu.store.requests()).toEqual({ 'track eu': 1, 'track in': 1, 'track us': 1 });
  });

  it('answers 403 when a project with EU residency is sent to the US host', async () => {
    const emu = handlerWith({ projects: [{ token: 'eu-token', secret: 's', projectId: 7, residency: 'eu' }] });
    const res = await emu.handle(formPost('/track', [trackEvent({ token: 'eu-token' })]));
    expect(res.status).toBe(403);
    expect(body(res)).toEqual({ error: expect.stringContaining('data residency'), status: 'error' });
    expect((await emu.handle(formPost('/eu/track', [trackEvent({ token: 'eu-token' })]))).body).toBe('1');
  });

  it('answers CORS for credentialed browser requests and preflights without Content-Type', async () => {
    const emu = handlerWith();
    const res = await emu.handle(formPost('/track', [trackEvent()], { headers: { origin: 'http://site.test' } }));
    expect(res.headers).toMatchObject({ 'access-control-allow-origin': 'http://site.test', 'access-control-allow-credentials': 'true' });
    const pre = await emu.handle({ method: 'OPTIONS', url: '/track/', headers: { origin: 'http://site.test', 'access-control-request-headers': 'content-type, x-custom' } });
    expect(pre.status).toBe(200);
    expect(pre.headers['access-control-allow-methods']).toContain('POST');
    expect(pre.headers['access-control-allow-headers']).toBe('x-custom');
    expect((await emu.handle({ method: 'GET', url: '/_emulator/stats', headers: {} })).headers['access-control-allow-origin']).toBe('*');
  });

  it('answers 405 and 404 for other methods and paths', async () => {
    const emu = handlerWith();
    expect((await emu.handle({ method: 'PUT', url: '/track', headers: {} })).status).toBe(405);
    expect((await emu.handle({ method: 'GET', url: '/import', headers: {} })).status).toBe(405);
    expect((await emu.handle({ method: 'POST', url: '/decide', headers: {} })).status).toBe(404);
  });

  it('uses the pinned clock for events without time', async () => {
    const emu = handlerWith();
    await emu.handle(formPost('/track', [{ event: 'E', properties: { token: TOKEN, distinct_id: 'u' } }]));
    expect(emu.store.events.list()[0]?.time).toBe(NOW / 1000);
  });
});
