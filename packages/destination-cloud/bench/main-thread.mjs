// Main-thread time per event of Tally cloud mode in headless Chromium, comparable with
// bench/lib/browser-bench.mjs phase B: same page harness (drift-corrected setTimeout, 50/s), same
// snippet install, TaskDuration (CDP Performance.getMetrics, thread ticks) from the first call until
// delivery ended + 300 ms, ÷ events. The sink answers as the proxy does:
// 200 `{"success":true,"accepted":N,"rejected":[]}` with CORS.
//
//   node packages/destination-cloud/bench/main-thread.mjs [--events 500] [--rounds 2] [--only noop,core,cloud]
//     --profile out.cpuprofile   CPU profile of the first cloud session (PROFILE_KIND=core for core), top self times printed
//     --count                    counts per event of IndexedDB/fetch/timer/lock/storage calls (wrappers add a little time)
//   CLOUD=/path/to/other/tally-cloud.min.js CORE=… to bench another build (e.g. a copy of the bundle before a change).
// "minus control" subtracts the mean of this run's noop sessions; run with --only noop,cloud to compare builds.
import { chromium } from '@playwright/test';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harness } from '../../../bench/lib/page-harness.mjs';
import { noopInstall, tallyInstall } from '../../../bench/lib/page-installs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const EVENTS = +arg('events', 500);
const ROUNDS = +arg('rounds', 2);
const PROFILE = arg('profile', '');
const ONLY = arg('only', 'noop,core,cloud').split(',');
const COUNT = process.argv.includes('--count');
const EVENT = 'Bench Event';
const files = {
  snippet: resolve(root, 'packages/browser/dist/snippet.min.js'),
  core: process.env.CORE ?? resolve(root, 'packages/browser/dist/tally.min.js'),
  cloud: process.env.CLOUD ?? resolve(root, 'packages/destination-cloud/dist/tally-cloud.min.js'),
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startServers() {
  const state = { delivered: 0, requests: 0, lastAt: 0 };
  const sink = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin || '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] || '*');
    res.setHeader('Access-Control-Max-Age', '600');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && path.startsWith('/sdk/')) {
      res.setHeader('Content-Type', 'application/javascript');
      return res.end(readFileSync(path === '/sdk/core.js' ? files.core : files.cloud));
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (req.method === 'OPTIONS') return res.end();
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      let n = 0;
      try {
        n = JSON.parse(body.toString()).batch.filter((e) => e.event === EVENT).length;
      } catch {}
      state.delivered += n;
      state.lastAt = Date.now();
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ success: true, accepted: n, rejected: [] }));
    });
  });
  const site = createServer((req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end('<!doctype html><html><head><script>/**/</script></head><body>bench</body></html>');
  });
  const listen = (s) => new Promise((r) => s.listen(0, '127.0.0.1', () => r(s.address().port)));
  return Promise.all([listen(sink), listen(site)]).then(([sp, pp]) => ({
    state,
    sinkUrl: `http://127.0.0.1:${sp}`,
    siteUrl: `http://127.0.0.1:${pp}/`,
    close: () => (sink.closeAllConnections(), site.closeAllConnections(), sink.close(), site.close()),
  }));
}

async function session(browser, servers, kind, profile) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (COUNT)
    await page.addInitScript(() => {
      const counts = (window.__counts = {});
      const wrap = (obj, name, label = name) => {
        const orig = obj[name];
        if (typeof orig !== 'function') return;
        obj[name] = function (...a) {
          counts[label] = (counts[label] ?? 0) + 1;
          return orig.apply(this, a);
        };
      };
      wrap(IDBDatabase.prototype, 'transaction', 'idb.transaction');
      wrap(IDBObjectStore.prototype, 'put', 'idb.put');
      wrap(IDBObjectStore.prototype, 'get', 'idb.get');
      wrap(IDBObjectStore.prototype, 'getAllKeys', 'idb.getAllKeys');
      wrap(IDBObjectStore.prototype, 'delete', 'idb.delete');
      wrap(window, 'fetch');
      wrap(window, 'setTimeout');
      wrap(window, 'clearTimeout');
      wrap(window, 'queueMicrotask');
      wrap(LockManager.prototype, 'request', 'locks.request');
      wrap(Storage.prototype, 'setItem', 'localStorage.setItem');
      wrap(Storage.prototype, 'getItem', 'localStorage.getItem');
      const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
      Object.defineProperty(Document.prototype, 'cookie', {
        get() {
          counts['cookie.get'] = (counts['cookie.get'] ?? 0) + 1;
          return cookie.get.call(this);
        },
        set(v) {
          counts['cookie.set'] = (counts['cookie.set'] ?? 0) + 1;
          cookie.set.call(this, v);
        },
      });
      wrap(Crypto.prototype, 'getRandomValues', 'crypto.getRandomValues');
      wrap(Crypto.prototype, 'randomUUID', 'crypto.randomUUID');
      wrap(JSON, 'stringify', 'JSON.stringify');
    });
  await page.goto(servers.siteUrl);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const taskMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;
  await page.evaluate(harness, EVENT);
  if (kind === 'noop') await page.evaluate(noopInstall);
  else {
    const src = `${servers.sinkUrl}/sdk/${kind}.js`;
    await page.evaluate(tallyInstall, { snippet: readFileSync(files.snippet, 'utf8'), writeKey: 'benchkey', settings: { src, apiHost: servers.sinkUrl } });
  }
  await page.evaluate(() => window.__bench.load());
  await sleep(1000);
  servers.state.delivered = 0;
  servers.state.requests = 0;
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const t0 = await taskMs();
  if (COUNT) await page.evaluate(() => Object.keys(window.__counts).forEach((k) => (window.__counts[k] = 0)));
  await page.evaluate(([n, ms]) => window.__benchSteady(n, ms), [EVENTS, 20]);
  const end = Date.now();
  await sleep(500);
  if (kind === 'cloud') while (servers.state.delivered < EVENTS && Date.now() - Math.max(servers.state.lastAt, end) < 7000) await sleep(100);
  await sleep(300);
  const mainMs = (await taskMs()) - t0;
  if (COUNT) console.error(kind, 'calls per event:', Object.entries(await page.evaluate(() => window.__counts)).map(([k, v]) => `${k} ${(v / EVENTS).toFixed(2)}`).join(', '));
  if (profile) writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  await context.close();
  return { mainMs, delivered: servers.state.delivered, requests: servers.state.requests, errors };
}

/** Self time per function from a .cpuprofile, top n. */
function topFunctions(file, n = 25) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map();
  const dt = p.timeDeltas;
  p.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

const servers = await startServers();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
});
const results = Object.fromEntries(ONLY.map((k) => [k, []]));
try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of ONLY) {
      const res = await session(browser, servers, kind, PROFILE && kind === (process.env.PROFILE_KIND ?? 'cloud') && r === 0 ? PROFILE : '');
      results[kind].push(res);
      console.error(`round ${r + 1} ${kind}: ${((res.mainMs * 1000) / EVENTS).toFixed(0)} µs/event raw, delivered ${res.delivered}, requests ${res.requests}${res.errors.length ? ' errors ' + res.errors.join('; ') : ''}`);
    }
  }
} finally {
  await browser.close();
  servers.close();
}
const per = (k) => results[k].map((x) => (x.mainMs * 1000) / EVENTS);
const avg = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const control = results.noop ? avg(per('noop')) : 0;
for (const k of ONLY) {
  const raw = per(k);
  console.log(`${k.padEnd(6)} raw ${raw.map((x) => x.toFixed(0)).join(' / ')} µs/event; minus control ${(avg(raw) - control).toFixed(0)} µs/event`);
}
if (PROFILE) console.log(topFunctions(PROFILE).join('\n'));
