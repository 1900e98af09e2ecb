import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { startProxyServer, type ProxyServer } from '../src/node-server.js';
import { baseConfig, basic, silent, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(faults = {}, region = 'us', identityMerge: 'simplified' | 'original' = 'simplified') {
  const emulator = await createEmulator({ faults, identityMerge });
  const server = await startProxyServer(
    baseConfig({
      port: 0,
      host: '127.0.0.1',
      mixpanelApiUrl: emulator.url,
      mixpanel: { token: 'tally-dev-token', apiSecret: 'tally-dev-secret', region, people: true, identityMerge },
      delivery: { batchWaitMs: 50, pollMs: 50, concurrency: 2, timeoutMs: 5_000, backoff: { baseMs: 50, maxMs: 500 } },
    }),
    { logger: silent },
  );
  cleanups.push(() => emulator.close(), () => server.close());
  return { emulator, server };
}

async function send(server: ProxyServer, batch: unknown[]) {
  const res = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic('wk-test') },
    body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
  });
  return { status: res.status, body: (await res.json()) as { accepted: number; rejected: unknown[] } };
}

const insertIds = (emulator: Emulator) => emulator.events({ limit: 100_000 }).map((e) => e.insertId);

describe('against the Mixpanel emulator', () => {
  it('delivers tracks, pages and identifies with the real mapping', async () => {
    const { emulator, server } = await start();
    const now = new Date().toISOString();
    const { status, body } = await send(server, [
      { type: 'track', event: 'Signed Up', userId: 'user-1', anonymousId: 'anon-1', messageId: 'msg-track-1', timestamp: now, properties: { plan: 'pro' }, context: { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' } },
      { type: 'page', name: 'Home', anonymousId: 'anon-2', messageId: 'msg-page-1', timestamp: now },
      { type: 'identify', userId: 'user-1', traits: { email: 'a@example.com' }, messageId: 'msg-id-1', timestamp: now },
    ]);
    expect(status).toBe(200);
    expect(body.accepted).toBe(3);
    await waitFor(async () => (await server.proxy.queue.size()) === 0 && emulator.events().length >= 2);
    const signedUp = emulator.events({ event: 'Signed Up' })[0]!;
    expect(signedUp.insertId).toBe('msg-track-1');
    expect(signedUp.properties).toMatchObject({ plan: 'pro', $browser: 'Chrome', $os: 'Windows', ip: '127.0.0.1' });
    expect(emulator.rejections()).toEqual([]);
    expect(await server.proxy.queue.deadLetters()).toEqual([]);
  });

  it('delivers every accepted event exactly once after dedupe despite 5xx, 429, drops and slow answers', { timeout: 60_000 }, async () => {
    const { emulator, server } = await start({ errorRate: 0.15, rateLimitRate: 0.15, retryAfterSeconds: 1, dropRate: 0.05, delayMs: 30, delayRate: 0.3, seed: 7 });
    const expected: string[] = [];
    const requests = Array.from({ length: 20 }, (_, r) =>
      Array.from({ length: 15 }, (_, i) => {
        const id = `evt-${r}-${i}`;
        expected.push(id);
        return { type: 'track', event: `Step ${i}`, userId: `user-${r % 7}`, messageId: id, timestamp: new Date().toISOString(), properties: { r, i } };
      }),
    );
    const answers = await Promise.all(requests.map((batch) => send(server, batch)));
    expect(answers.every((a) => a.status === 200 && a.body.accepted === 15)).toBe(true);
    await waitFor(async () => (await server.proxy.queue.size()) === 0, 50_000, 50);
    const ids = insertIds(emulator);
    expect(ids.length).toBe(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(await server.proxy.queue.deadLetters()).toEqual([]);
    const retried = (await server.proxy.metrics.retried.get()).values.reduce((n, v) => n + v.value, 0);
    expect(retried).toBeGreaterThan(0);
  });

  it('keeps identify before later events under Original ID Merge (/track and /import)', async () => {
    const { emulator, server } = await start({}, 'us', 'original');
    const t = (s: number) => new Date(Date.now() - 10_000 + s * 1000).toISOString();
    const { body } = await send(server, [
      { type: 'track', event: 'Browsed', anonymousId: 'anon-9', messageId: 'o-1', timestamp: t(0) },
      { type: 'identify', userId: 'user-9', anonymousId: 'anon-9', messageId: 'o-2', timestamp: t(1), traits: {} },
      { type: 'track', event: 'Bought', userId: 'user-9', anonymousId: 'anon-9', messageId: 'o-3', timestamp: t(2) },
    ]);
    expect(body.accepted).toBe(3);
    await waitFor(async () => (await server.proxy.queue.size()) === 0);
    expect(emulator.rejections()).toEqual([]);
    expect(await server.proxy.queue.deadLetters()).toEqual([]);
    const cluster = emulator.clusterOf('user-9') as { ids: string[] };
    expect(cluster.ids).toEqual(expect.arrayContaining(['user-9', 'anon-9']));
    expect(emulator.eventsOf('user-9').map((e) => e.event).sort()).toEqual(expect.arrayContaining(['Bought', 'Browsed']));
  });

  it('addresses the configured region', async () => {
    const { emulator, server } = await start({}, 'eu');
    await send(server, [{ type: 'track', event: 'In EU', userId: 'eu-user', messageId: 'eu-1', timestamp: new Date().toISOString() }]);
    await waitFor(() => emulator.events().length === 1);
    expect(emulator.events()[0]!.region).toBe('eu');
  });
});
