// The Chromium half of the bench: for each SDK, in a fresh context each time,
//   A. init cost and synchronous track() cost (rounds interleaved across SDKs),
//   B. a steady 50 events/s session: main-thread time per event incl. async work, requests and
//      bytes on the wire, and the scripts downloaded before the first event left the page,
//   C. the "10,000 calls in one loop" survival check,
//   D. the steady session again under the CPU profiler, for where Tally's main-thread time goes.
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { createFrameNamer, selfTimeByGroup, startProfiler } from './main-thread-profile.mjs';
import { harness } from './page-harness.mjs';
import { root } from './sdks.mjs';
import { BENCH_EVENT } from './servers.mjs';

/** Chromium as the project runs it (playwright.config.ts), plus a resolver that fails every host but 127.0.0.1. */
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ],
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const quantile = (values, q) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (v) => quantile(v, 0.5);

/** A fresh context and page with one scenario installed (not yet loaded). */
async function openPage(browser, servers, scenario) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const state = { outside: [], crashed: false, errors: [] };
  page.on('crash', () => (state.crashed = true));
  page.on('pageerror', (e) => state.errors.push(String(e.message).slice(0, 200)));
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1')) state.outside.push(r.url());
  });
  await page.goto(servers.siteUrl);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' }).catch(() => cdp.send('Performance.enable'));
  await page.evaluate(harness, BENCH_EVENT);
  await page.evaluate(scenario.install, scenario.cfg(servers.sinkUrl));
  const metric = async (name) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name)?.value ?? NaN;
  return {
    page,
    state,
    cdp,
    /** Main-thread task time so far, ms. */
    taskMs: async () => (await metric('TaskDuration')) * 1000,
    heapMb: async () => (await metric('JSHeapUsedSize')) / 1e6,
    async load() {
      const before = await this.taskMs();
      const wallMs = await page.evaluate(async () => {
        const t0 = performance.now();
        await window.__bench.load();
        return performance.now() - t0;
      });
      return { wallMs, mainMs: (await this.taskMs()) - before };
    },
    close: () => context.close(),
  };
}

async function withPage(browser, servers, scenario, fn) {
  let p;
  try {
    p = await openPage(browser, servers, scenario);
    return await fn(p);
  } catch (error) {
    return { error: String(error?.message ?? error).split('\n')[0].slice(0, 160), outside: p?.state.outside ?? [] };
  } finally {
    await p?.close().catch(() => {});
  }
}

/** A: init and synchronous track() cost, one fresh page. */
function syncRound(browser, servers, scenario, o) {
  return withPage(browser, servers, scenario, async (p) => {
    const init = await p.load();
    await p.page.evaluate(([n, per]) => window.__benchSample(n, per), [o.warmup, o.perSample]);
    const samples = await p.page.evaluate(([n, per, maxMs]) => window.__benchSample(n, per, maxMs), [o.calls, o.perSample, o.syncCapMs]);
    return { init, samples, outside: p.state.outside, errors: p.state.errors };
  });
}

/** Waits until the sink has `n` events, or nothing new arrived for `idleMs`, or `capMs` passed. */
async function waitDelivered(servers, n, { idleMs, capMs, since }) {
  const end = Date.now() + capMs;
  while (Date.now() < end && servers.delivered() < n) {
    const last = Math.max(servers.lastDataAt(), since);
    if (Date.now() - last > idleMs) break;
    await sleep(100);
  }
  return servers.delivered();
}

/** B: steady traffic at `rate` events/s: main thread, wire, and bytes before the first event. */
function steadySession(browser, servers, scenario, o) {
  return withPage(browser, servers, scenario, async (p) => {
    const init = await p.load();
    await sleep(o.settleMs);
    servers.reset();
    const t0 = await p.taskMs();
    const startedAt = Date.now();
    await p.page.evaluate(([n, interval]) => window.__benchSteady(n, interval), [o.events, 1000 / o.rate]);
    const sessionEnd = Date.now();
    await sleep(o.windowAfterMs);
    const delivered = scenario.noWire ? 0 : await waitDelivered(servers, o.events, { idleMs: o.idleMs, capMs: o.drainCapMs, since: sessionEnd });
    // The window runs until delivery ended, so the sending work of the last batch is counted too.
    await sleep(300);
    const mainMs = (await p.taskMs()) - t0;
    const windowMs = Date.now() - startedAt;
    const requests = servers.requests();
    const before = await scriptsBeforeFirstData(p.page, servers);
    return {
      init,
      events: o.events,
      mainMs,
      windowMs,
      delivered,
      requests: requests.length,
      preflights: requests.filter((r) => r.method === 'OPTIONS').length,
      bodyBytes: requests.reduce((n, r) => n + r.bodyBytes, 0),
      wireBytes: requests.reduce((n, r) => n + r.bodyBytes + r.headerBytes, 0),
      scriptsBeforeFirstEvent: before,
      outside: p.state.outside,
      errors: p.state.errors,
    };
  });
}
/**
 * Scripts the page fetched from the sink before its first data request started, from the page's
 * Resource Timing entries (the sink sends Timing-Allow-Origin, so sizes are visible): gzip body as
 * transferred, decoded size, and transfer size with headers. The buffer keeps the first 250
 * entries, which always include the scripts and the first data request.
 */
async function scriptsBeforeFirstData(page, servers) {
  const entries = await page.evaluate((sink) => performance.getEntriesByType('resource').filter((e) => e.name.startsWith(sink)).map((e) => ({ url: e.name, type: e.initiatorType, start: e.startTime, end: e.responseEnd, transfer: e.transferSize, body: e.encodedBodySize, decoded: e.decodedBodySize })), servers.sinkUrl);
  const data = entries.filter((e) => !servers.isAsset(new URL(e.url).pathname));
  const firstStart = data.length ? Math.min(...data.map((e) => e.start)) : Infinity;
  const scripts = entries.filter((e) => e.type === 'script' && e.end <= firstStart);
  return { count: scripts.length, transfer: sum(scripts, 'transfer'), body: sum(scripts, 'body'), decoded: sum(scripts, 'decoded'), sawFirstEvent: data.length > 0 };
}
const sum = (list, key) => list.reduce((n, x) => n + (x[key] || 0), 0);

/** C: n calls in one synchronous loop; did the tab survive, and how many events arrived. */
function survival(browser, servers, scenario, o) {
  return withPage(browser, servers, scenario, async (p) => {
    await p.load();
    await sleep(o.settleMs);
    servers.reset();
    let loopMs;
    let loopError;
    try {
      loopMs = await p.page.evaluate((n) => window.__benchLoop(n), o.loopCalls);
    } catch (error) {
      loopError = String(error?.message ?? error).split('\n')[0];
    }
    // Waits for delivery: quiet counts from the loop's end, and only while the page answers (a tab
    // still busy with the backlog is working, not done); at most loopCapMs.
    const answers = () => Promise.race([p.page.evaluate(() => true).catch(() => false), new Promise((r) => setTimeout(r, 2000).unref()).then(() => false)]);
    const end = Date.now() + o.loopCapMs;
    let quietSince = Date.now();
    let seen = servers.delivered();
    let busyMs = 0;
    while (!scenario.noWire && !p.state.crashed && Date.now() < end && seen < o.loopCalls) {
      const t = Date.now();
      const alive = await answers();
      if (!alive) busyMs += Date.now() - t;
      const now = servers.delivered();
      if (now !== seen || !alive) quietSince = Date.now();
      seen = now;
      if (Date.now() - quietSince > o.loopIdleMs) break;
      await sleep(250);
    }
    const delivered = servers.delivered();
    const responsive = !p.state.crashed && (await Promise.race([p.page.evaluate(() => true).catch(() => false), new Promise((r) => setTimeout(r, 5000).unref()).then(() => false)]));
    const heapMb = responsive ? await p.heapMb().catch(() => NaN) : NaN;
    return { calls: o.loopCalls, loopMs, loopError, crashed: p.state.crashed, responsive, busyMs, delivered, requests: servers.requests().length, heapMb, outside: p.state.outside };
  });
}

/** D: a shorter steady session under the CPU profiler: self time per source file / native function. */
function profiledSession(browser, servers, scenario, o) {
  return withPage(browser, servers, scenario, async (p) => {
    await p.load();
    await sleep(o.settleMs);
    servers.reset();
    const profiler = await startProfiler(p.cdp);
    const events = Math.min(o.events, o.profileEvents);
    await p.page.evaluate(([n, interval]) => window.__benchSteady(n, interval), [events, 1000 / o.rate]);
    const sessionEnd = Date.now();
    await sleep(o.windowAfterMs);
    if (!scenario.noWire) await waitDelivered(servers, events, { idleMs: o.idleMs, capMs: o.drainCapMs, since: sessionEnd });
    const profile = await profiler.stop();
    const nameFrame = createFrameNamer((scenario.files ?? []).map((f) => resolve(root, f)), servers.siteUrl);
    return { events, groups: selfTimeByGroup(profile, nameFrame) };
  });
}

/**
 * Runs every phase over `scenarios` (built ones only) plus the no-SDK control, interleaving
 * rounds so that machine noise falls on every SDK alike.
 */
export async function runBrowserBench(scenarios, servers, o, log) {
  const browser = await chromium.launch(LAUNCH);
  try {
    const browserVersion = browser.version();
    const timer = await withPage(browser, servers, o.noop, async (p) => p.page.evaluate(() => window.__benchTimer()));
    const all = [o.noop, ...scenarios];
    const results = Object.fromEntries(all.map((s) => [s.id, { sync: [], init: [], outside: [] }]));

    for (let round = 1; round <= o.rounds; round++) {
      for (const s of all) {
        log(`  A round ${round}/${o.rounds}: ${s.label} — init + ${o.calls} track() calls`);
        const r = await syncRound(browser, servers, s, o);
        if (r.error) results[s.id].error = r.error;
        else {
          results[s.id].sync.push(...r.samples);
          results[s.id].init.push(r.init);
          results[s.id].roundMedians = [...(results[s.id].roundMedians ?? []), median(r.samples)];
        }
        results[s.id].outside = [...new Set([...(results[s.id].outside ?? []), ...(r.outside ?? [])])];
      }
    }
    // The control runs first and last, so drift over the phase shows in (and averages out of) its cost.
    for (const s of [...all, o.noop]) {
      log(`  B steady ${o.rate}/s × ${o.events}: ${s.label}`);
      const steady = await steadySession(browser, servers, s, o);
      if (s === o.noop && results[s.id].steady) results[s.id].steadyLast = steady;
      else results[s.id].steady = steady;
      results[s.id].outside = [...new Set([...results[s.id].outside, ...(steady.outside ?? [])])];
    }
    for (const s of scenarios) {
      log(`  C ${o.loopCalls} calls in one loop: ${s.label}`);
      results[s.id].survival = await survival(browser, servers, s, o);
    }
    for (const s of [o.noop, ...scenarios.filter((x) => o.profileIds.includes(x.id))]) {
      log(`  D profiled steady ${o.rate}/s × ${Math.min(o.events, o.profileEvents)}: ${s.label}`);
      results[s.id].profile = await profiledSession(browser, servers, s, o);
    }
    return { browserVersion, timer, results };
  } finally {
    await browser.close();
  }
}
