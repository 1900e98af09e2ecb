// "Why the misses": for each target Tally missed in this run, the profile that shows where the
// cost is, measured in the same run (bytes by source file, main-thread self time by source file,
// proxy CPU by process). Written under the verdicts in RESULTS.md.
import { resolve } from 'node:path';
import { bytesBySource, packageOf } from './byte-profile.mjs';
import { markdownTable } from './report.mjs';
import { root, TALLY_FILES } from './sdks.mjs';

const nf = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');

function bundleProfile() {
  const rows = bytesBySource(resolve(root, TALLY_FILES.cloud));
  if (!rows) return 'No source map next to the cloud bundle: no byte profile.';
  const packages = new Map();
  for (const r of rows) packages.set(packageOf(r.source), (packages.get(packageOf(r.source)) ?? 0) + r.gzipEstimate);
  const top = rows.slice(0, 15);
  return [
    `Minified bytes of \`${TALLY_FILES.cloud}\` attributed to source files through its source map; ≈ gzip spreads the file's gzip size by each file's share.`,
    `By package (≈ gzip): ${[...packages].sort((a, b) => b[1] - a[1]).map(([p, g]) => `${p} ${nf(g)} B`).join(', ')}.`,
    '',
    markdownTable({ header: ['source file', 'minified bytes', '≈ gzip', 'share'], body: top.map((r) => [r.source, nf(r.bytes), nf(r.gzipEstimate), `${nf(r.share * 100, 1)}%`]) }),
  ].join('\n');
}

function mainThreadProfile(browser) {
  const r = browser?.results ?? {};
  const cloud = r['tally-cloud']?.profile;
  if (!cloud?.groups) return `No profile: ${cloud?.error ?? 'the profiled session did not run'}.`;
  const perEvent = (p, group) => ((p?.groups?.find((g) => g.group === group)?.ms ?? 0) * 1000) / (p?.events || 1);
  const total = (p) => (p?.groups ? (p.groups.reduce((n, g) => n + g.ms, 0) * 1000) / p.events : NaN);
  const columns = [['Tally cloud', cloud], ['Tally core', r['tally-core']?.profile], ['control (no SDK)', r.noop?.profile]].filter(([, p]) => p?.groups);
  const top = cloud.groups.slice(0, 12).map((g) => g.group);
  return [
    `V8 CPU profile (100 µs sampling) of a separate steady session of ${nf(cloud.events)} events at 50/s for each column, self time per event; profiling slows the page, so read the shares, not the absolute sum. "(program)" is the browser's own work outside JavaScript (IndexedDB and network plumbing, timers, task scheduling); "native x" is time inside built-in or DOM function x.`,
    '',
    markdownTable({
      header: ['where (self time)', ...columns.map(([label]) => `${label}, µs/event`)],
      body: [...top.map((g) => [g, ...columns.map(([, p]) => nf(perEvent(p, g), 1))]), ['all sampled (not idle)', ...columns.map(([, p]) => nf(total(p), 1))]],
    }),
  ].join('\n');
}

function proxyProfile(proxy) {
  const runs = (proxy?.runs ?? []).filter((x) => x.cpu);
  if (!runs.length) return 'No per-process CPU figures in this run.';
  const names = [...new Set(runs.flatMap((x) => Object.keys(x.cpu)))];
  return [
    'CPU time of each process during the throughput run (user + system), per event delivered; this machine has 2 cores, so 30,000 events/s leaves about 66 µs of CPU per event for all processes together.',
    '',
    markdownTable({ header: ['run', ...names.map((n) => `${n}, µs/event`), 'all'], body: runs.map((x) => [x.label ?? `${x.processes} process(es)`, ...names.map((n) => nf(x.cpu[n], 1)), nf(Object.values(x.cpu).reduce((a, b) => a + b, 0), 1)]) }),
    ...hotspots(proxy.profile),
  ].join('\n');
}

/** The proxy's threads under --cpu-prof: the biggest self-time groups of each, as a share of that thread's samples. */
function hotspots(profile) {
  if (!profile) return [];
  if (profile.error || !profile.threads?.length) return ['', `No function profile: ${profile.error ?? 'no profile written'}.`];
  const lines = ['', `Where the proxy's CPU goes by function: a separate run of the 1-process SQLite proxy under \`node --cpu-prof\` (${nf(profile.events)} events; profiling slows it, so its rate is not reported). Self time per package and function, as a share of the thread's sampled time, one table per thread (the biggest is the ingest main thread, the next the delivery thread).`];
  for (const t of profile.threads.slice(0, 2)) {
    lines.push('', markdownTable({ header: [`thread (${nf(t.totalMs)} ms sampled)`, 'self ms', 'share'], body: t.groups.map((g) => [g.group, nf(g.ms), `${nf((g.ms * 100) / t.totalMs, 1)}%`]) }));
  }
  return lines;
}

/** Markdown for every MISSED verdict that has a profile; empty when nothing was missed. */
export function whyMissed(verdicts, { browser, proxy }) {
  const sections = [];
  for (const v of verdicts.filter((x) => x.verdict === 'MISSED')) {
    if (v.key === 'bundle') sections.push(`### ${v.name}: where the bytes are\n${bundleProfile()}`);
    if (v.key === 'main') sections.push(`### ${v.name}: where the main-thread time goes\n${mainThreadProfile(browser)}`);
    if (v.key === 'proxy') sections.push(`### ${v.name}: where the CPU goes\n${proxyProfile(proxy)}`);
  }
  return sections.length ? `## Why the misses\n${sections.join('\n\n')}\n` : '';
}
