// CPU per event of the ingest path alone (fetch handler: validation, enrichment, mapping, one
// SQLite commit per request), no socket and no delivery: the main thread's share of the proxy.
//   node [--cpu-prof] packages/proxy/bench/ingest-cpu.mjs [--requests 3000] [--batch 20]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundles } from './build.mjs';

const { values: a } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, batch: { type: 'string', default: '20' } } });
const bundles = await buildBundles();
const dataDir = mkdtempSync(join(tmpdir(), 'tally-ingest-cpu-'));
try {
  const { createProxy } = await import(join(bundles.dir, 'proxy.js'));
  const proxy = createProxy({ writeKeys: ['wk'], mixpanel: { token: 'tally-dev-token', apiSecret: 's' }, dataDir, rateLimit: false, mixpanelJs: false, maxQueueSize: 1e9, logLevel: 'silent' });
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
  const body = () => {
    const iso = new Date().toISOString();
    return JSON.stringify({
      sentAt: iso,
      batch: Array.from({ length: Number(a.batch) }, (_, i) => ({
        type: 'track', event: 'Bench Event', messageId: randomUUID(), anonymousId: `anon-${i}`, userId: null, timestamp: iso,
        properties: { product_id: 'sku-48213', name: 'Trail Running Shoe', price: 129.99, currency: 'USD', quantity: 2, category: 'footwear', in_stock: true, position: 7, tags: ['running', 'trail', 'sale'], dimensions: { size: 42, width: 'regular', color: 'blue' }, list_id: 'search-results' },
        context: { library: { name: 'tally-bench', version: '0.0.0' }, page: { path: '/shoes/trail', referrer: 'https://www.example.com/', search: '?q=trail', title: 'Trail shoes', url: 'https://shop.example.com/shoes/trail?q=trail' }, userAgent: ua, locale: 'en-US', timezone: 'Europe/Berlin', screen: { width: 1920, height: 1080, density: 1 } },
        integrations: {},
      })),
    });
  };
  const bodies = Array.from({ length: Number(a.requests) }, body);
  const post = (text) => proxy.handler(new Request('http://bench/v1/batch', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('wk:').toString('base64')}` }, body: text }));
  for (const b of bodies.slice(0, 200)) await post(b); // warm-up
  const cpu0 = process.cpuUsage();
  // 16 requests at a time, like the load generator's clients (group commit applies).
  for (let i = 200; i < bodies.length; i += 16) await Promise.all(bodies.slice(i, i + 16).map(post));
  const cpu = process.cpuUsage(cpu0);
  const events = (bodies.length - 200) * Number(a.batch);
  console.log(JSON.stringify({ ingestCpuUsPerEvent: Math.round(((cpu.user + cpu.system) / events) * 10) / 10, events, load: loadavg().map((l) => l.toFixed(1)).join(' ') }));
  await proxy.stop();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  bundles.remove();
}
