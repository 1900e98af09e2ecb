// `npm run bench` (`node bench/run.mjs`): Tally against mixpanel.js, Segment analytics-next and
// RudderStack v3, side by side in one run, plus the proxy's throughput. Prints one table and writes
// bench/RESULTS.md. Only prints numbers: nothing here asserts timings, and `npm test` never runs it.
//
//   node bench/run.mjs             full run (about 20–25 minutes on 2 busy cores)
//   node bench/run.mjs --quick     smoke run with small counts (under a minute): numbers not meaningful
//   options: --no-build, --rounds N, --calls N (per round), --events N, --loop N, --only id,id, --skip-browser, --skip-proxy
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBrowserBench } from './lib/browser-bench.mjs';
import { runProxyBench } from './lib/proxy-bench.mjs';
import { buildProxyTable, buildTable, environment, machineLoad, markdownTable, targets, textTable } from './lib/report.mjs';
import { loadScenarios, noopScenario, root, TALLY_FILES } from './lib/sdks.mjs';
import { startServers } from './lib/servers.mjs';
import { measureSizes } from './lib/sizes.mjs';
import { whyMissed } from './lib/why-missed.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    calls: { type: 'string' },
    events: { type: 'string' },
    loop: { type: 'string' },
    only: { type: 'string' },
    'skip-browser': { type: 'boolean', default: false },
    'skip-proxy': { type: 'boolean', default: false },
  },
});
const quick = args.quick;
const num = (v, d) => (v === undefined ? d : Number(v));

/** Counts per mode. */
const o = {
  noop: noopScenario,
  // 10,000 calls per SDK as 5 interleaved rounds of 2,000 (fresh page each): noise falls on every
  // SDK alike, and no SDK's queue grows past what a 2,000-call burst leaves.
  rounds: num(args.rounds, quick ? 1 : 5),
  calls: num(args.calls, quick ? 200 : 2_000),
  syncCapMs: quick ? 10_000 : 30_000,
  warmup: quick ? 20 : 200,
  perSample: 10,
  rate: 50,
  events: num(args.events, quick ? 25 : 1_000),
  settleMs: quick ? 300 : 1_000,
  windowAfterMs: quick ? 500 : 1_000,
  // mixpanel.js flushes its batch every 5 s: wait longer than that for quiet before calling it drained.
  idleMs: quick ? 1_000 : 7_000,
  drainCapMs: quick ? 2_500 : 30_000,
  loopCalls: num(args.loop, quick ? 200 : 10_000),
  loopIdleMs: quick ? 1_000 : 7_000,
  loopCapMs: quick ? 3_000 : 120_000,
  // D: which SDKs get a CPU-profiled steady session (the "why" behind a main-thread miss), and its length.
  profileIds: ['tally-core', 'tally-cloud'],
  profileEvents: quick ? 25 : 500,
};
const po = {
  batchSize: 20,
  concurrency: 16,
  events: quick ? 2_000 : 100_000,
  durationCapMs: quick ? 10_000 : 60_000,
  overloadConcurrency: 128,
  overloadMs: quick ? 500 : 10_000,
  drainIdleMs: quick ? 1_500 : 5_000,
  drainCapMs: quick ? 5_000 : 120_000,
  maxQueueSize: 1_000_000,
  processes: [1, 2],
  // Proxy processes on one PostgreSQL queue (issue 11); the smoke run keeps one to stay under a minute.
  pgProcesses: quick ? [1] : [1, 2, 3],
  // The extra run under --cpu-prof that shows where the proxy's CPU goes.
  profileEvents: quick ? 2_000 : 30_000,
};

const t0 = Date.now();
const log = (line) => console.error(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}`);
const startedAt = new Date();
const loadAtStart = machineLoad();
log(`tally bench ${quick ? '(quick: smoke counts, numbers not meaningful)' : ''} — load average ${loadAtStart.loadavg}${loadAtStart.busy ? ' (BUSY: figures will be noisy)' : ''}`);

// ---- build what the bench uses, only when a package's sources are newer than its output ----
/** Package → the built file that says it is built. */
const BUILT = {
  core: 'packages/core/dist/index.js',
  mixpanel: 'packages/mixpanel/dist/index.js',
  browser: TALLY_FILES.core,
  'destination-cloud': TALLY_FILES.cloud,
  'destination-mixpanel': TALLY_FILES.device,
  proxy: 'packages/proxy/dist/index.js',
  'mixpanel-emulator': 'packages/mixpanel-emulator/dist/index.js',
};
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
const buildNotes = [];
if (!args['no-build']) {
  const stale = Object.entries(BUILT).filter(([pkg, file]) => {
    const src = join(root, 'packages', pkg, 'src');
    if (!existsSync(src)) return false;
    const out = resolve(root, file);
    return !existsSync(out) || statSync(out).mtimeMs < newestMtime(src);
  });
  if (stale.length) {
    const only = stale.map(([pkg]) => pkg).join(',');
    log(`building ${only} (sources newer than their output) …`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [join(root, 'node_modules/rollup/dist/bin/rollup'), '-c', 'rollup.config.mjs', '--silent'], {
      cwd: root,
      env: { ...process.env, TALLY_ONLY: only },
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      const why = (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ');
      buildNotes.push(`build of ${only} failed; whatever was already in dist/ was used: ${why}`);
      log(`  build failed (continuing with existing output): ${why}`);
    } else log(`  built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

// ---- scenarios, sizes ----
let scenarios = await loadScenarios();
if (args.only) scenarios = scenarios.filter((s) => args.only.split(',').includes(s.id));
const sizes = measureSizes(scenarios);
const built = scenarios.filter((s) => !s.missing.length);
for (const s of scenarios.filter((x) => x.missing.length)) log(`  ${s.label}: not built (${s.missing.join(', ')})`);

// ---- browser ----
let browser;
if (!args['skip-browser']) {
  log('browser (Chromium):');
  const servers = await startServers();
  try {
    for (const s of built) servers.addAssets(s.assets(servers.sinkUrl));
    browser = await runBrowserBench(built, servers, o, log);
  } finally {
    await servers.close();
  }
}

// ---- proxy ----
let proxy = { calibration: undefined, runs: [], missing: [], skipped: true, notes: [] };
if (!args['skip-proxy']) {
  log('proxy:');
  try {
    proxy = await runProxyBench(po, log);
  } catch (error) {
    proxy = { ...proxy, skipped: false, runs: [{ error: String(error?.message ?? error) }] };
  }
}

// ---- report ----
const loadAtEnd = machineLoad();
const table = buildTable(scenarios, sizes, browser, o);
const proxyTable = buildProxyTable(proxy, po);
const verdicts = targets(table, sizes, proxy);
const env = environment({ chromium: browser?.browserVersion ?? 'not run', timer: browser?.timer });

console.log(`\n${textTable(table)}\n\n${textTable(proxyTable)}\n`);
if (quick) console.log('quick run: the verdicts below come from smoke counts and short waits; they mean nothing');
for (const v of verdicts) console.log(`${v.verdict.padEnd(12)} ${v.name}: ${v.detail}`);
for (const e of table.errors) console.log(`error: ${e}`);
const why = whyMissed(verdicts, { browser, proxy });
if (why) console.log(`\n${why}`);
console.log(`\nload average at start ${loadAtStart.loadavg}, at end ${loadAtEnd.loadavg} (${env.cores} cores)${loadAtStart.busy || loadAtEnd.busy ? ': taken under load, figures are noisy' : ''}`);

const fmt = (v) => (Number.isFinite(v) ? v.toFixed(v < 100 ? 1 : 0) : '–');
const details = {
  control: table.sum.control ? `${fmt(table.sum.control.perEventUs)} µs per event (runs: ${table.sum.control.runsUs.map(fmt).join(', ')} µs)` : '–',
  rounds: built.map((s) => `${s.label} ${(table.sum[s.id]?.roundMedians ?? []).map(fmt).join(' / ')} µs`).join('; '),
};
const configured = scenarios.map((s) => `- **${s.label}** ${s.version ?? ''}: ${s.configured}${s.missing.length ? ` — _not built_ (${s.missing.join(', ')})` : ''}`);
const md = `# Tally bench results

${quick ? '**Quick (smoke) run: small counts, numbers not meaningful.**\n\n' : ''}Generated by \`node bench/run.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` on ${startedAt.toISOString()}. Method and caveats: [bench/README.md](README.md).

## Machine
- CPU: ${env.cpu}, ${env.cores} cores; Node ${env.node}; Chromium ${env.chromium} (headless, \`/usr/bin/chromium\`)
- performance.now() in the page: cross-origin isolated = ${env.timer?.crossOriginIsolated}, smallest step seen ${env.timer?.stepUs ?? '–'} µs; each sync sample times ${o.perSample} calls
- load average at start: ${loadAtStart.loadavg}; at end: ${loadAtEnd.loadavg}${loadAtStart.busy || loadAtEnd.busy ? ' — **taken under load (other work on the machine): figures are noisy**' : ''}
- busiest processes at start: ${loadAtStart.top.join(', ') || '–'}

## Counts
${o.rounds} interleaved round(s) of ${o.calls.toLocaleString('en-US')} \`track()\` calls per SDK (at most ${o.syncCapMs / 1000} s per round) (after ${o.warmup} warm-up calls), a steady session of ${o.events.toLocaleString('en-US')} events at ${o.rate}/s, ${o.loopCalls.toLocaleString('en-US')} calls in one loop; proxy: ${po.events.toLocaleString('en-US')} events in /v1/batch bodies of ${po.batchSize} from ${po.concurrency} keep-alive clients, then ${po.overloadConcurrency} clients for ${po.overloadMs / 1000} s.

## Browser SDKs (ratios: ÷ Tally cloud)
${markdownTable(table)}
${table.errors.length ? `\nErrors: ${table.errors.join('; ')}\n` : ''}
Details: harness cost subtracted from "main thread per event" (the control: same page and timer, no-op \`track\`): ${details.control}. \`track()\` median per round (spread across rounds): ${details.rounds}.

## Proxy
${markdownTable(proxyTable)}

${proxy.notes.map((n) => `- ${n}`).join('\n')}

## Targets (Tally)
${quick ? '_Quick run: these come from smoke counts and short waits; they mean nothing._\n\n' : ''}${verdicts.map((v) => `- ${v.verdict === 'MISSED' ? '**MISSED**' : v.verdict}: ${v.name} — ${v.detail}`).join('\n')}

${why}
## What was configured
${configured.join('\n')}
- Proxy: ${JSON.stringify(proxy.runs[0]?.config ?? 'not run')}
${buildNotes.map((n) => `- ${n}`).join('\n')}
`;
// A quick run's numbers mean nothing, so it never replaces the last full run's RESULTS.md.
const resultsFile = quick ? 'bench/.cache/RESULTS-quick.md' : 'bench/RESULTS.md';
mkdirSync(join(root, 'bench/.cache'), { recursive: true });
writeFileSync(join(root, resultsFile), md);
log(`wrote ${resultsFile}`);
