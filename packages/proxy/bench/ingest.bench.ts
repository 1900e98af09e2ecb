// Throughput of the ingest path (validation, enrichment, the real mapping, one SQLite commit per
// request) through the fetch handler, without a socket. Prints only: `npx vitest bench --run packages/proxy/bench`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, bench, describe } from 'vitest';
import { createProxy } from '../src/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
const proxy = createProxy(
  { writeKeys: ['wk'], mixpanel: { token: 'tally-dev-token', apiSecret: 's' }, dataDir: dir, rateLimit: false, mixpanelJs: false, maxQueueSize: 1e9 },
  { logger: pino({ level: 'silent' }) },
);
afterAll(async () => {
  await proxy.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const body = (n: number) =>
  JSON.stringify({
    writeKey: 'wk',
    sentAt: new Date().toISOString(),
    batch: Array.from({ length: n }, (_, i) => ({
      type: 'track',
      event: 'Product Viewed',
      anonymousId: `anon-${i % 50}`,
      timestamp: new Date().toISOString(),
      properties: { sku: `sku-${i}`, price: 19.99, currency: 'EUR' },
      context: { userAgent: ua, page: { url: 'https://shop.example/p/1', referrer: 'https://google.com/' }, library: { name: 'tally', version: '0.1.0' } },
    })),
  });
const one = body(1);
const hundred = body(100);
const post = (text: string) => proxy.handler(new Request('http://bench/v1/batch', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text }));

describe('ingest (durable before 200)', () => {
  bench('1 event per request', async () => {
    await post(one);
  });
  bench('100 events per request', async () => {
    await post(hundred);
  });
});
