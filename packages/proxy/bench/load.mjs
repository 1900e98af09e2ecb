// Child process: the load generator. `concurrency` keep-alive clients post Segment `/v1/batch`
// bodies of `batchSize` track events in a closed loop until `events` were sent or `durationMs`
// passed. Bodies are built by string concatenation from one template so the generator's own CPU
// stays small (it shares the two cores with the proxy and the emulator). Prints one JSON line.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

const o = JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
const auth = `Basic ${Buffer.from(`${o.writeKey}:`).toString('base64')}`;
const target = new URL(`${o.url}/v1/batch`);

// The same realistic browser track message as bench/proxy/load.mjs, so the figures compare.
const TEMPLATE = JSON.stringify({
  type: 'track',
  event: 'Bench Event',
  messageId: '@MID@',
  anonymousId: '@ANON@',
  userId: null,
  timestamp: '@TS@',
  properties: {
    product_id: 'sku-48213', name: 'Trail Running Shoe', price: 129.99, currency: 'USD', quantity: 2, category: 'footwear',
    in_stock: true, position: 7, tags: ['running', 'trail', 'sale'], dimensions: { size: 42, width: 'regular', color: 'blue' }, list_id: 'search-results',
  },
  context: {
    library: { name: 'tally-bench', version: '0.0.0' },
    page: { path: '/shoes/trail', referrer: 'https://www.example.com/', search: '?q=trail', title: 'Trail shoes', url: 'https://shop.example.com/shoes/trail?q=trail' },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    locale: 'en-US', timezone: 'Europe/Berlin', screen: { width: 1920, height: 1080, density: 1 },
  },
  integrations: {},
}).split(/"@(MID|ANON|TS)@"/);

let n = 0;
const message = (iso) => {
  n += 1;
  const values = { MID: randomUUID(), ANON: `anon-${n % 5000}`, TS: iso };
  return TEMPLATE.map((part, i) => (i % 2 ? `"${values[part]}"` : part)).join('');
};

const post = (body) =>
  new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: auth } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', (e) => resolve({ status: `error:${e.code ?? e.message}`, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    req.end(body);
  });

const latencies = [];
const statuses = {};
let sent = 0;
let accepted = 0;
const startedAt = Date.now();
const deadline = startedAt + o.durationMs;

async function client() {
  while (sent < o.events && Date.now() < deadline) {
    sent += o.batchSize;
    const iso = new Date().toISOString();
    const body = Buffer.from(`{"batch":[${Array.from({ length: o.batchSize }, () => message(iso)).join(',')}],"sentAt":"${iso}"}`);
    const r = await post(body);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    latencies.push(r.ms);
    if (r.status === 200) accepted += o.batchSize;
    // A refused request (503 overloaded, 429) is retried later, as a real client would.
    else await new Promise((done) => setTimeout(done, o.backoffMs ?? 100));
  }
}

await Promise.all(Array.from({ length: o.concurrency }, client));
agent.destroy();
latencies.sort((a, b) => a - b);
const q = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 10) / 10;
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ startedAt, endedAt: Date.now(), sent, accepted, requests: latencies.length, statuses, p50: q(0.5), p99: q(0.99), cpuUs: cpu.user + cpu.system })}\n`);
