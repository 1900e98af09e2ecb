// Turns the measurements into one side-by-side table (SDKs as columns), the proxy table, the
// targets verdicts, and RESULTS.md with the machine and what was configured for each peer.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { quantile } from './browser-bench.mjs';

const median = (v) => quantile(v, 0.5);
const nf = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const kb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : '–');
const us = (v) => (Number.isFinite(v) ? `${nf(v, v < 100 ? 1 : 0)} µs` : '–');
const ms = (v) => (Number.isFinite(v) ? `${nf(v, 1)} ms` : '–');

/** The machine now: load averages and the busiest processes (to judge whether numbers were taken under load). */
export function machineLoad() {
  let top = [];
  try {
    top = execFileSync('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(1, 6)
      .map((l) => l.trim().replace(/\s+/, '% '));
  } catch {}
  const [one, five, fifteen] = loadavg();
  return { loadavg: [one, five, fifteen].map((x) => x.toFixed(2)).join(' '), busy: one > 0.5 * cpus().length, top };
}

export function environment(extra) {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, ...extra };
}

/** Per-scenario summary numbers derived from the raw browser results. */
function summarize(scenarios, sizes, browser) {
  const r = browser?.results ?? {};
  const noop = r.noop;
  // The harness's own cost per event: the mean of the control's two steady sessions (first and last).
  const controls = [noop?.steady, noop?.steadyLast].filter((x) => x && !x.error);
  const noopPerEvent = controls.length ? controls.reduce((n, x) => n + x.mainMs / x.events, 0) / controls.length : 0;
  const out = {};
  for (const s of scenarios) {
    const x = r[s.id] ?? {};
    const size = sizes.filter((row) => row.id === s.id);
    const st = x.steady && !x.steady.error ? x.steady : undefined;
    out[s.id] = {
      missing: s.missing,
      noWire: Boolean(s.noWire),
      error: x.error ?? x.steady?.error,
      gzip: size.map((row) => row.gzip),
      brotli: size.map((row) => row.brotli),
      bytes: size.map((row) => row.bytes),
      beforeFirst: st?.scriptsBeforeFirstEvent,
      initWall: median((x.init ?? []).map((i) => i.wallMs)),
      initMain: median((x.init ?? []).map((i) => i.mainMs)),
      syncMedian: median(x.sync ?? []),
      syncP95: quantile(x.sync ?? [], 0.95),
      roundMedians: x.roundMedians ?? [],
      samples: (x.sync ?? []).length,
      perEventMain: st ? ((st.mainMs - noopPerEvent * st.events) / st.events) * 1000 : NaN,
      steady: st,
      survival: x.survival,
      outside: x.outside ?? [],
    };
  }
  out.control = { perEventUs: noopPerEvent * 1000, runsUs: controls.map((x) => (x.mainMs / x.events) * 1000) };
  return out;
}

/** The one table: rows are measures, columns are SDKs; ratios are peer ÷ Tally cloud. */
export function buildTable(scenarios, sizes, browser, o) {
  const sum = summarize(scenarios, sizes, browser);
  const base = sum['tally-cloud'];
  const haveBase = base && !base.missing.length && Number.isFinite(base.syncMedian);
  const ratio = (v, b) => (haveBase && Number.isFinite(v) && Number.isFinite(b) && b > 0 && v !== b ? ` (×${nf(v / b, v / b < 10 ? 1 : 0)})` : '');
  const cell = (s, fn) => {
    const x = sum[s.id];
    if (x.missing.length) return 'not built';
    try {
      return fn(x);
    } catch {
      return '–';
    }
  };
  const rows = [
    ['script-tag bundle, gzip / brotli', (x) => x.gzip.map((g, i) => `${kb(g)} / ${kb(x.brotli[i])}`).join('; ')],
    [
      'JS before the first event left (gzip; decoded)',
      (x) =>
        x.beforeFirst
          ? `${kb(x.beforeFirst.body)}; ${kb(x.beforeFirst.decoded)}${x.beforeFirst.sawFirstEvent ? '' : x.noWire ? ' (no destination: all scripts)' : ' (no event left: all scripts)'}`
          : '–',
    ],
    ['init: wall / main-thread', (x) => `${ms(x.initWall)} / ${ms(x.initMain)}`],
    [
      'track() sync, median',
      (x) => {
        const calls = x.samples * o.perSample;
        const short = calls < o.rounds * o.calls ? ` [only ${nf(calls)} calls in the time cap]` : '';
        return `${us(x.syncMedian)}${ratio(x.syncMedian, base?.syncMedian)}${short}`;
      },
    ],
    ['track() sync, p95', (x) => `${us(x.syncP95)}${ratio(x.syncP95, base?.syncP95)}`],
    [`main thread per event incl. async (${o.rate}/s)`, (x) => `${us(x.perEventMain)}${ratio(x.perEventMain, base?.perEventMain)}`],
    [
      'requests per 1,000 events (of them preflights)',
      (x) => (x.steady && !x.noWire ? `${nf((x.steady.requests * 1000) / x.steady.events, 1)} (${x.steady.preflights})` : '–'),
    ],
    ['wire bytes per 1,000 events (body; +headers)', (x) => (x.steady && !x.noWire ? `${kb((x.steady.bodyBytes * 1000) / x.steady.events)}; ${kb((x.steady.wireBytes * 1000) / x.steady.events)}` : '–')],
    ['delivered in the steady session', (x) => (x.steady && !x.noWire ? `${nf(x.steady.delivered)}/${nf(x.steady.events)}` : '–')],
    [
      `${nf(o.loopCalls)} calls in one loop: tab/delivered/time/heap`,
      (x) => {
        const v = x.survival;
        if (!v) return '–';
        if (v.error) return `error: ${v.error}`;
        const tab = v.crashed ? 'crashed' : v.responsive ? (v.busyMs > 2000 ? `alive (hung ${nf(v.busyMs / 1000)} s)` : 'alive') : 'unresponsive';
        return `${tab} / ${x.noWire ? 'n/a' : `${nf(v.delivered)}`} / ${v.loopError ? 'threw' : ms(v.loopMs)}${Number.isFinite(v.heapMb) ? ` / heap ${nf(v.heapMb, 1)} MB` : ''}`;
      },
    ],
    ['requests to outside hosts attempted', (x) => `${x.outside.length}`],
  ];
  const header = ['', ...scenarios.map((s) => `${s.label} ${s.version ?? ''}`.trim())];
  const body = rows.map(([name, fn]) => [name, ...scenarios.map((s) => cell(s, fn))]);
  const errors = scenarios.filter((s) => sum[s.id].error).map((s) => `${s.label}: ${sum[s.id].error}`);
  return { header, body, sum, errors };
}

export function buildProxyTable(proxy, o) {
  const cal = proxy.calibration;
  const runs = proxy.runs.length ? proxy.runs : o.processes.map((processes) => ({ processes }));
  const header = ['proxy', 'generator → no-op server (ceiling)', ...runs.map((r) => r.label ?? `${r.processes ?? '?'} process${r.processes > 1 ? 'es' : ''}`)];
  const missing = proxy.skipped ? 'skipped' : proxy.missing.length ? `not built (${proxy.missing.join(', ')})` : undefined;
  const each = (fn) =>
    runs.map((run) => {
      if (missing) return missing;
      if (run.error) return `error: ${run.error}`;
      try {
        return fn(run, run.throughput, run.overload);
      } catch {
        return '–';
      }
    });
  const body = [
    ['events/s (ingest accepted)', cal ? nf(cal.eventsPerSec) : proxy.skipped ? 'skipped' : '–', ...each((r, t) => nf(t.ingestPerSec))],
    ['events/s end to end (in the emulator)', 'n/a', ...each((r, t) => `${nf(t.endToEndPerSec)} (${nf(t.delivered)}/${nf(t.accepted)})`)],
    ['ingest latency p50 / p99', cal ? `${ms(cal.p50)} / ${ms(cal.p99)}` : '–', ...each((r, t) => `${ms(t.p50)} / ${ms(t.p99)}`)],
    ['proxy RSS at rest / peak under load', 'n/a', ...each((r, t) => `${nf(r.rssRestMb)} / ${nf(t.rssPeakMb)} MB`)],
    [
      `overload, ${o.overloadConcurrency} clients ${nf(o.overloadMs / 1000, 1)} s: accepted/s, statuses, p99, RSS`,
      'n/a',
      ...each((r, t, ov) => `${nf(ov.ingestPerSec)}/s, ${Object.entries(ov.statuses).map(([k, v]) => `${k}×${v}`).join(' ')}, ${ms(ov.p99)}, ${nf(ov.rssPeakMb)} MB`),
    ],
    // The PostgreSQL queue's cost over the proxy's whole life (throughput and overload runs, idle polling).
    ['queue cost per event: statements / WAL bytes', 'n/a', ...each((r) => (r.pgCost && !r.pgCost.error ? `${nf(r.pgCost.statementsPerEvent, 3)} / ${nf(r.pgCost.walBytesPerEvent)} B` : r.queue === 'postgres' ? '–' : 'n/a (SQLite)'))],
  ];
  return { header, body };
}

/** Verdicts against the targets in DESIGN.md and the brief, for Tally only. */
export function targets(table, sizes, proxy) {
  const cloud = table.sum['tally-cloud'];
  const out = [];
  const verdict = (name, ok, detail, key) => out.push({ name, key, verdict: ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED', detail });
  if (!cloud || cloud.missing.length) {
    verdict('cloud bundle ≤ 6 KB gzip', undefined, 'Tally cloud not built');
    verdict('track() ≤ 10 µs median', undefined, 'Tally cloud not built');
    verdict('track() ≥ 3× cheaper than each peer', undefined, 'Tally cloud not built');
    verdict('main thread ≤ 50 µs per event incl. async', undefined, 'Tally cloud not built');
    verdict('≤ 1 request per 20 events (DESIGN: ≤ 20 per 1,000)', undefined, 'Tally cloud not built');
    verdict('10,000 calls in one loop all delivered', undefined, 'Tally cloud not built');
  } else {
    const gz = cloud.gzip[0];
    verdict('cloud bundle ≤ 6 KB gzip', gz <= 6144, `${kb(gz)}`, 'bundle');
    verdict('track() ≤ 10 µs median', cloud.syncMedian <= 10, us(cloud.syncMedian));
    const peers = ['mixpanel', 'segment', 'rudderstack'].map((id) => [id, table.sum[id]]).filter(([, x]) => x && Number.isFinite(x.syncMedian));
    const worst = peers.map(([id, x]) => [id, x.syncMedian / cloud.syncMedian]).sort((a, b) => a[1] - b[1])[0];
    verdict('track() ≥ 3× cheaper than each peer', worst ? worst[1] >= 3 : undefined, worst ? `closest peer ${worst[0]}: ×${nf(worst[1], 1)}` : 'no peer measured');
    verdict('main thread ≤ 50 µs per event incl. async', Number.isFinite(cloud.perEventMain) ? cloud.perEventMain <= 50 : undefined, us(cloud.perEventMain), 'main');
    const st = cloud.steady;
    const per1000 = st ? (st.requests * 1000) / st.events : NaN;
    verdict('≤ 1 request per 20 events (DESIGN: ≤ 20 per 1,000)', Number.isFinite(per1000) ? per1000 <= 50 : undefined, `${nf(per1000, 1)} per 1,000 (${per1000 <= 20 ? 'also' : 'not'} within DESIGN's 20)`);
    const sv = cloud.survival;
    verdict(`${nf(sv?.calls ?? 0)} calls in one loop all delivered`, sv ? !sv.crashed && sv.delivered >= sv.calls : undefined, sv ? `${nf(sv.delivered)}/${nf(sv.calls)}` : '');
  }
  const best = (proxy?.runs ?? []).filter((r) => r.throughput).sort((a, b) => b.throughput.endToEndPerSec - a.throughput.endToEndPerSec)[0];
  const t = best?.throughput;
  verdict(
    'proxy ≥ 30,000 events/s end to end',
    t ? t.endToEndPerSec >= 30_000 : undefined,
    t
      ? `${nf(t.endToEndPerSec)}/s at best (${best.label ?? `${best.processes} process${best.processes > 1 ? 'es' : ''}`}; generator ceiling ${nf(proxy.calibration?.eventsPerSec)}/s)`
      : proxy?.skipped ? 'skipped' : proxy?.missing?.length ? 'proxy not built' : proxy?.runs?.[0]?.error ?? '',
    'proxy',
  );
  return out;
}

/** A plain-text table with aligned columns, for the terminal. */
export function textTable({ header, body }) {
  const rows = [header, ...body];
  const widths = header.map((_, i) => Math.min(44, Math.max(...rows.map((r) => String(r[i]).length))));
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join(' │ ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...body.map(line)].join('\n');
}

export function markdownTable({ header, body }) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  return [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}
