import { createEmulator } from '@tally/mixpanel-emulator';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startProxyServer, type ProxyServer } from '../src/node-server.js';
import { createSqliteQueue } from '../src/sqlite-queue.js';
import { baseConfig, basic, silent, tempDir, waitFor } from './helpers.js';

// The thread's entry is a .ts file here: it needs the loader (the built package does not).
const deliveryThread = { execArgv: ['--import', new URL('./ts-loader.mjs', import.meta.url).href] };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Log lines of the proxies started here (to see where delivery runs). */
const logged: Array<Record<string, unknown>> = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });

async function start(dataDir: string, faults = {}) {
  const emulator = await createEmulator({ faults });
  const server = await startProxyServer(
    baseConfig({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      mixpanelApiUrl: emulator.url,
      delivery: { batchWaitMs: 20, pollMs: 50, leaseMs: 60_000, timeoutMs: 5_000, backoff: { baseMs: 20, maxMs: 200 } },
    }),
    { logger, deliveryThread },
  );
  cleanups.push(() => emulator.close());
  return { emulator, server };
}

const batch = (n: number, prefix: string) =>
  Array.from({ length: 20 }, (_, i) => ({
    type: 'track',
    event: 'Thread Test',
    userId: `user-${i % 7}`,
    messageId: `${prefix}-${n}-${i}`,
    timestamp: new Date().toISOString(),
    properties: { n, i },
  }));

async function send(server: ProxyServer, body: unknown[]): Promise<number> {
  const res = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic('wk-test') },
    body: JSON.stringify({ batch: body }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('delivery from a worker thread (on-disk SQLite queue)', () => {
  it('delivers every event once, in order per user, relays metrics and keeps the size exact', { timeout: 60_000 }, async () => {
    const data = tempDir();
    cleanups.push(data.remove);
    const { emulator, server } = await start(data.dir, { errorRate: 0.2, seed: 7 });
    cleanups.push(() => server.close());
    expect(logged.find((l) => l.msg === 'tally proxy started')).toMatchObject({ delivery: 'thread' });
    for (let n = 0; n < 25; n++) expect(await send(server, batch(n, 'a'))).toBe(200);
    await waitFor(async () => (await server.proxy.queue.size()) === 0, 30_000, 20);
    const events = emulator.events({ event: 'Thread Test', limit: 10_000 }).reverse();
    expect(new Set(events.map((e) => e.insertId)).size).toBe(500);
    expect(events).toHaveLength(500);
    // Per user, events arrive in the order they were sent.
    for (let u = 0; u < 7; u++) {
      const seen = events.filter((e) => e.distinctId === `user-${u}`).map((e) => e.properties['n'] as number);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    }
    const metrics = await server.proxy.metrics.registry.getSingleMetricAsString('tally_proxy_operations_delivered_total');
    expect(metrics).toContain('tally_proxy_operations_delivered_total{endpoint="import"} 500');
  });

  it('lets the owner keep the directory lock: a second proxy still fails, and a restart delivers what was left', { timeout: 60_000 }, async () => {
    const data = tempDir();
    cleanups.push(data.remove);
    const { emulator, server } = await start(data.dir, { errorRate: 1 });
    expect(() => createSqliteQueue({ dataDir: data.dir })).toThrow(/another proxy/);
    for (let n = 0; n < 5; n++) expect(await send(server, batch(n, 'b'))).toBe(200);
    await server.close();
    expect(emulator.events({ event: 'Thread Test' })).toHaveLength(0);
    emulator.setFaults({ errorRate: 0 });
    const again = await startProxyServer(
      baseConfig({ port: 0, host: '127.0.0.1', dataDir: data.dir, mixpanelApiUrl: emulator.url, delivery: { batchWaitMs: 20, pollMs: 50 } }),
      { logger: silent, deliveryThread },
    );
    cleanups.push(() => again.close());
    await waitFor(async () => (await again.proxy.queue.size()) === 0, 30_000, 20);
    expect(emulator.events({ event: 'Thread Test', limit: 1_000 })).toHaveLength(100);
  });
});
