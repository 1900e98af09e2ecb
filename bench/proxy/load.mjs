// Child process: the load generator. `concurrency` keep-alive clients (node:http Agent) each post
// Segment `/v1/batch` bodies of `batchSize` track events in a closed loop until `events` were sent
// or `durationMs` passed. Prints one JSON line: sent, accepted, statuses, latency quantiles, timing,
// and the generator's own CPU (so a bench can tell its cost from the proxy's). The one load generator
// of the project: `bench/lib/proxy-bench.mjs` and `packages/proxy/bench/throughput.mjs` both spawn it.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

const o = JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
const auth = `Basic ${Buffer.from(`${o.writeKey}:`).toString('base64')}`;
const target = new URL(`${o.url}/v1/batch`);

/**
 * One realistic track message, as a browser SDK would post it, serialised once with placeholders:
 * building bodies by string concatenation keeps the generator's own CPU use small (it shares the
 * machine's cores with the proxy).
 */
const TEMPLATE = JSON.stringify({
  type: 'track',
  event: 'Bench Event',
  messageId: '@MID@',
  anonymousId: '@ANON@',
  userId: null,
  timestamp: '@TS@',
  properties: {
    product_id: 'sku-48213',
    name: 'Trail Running Shoe',
    price: 129.99,
    currency: 'USD',
    quantity: 2,
    category: 'footwear',
    in_stock: true,
    position: 7,
    tags: ['running', 'trail', 'sale'],
    dimensions: { size: 42, width: 'regular', color: 'blue' },
    list_id: 'search-results',
  },
  context: {
    library: { name: 'tally-bench', version: '0.0.0' },
    page: { path: '/shoes/trail', referrer: 'https://www.example.com/', search: '?q=trail', title: 'Trail shoes', url: 'https://shop.example.com/shoes/trail?q=trail' },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    locale: 'en-US',
    timezone: 'Europe/Berlin',
    screen: { width: 1920, height: 1080, density: 1 },
  },
  integrations: {},
}).split(/"@(MID|ANON|TS)@"/);

let n = 0;
function message(iso) {
  n += 1;
  const values = { MID: randomUUID(), ANON: `anon-${n % 5000}`, TS: iso };
  return TEMPLATE.map((part, i) => (i % 2 ? `"${values[part]}"` : part)).join('');
}

function post(body) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: auth } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', (e) => resolve({ status: `error:${e.code ?? e.message}`, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    req.end(body);
  });
}

const latencies = [];
const statuses = {};
let sent = 0;
let accepted = 0;
let bodyBytes = 0;
const started = Date.now();
const deadline = started + o.durationMs;
let lastAcceptedAt = started;

async function client() {
  while (sent < o.events && Date.now() < deadline) {
    sent += o.batchSize;
    const iso = new Date().toISOString();
    const body = Buffer.from(`{"batch":[${Array.from({ length: o.batchSize }, () => message(iso)).join(',')}],"sentAt":"${iso}"}`);
    bodyBytes += body.length;
    const r = await post(body);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    latencies.push(r.ms);
    if (typeof r.status === 'number' && r.status >= 200 && r.status < 300) {
      accepted += o.batchSize;
      lastAcceptedAt = Date.now();
    } else if (o.backoffMs) await new Promise((r2) => setTimeout(r2, o.backoffMs));
  }
}

await Promise.all(Array.from({ length: o.concurrency }, client));
agent.destroy();
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({ startedAt: started, endedAt: Date.now(), lastAcceptedAt, sent, accepted, requests: latencies.length, statuses, p50: q(0.5), p99: q(0.99), avgBodyBytes: Math.round(bodyBytes / Math.max(1, latencies.length)), cpuUs: cpu.user + cpu.system })}\n`,
);
