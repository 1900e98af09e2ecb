import { Analytics } from '@segment/analytics-node';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startProxyServer, type ProxyServer } from '../src/node-server.js';
import { startFakeMixpanel } from './fake-mixpanel.js';
import { baseConfig, basic, silent, stubMap, track, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(overrides = {}) {
  const mp = await startFakeMixpanel();
  const server = await startProxyServer(baseConfig({ port: 0, host: '127.0.0.1', mixpanelApiUrl: mp.url, ...overrides }), { map: stubMap, logger: silent });
  cleanups.push(mp.close, server.close);
  return { mp, server };
}

const deliveredCount = async (s: ProxyServer) => (await s.proxy.metrics.delivered.get()).values.reduce((n, v) => n + v.value, 0);

describe('through a real socket', () => {
  it('accepts a batch, sets context.ip from the socket and delivers', async () => {
    const { mp, server } = await start();
    const res = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('wk-test') },
      body: JSON.stringify({ batch: [track({ event: 'Socket' })] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, accepted: 1, rejected: [] });
    await waitFor(() => mp.records().length === 1);
    expect(mp.records()[0]!.properties!.ip).toBe('127.0.0.1');
  });

  it('refuses an oversized streamed body with 413 and a gzip body within limits is accepted', async () => {
    const { server } = await start();
    const big = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('wk-test') },
      body: JSON.stringify({ batch: [track({ properties: { s: 'x'.repeat(600 * 1024) } })] }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'request_too_large' });
    const zipped = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ writeKey: 'wk-test', batch: [track(), track()] })),
    });
    expect(await zipped.json()).toMatchObject({ accepted: 2 });
  });

  it('refuses a chunked body (no Content-Length) once it passes 500 KB, and closes the connection', async () => {
    const { server } = await start();
    const { status, body, connection } = await new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      const req = request(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic('wk-test') } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
      });
      req.on('error', reject);
      // Written in parts without a length: the limit applies as the body arrives.
      const part = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 10; i++) req.write(part);
      req.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ code: 'request_too_large' });
    expect(connection).toBe('close');
  });

  it('receives events from the real @segment/analytics-node client', async () => {
    const { mp, server } = await start();
    const analytics = new Analytics({ writeKey: 'wk-test', host: server.url, flushAt: 5, flushInterval: 100, maxRetries: 2 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    for (let i = 0; i < 7; i++) analytics.track({ userId: 'node-user', event: `Node Event ${i}`, properties: { i } });
    analytics.identify({ userId: 'node-user', traits: { plan: 'pro' } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await waitFor(async () => (await deliveredCount(server)) === 8);
    const events = mp.records().map((r) => r.event).filter((e) => e?.startsWith('Node Event'));
    expect(new Set(events).size).toBe(7);
  });

  it('passes mixpanel.js requests through with the client IP', async () => {
    const { mp, server } = await start({ trustedProxies: ['127.0.0.1'] });
    const res = await fetch(`${server.url}/mp/track/?verbose=1&ip=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.23' },
      body: 'data=W10%3D',
    });
    expect(res.status).toBe(200);
    const forwarded = mp.requests.find((r) => r.path.startsWith('/us/track'))!;
    expect(forwarded.query.get('ip')).toBe('1');
    expect(forwarded.headers['x-forwarded-for']).toBe('198.51.100.23');
    expect((await fetch(`${server.url}/mp/unknown/`, { method: 'POST' })).status).toBe(404);
    const binary = new Uint8Array([0, 255, 1, 254, 128, 10]);
    await fetch(`${server.url}/mp/record/?format=gzip`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: binary });
    const record = mp.requests.find((r) => r.path.startsWith('/us/record'))!;
    expect([...record.raw]).toEqual([...binary]);
    expect(record.query.get('format')).toBe('gzip');
  });

  it('closes cleanly while a keep-alive client is connected', async () => {
    const { server } = await start();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
