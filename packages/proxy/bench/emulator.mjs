// Throughput of the Mixpanel emulator on /import batches of 2,000 gzipped events (what the proxy
// sends), so that the end-to-end figure is never the emulator's: through its handler (CPU per
// event) and over HTTP from a client in its own process (events/s).
//   node packages/proxy/bench/emulator.mjs [--batches 30]
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { buildBundles } from './build.mjs';

const { values: a } = parseArgs({ options: { batches: { type: 'string', default: '30' }, client: { type: 'string' } } });
const batches = Number(a.batches);

/** One /import body of 2,000 events shaped like the proxy's output for the bench message. */
function body(seed) {
  const now = Date.now();
  const events = Array.from({ length: 2000 }, (_, i) => ({
    event: 'Bench Event',
    properties: {
      token: 'tally-dev-token', distinct_id: `$device:anon-${(seed * 2000 + i) % 5000}`, time: now - i, $insert_id: randomUUID(), $device_id: `anon-${i}`,
      $current_url: 'https://shop.example.com/shoes/trail?q=trail', $referrer: 'https://www.example.com/', $referring_domain: 'www.example.com',
      $os: 'Linux', $browser: 'Chrome', $browser_version: 156, $screen_width: 1920, $screen_height: 1080, mp_lib: 'tally-bench', $lib_version: '0.0.0',
      product_id: 'sku-48213', name: 'Trail Running Shoe', price: 129.99, currency: 'USD', quantity: 2, category: 'footwear', in_stock: true,
      position: 7, tags: ['running', 'trail', 'sale'], dimensions: { size: 42, width: 'regular', color: 'blue' }, list_id: 'search-results', path: '/shoes/trail',
    },
  }));
  return gzipSync(JSON.stringify(events), { level: 1 });
}
const auth = `Basic ${Buffer.from('tally-dev-secret:').toString('base64')}`;
const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: auth };

if (a.client) {
  // Client process: posts the batches one after another (the proxy's delivery is as sequential).
  const bodies = Array.from({ length: batches }, (_, i) => body(i));
  const t0 = performance.now();
  for (const b of bodies) {
    const res = await fetch(`${a.client}/us/import?strict=1`, { method: 'POST', headers, body: b });
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  }
  process.send({ ms: performance.now() - t0 });
  process.exit(0);
}

const bundles = await buildBundles();
try {
  const { createEmulator, createHandler } = await import(join(bundles.dir, 'emulator.js'));
  const handler = createHandler({ maxEvents: 20_000 });
  const bodies = Array.from({ length: batches }, (_, i) => body(i + 1000));
  const cpu0 = process.cpuUsage();
  for (const b of bodies) {
    const res = await handler.handle({ method: 'POST', url: '/import?strict=1', headers: { ...headers, host: 'api.mixpanel.com' }, body: b });
    if (res.status !== 200) throw new Error(`${res.status} ${res.body}`);
  }
  const cpu = process.cpuUsage(cpu0);
  const usPerEvent = (cpu.user + cpu.system) / (batches * 2000);
  const emu = await createEmulator({ maxEvents: 20_000 });
  const client = fork(fileURLToPath(import.meta.url), ['--client', emu.url, '--batches', String(batches)]);
  const { ms } = await new Promise((resolve) => client.once('message', resolve));
  await emu.close();
  console.log(JSON.stringify({ handlerCpuUsPerEvent: Math.round(usPerEvent * 10) / 10, handlerEventsPerCpuSec: Math.round(1e6 / usPerEvent), httpEventsPerSec: Math.round((batches * 2000 * 1000) / ms), load: loadavg().map((l) => l.toFixed(1)).join(' ') }));
} finally {
  bundles.remove();
}
