// Proxy throughput: the load generator (its own process) posts /v1/batch bodies to the proxy (its
// own process), which delivers to the Mixpanel emulator (this process). Events/s are counted end to
// end, when the emulator holds them. A no-op server run first shows the generator's own ceiling.
// Each process count runs with the SQLite queue and then with the PostgreSQL queue (a database of
// its own, dropped after), interleaved so a burst of other work on the machine hits both alike.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeProfiles } from './node-profile.mjs';
import { commandCpuSeconds, treeCpuSeconds } from './process-cpu.mjs';
import { root } from './sdks.mjs';

const here = (file) => join(root, 'bench/proxy', file);
export const PROXY_DIST = 'packages/proxy/dist/index.js';
export const EMULATOR_DIST = 'packages/mixpanel-emulator/dist/index.js';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A sleep that does not keep the process alive (for races against a child's exit). */
const unrefSleep = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/** Resident set size of a process and its children (cluster mode), MB (Linux /proc); NaN elsewhere. */
function rssMb(pid) {
  const rss = (p) => {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  const parentOf = (p) => {
    try {
      return /^\d+ \(.*\) \S (\d+)/.exec(readFileSync(`/proc/${p}/stat`, 'utf8'))?.[1];
    } catch {
      return undefined; // gone meanwhile
    }
  };
  let children = [];
  try {
    children = readdirSync('/proc').filter((d) => /^\d+$/.test(d) && parentOf(d) === String(pid));
  } catch {
    return NaN;
  }
  const total = rss(pid) + children.reduce((n, c) => n + rss(c), 0);
  return total || NaN;
}

/** Spawns a Node child that prints one JSON line when ready; resolves with it and a `stop()`. */
function startChild(script, arg, timeoutMs = 20_000, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...(arg ? [JSON.stringify(arg)] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-2000)));
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    child.kill('SIGTERM');
    if ((await Promise.race([exited.then(() => true), unrefSleep(8_000).then(() => false)])) === false) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${script} did not start within ${timeoutMs} ms: ${stderr.trim().split('\n').at(-1) ?? ''}`));
    }, timeoutMs);
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve({ ...JSON.parse(line), child, stop, stderr: () => stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** Runs the load generator to completion in its own process; resolves with its JSON report. */
function runLoad(options) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here('load.mjs'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err = (err + c).slice(-2000)));
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)));
      } catch {
        reject(new Error(`load generator exited ${code}: ${err.trim().split('\n').at(-1) ?? ''}`));
      }
    });
  });
}

/** Polls `count()` until it reaches `target`, or stops moving for `idleMs`, or `capMs` passes. */
async function waitCount(count, target, { idleMs, capMs }) {
  const end = Date.now() + capMs;
  let last = count();
  let lastChangeAt = Date.now();
  while (Date.now() < end && last < target && Date.now() - lastChangeAt < idleMs) {
    await sleep(50);
    const now = count();
    if (now !== last) {
      last = now;
      lastChangeAt = Date.now();
    }
  }
  return { count: last, lastChangeAt };
}

const rate = (events, ms) => (ms > 0 ? (events * 1000) / ms : NaN);

/** The PostgreSQL server of the PostgreSQL rows: `TALLY_BENCH_PG_URL`, or the local test server. */
const PG_SERVER = process.env.TALLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Opens the PostgreSQL server for the PostgreSQL rows and creates a database of their own (so its
 * pg_stat_database counts only the proxy's statements).
 * @returns the admin client and the database's URL, or `{ reason }` when the server is not usable.
 */
async function openBenchDatabase() {
  let pg;
  try {
    ({ default: pg } = await import('pg'));
  } catch (error) {
    return { reason: `the pg module is not installed (${error.message})` };
  }
  const admin = new pg.Client({ connectionString: PG_SERVER, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
    const name = `tally_bench_proxy_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(PG_SERVER);
    url.pathname = `/${name}`;
    return { admin, name, url: url.toString() };
  } catch (error) {
    await admin.end().catch(() => undefined);
    return { reason: `PostgreSQL at ${PG_SERVER.replace(/:[^:@/]*@/, ':***@')} is not reachable (${error.message}); start it with scripts/postgres-up.sh or set TALLY_BENCH_PG_URL` };
  }
}

/** Transactions of the bench database and the server's WAL position (WAL is server-wide). */
async function pgCounters(db) {
  const { rows } = await db.admin.query(
    `SELECT (xact_commit + xact_rollback)::float8 AS xacts, pg_current_wal_lsn() AS lsn FROM pg_stat_database WHERE datname = $1`,
    [db.name],
  );
  return rows[0];
}

/**
 * Calibration (no-op server), then for each proxy process count the proxy supports: a closed-loop
 * throughput run and an overload run, with RSS at rest and at peak.
 */
export async function runProxyBench(o, log) {
  const out = { calibration: undefined, runs: [], missing: [PROXY_DIST, EMULATOR_DIST].filter((f) => !existsSync(join(root, f))), notes: [] };
  const load = { writeKey: 'benchkey', batchSize: o.batchSize, concurrency: o.concurrency, events: o.events, durationMs: o.durationCapMs };

  log(`  calibration: load generator → no-op server, ${o.events} events`);
  const nul = await startChild(here('null-server.mjs'));
  try {
    const r = await runLoad({ ...load, url: nul.url });
    out.calibration = { ...r, eventsPerSec: rate(r.accepted, r.endedAt - r.startedAt) };
  } finally {
    await nul.stop();
  }
  if (out.missing.length) return out;

  const { createEmulator } = await import(join(root, EMULATOR_DIST));
  const db = await openBenchDatabase();
  if (db.reason) {
    log(`  skipping the PostgreSQL rows: ${db.reason}`);
    out.notes.push(`PostgreSQL rows skipped: ${db.reason}.`);
  }
  const pgProcesses = o.pgProcesses ?? [1, 2, 3];
  const setups = [...new Set([...o.processes, ...(db.reason ? [] : pgProcesses)])]
    .sort((a, b) => a - b)
    .flatMap((processes) => [
      ...(o.processes.includes(processes) ? [{ processes, queue: 'sqlite' }] : []),
      ...(!db.reason && pgProcesses.includes(processes) ? [{ processes, queue: 'postgres' }] : []),
    ]);
  try {
    for (const setup of setups) out.runs.push(await runProxy(setup, { o, log, load, createEmulator, db }));
    out.profile = await profileProxy({ o, log, load, createEmulator });
  } finally {
    if (!db.reason) {
      await db.admin.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`).catch(() => undefined);
      await db.admin.end().catch(() => undefined);
    }
  }
  out.notes.push('Processes = the proxy\'s `processes` setting (node:cluster ingest children sharing the port). With SQLite the primary owns the queue and delivers; with PostgreSQL every child is a whole proxy (ingest and delivery) on one shared queue. RSS is summed over the primary and its children.');
  out.notes.push('PostgreSQL runs on the same 2-core machine as the proxy, the load generator and the emulator: more processes compete for the same cores, so the machine caps any scaling.');
  for (const run of out.runs.filter((r) => r.queue === 'postgres' && r.pgCost)) {
    const c = run.pgCost;
    out.notes.push(`PostgreSQL queue, ${run.processes} process${run.processes > 1 ? 'es' : ''}: ${nf2(c.statementsPerEvent, 3)} statements (transactions) and ${nf2(c.walBytesPerEvent, 0)} WAL bytes per accepted event over the proxy's whole life (start, migration, throughput and overload runs, idle polling; ${c.events} events; WAL is server-wide), load average ${run.load}.`);
  }
  return out;
}

const nf2 = (n, digits) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** The proxy's bench config: the emulator as Mixpanel, a temp data dir, no rate limit. */
function benchConfig({ emu, dataDir, processes, queue, db, o }) {
  return {
    writeKeys: ['benchkey'],
    mixpanel: { token: 'tally-dev-token', apiSecret: 'tally-dev-secret' },
    mixpanelApiUrl: emu.url,
    host: '127.0.0.1',
    port: 0,
    dataDir,
    rateLimit: false,
    maxQueueSize: o.maxQueueSize,
    mixpanelJs: false,
    passThrough: false,
    logLevel: 'silent',
    processes,
    // A fresh schema per run; the whole bench database is dropped at the end.
    ...(queue === 'postgres' ? { queue: db.url, queueSchema: `tally_bench_${processes}` } : {}),
  };
}

/** A short throughput run of the 1-process SQLite proxy under `node --cpu-prof`: self time by function per thread. */
async function profileProxy({ o, log, load, createEmulator }) {
  const emu = await createEmulator({ maxEvents: 20_000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-bench-proxy-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'tally-bench-profile-'));
  let proxy;
  try {
    log(`  proxy (1 process, SQLite) under --cpu-prof: ${o.profileEvents} events`);
    proxy = await startChild(here('proxy-child.mjs'), benchConfig({ emu, dataDir, processes: 1, queue: 'sqlite', o }), 20_000, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    const emulated = () => {
      const e = emu.stats().events;
      return e.stored + e.evicted + e.deduplicated;
    };
    const r = await runLoad({ ...load, url: proxy.url, events: o.profileEvents });
    await waitCount(emulated, r.accepted, { idleMs: o.drainIdleMs, capMs: o.drainCapMs });
    // The profiles are written when the process exits.
    await proxy.stop();
    return { events: r.accepted, threads: summarizeProfiles(profileDir) };
  } catch (error) {
    return { error: String(error?.message ?? error).split('\n')[0].slice(0, 200) };
  } finally {
    await proxy?.stop();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  }
}

/** One proxy (1..n processes) on one queue: throughput run, then overload run. */
async function runProxy({ processes, queue }, { o, log, load, createEmulator, db }) {
  const emu = await createEmulator({ maxEvents: 20_000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-bench-proxy-'));
  const config = benchConfig({ emu, dataDir, processes, queue, db, o });
  const emulated = () => {
    const s = emu.stats().events;
    return s.stored + s.evicted + s.deduplicated;
  };
  let proxy;
  const label = `${processes} process${processes > 1 ? 'es' : ''}, ${queue === 'postgres' ? 'PostgreSQL' : 'SQLite'}`;
  const run = { processes, queue, label, config: { ...config, dataDir: '(temp dir)', mixpanelApiUrl: '(emulator)', ...(queue === 'postgres' ? { queue: '(bench database)' } : {}) } };
  // PostgreSQL counters are read before the proxy starts and after it exited: exiting backends
  // flush their statistics, so the difference is exact for this proxy's whole life.
  const pgBefore = queue === 'postgres' ? await pgCounters(db) : undefined;
  try {
    log(`  proxy (${label}): throughput, ${o.events} events, ${o.concurrency} clients`);
    proxy = await startChild(here('proxy-child.mjs'), config);
    await sleep(1000);
    run.rssRestMb = rssMb(proxy.pid);
    let peak = run.rssRestMb;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(proxy.pid))), 100);
    try {
      const before = emulated();
      // CPU of each process over the run and its drain: where the machine's two cores went.
      const cpuBefore = { proxy: treeCpuSeconds(proxy.pid), emulator: process.cpuUsage(), postgres: commandCpuSeconds('postgres') };
      const r = await runLoad({ ...load, url: proxy.url });
      const done = await waitCount(emulated, before + r.accepted, { idleMs: o.drainIdleMs, capMs: o.drainCapMs });
      const perEvent = (seconds) => (seconds * 1e6) / Math.max(1, done.count - before);
      const emulatorCpu = process.cpuUsage(cpuBefore.emulator);
      run.cpu = {
        proxy: perEvent(treeCpuSeconds(proxy.pid) - cpuBefore.proxy),
        'emulator (bench process)': perEvent((emulatorCpu.user + emulatorCpu.system) / 1e6),
        'load generator': perEvent((r.cpuUs ?? NaN) / 1e6),
        ...(queue === 'postgres' ? { PostgreSQL: perEvent(commandCpuSeconds('postgres') - cpuBefore.postgres) } : {}),
      };
      run.throughput = {
        ...r,
        ingestPerSec: rate(r.accepted, r.endedAt - r.startedAt),
        delivered: done.count - before,
        endToEndPerSec: rate(done.count - before, done.lastChangeAt - r.startedAt),
        drainMs: done.lastChangeAt - r.endedAt,
        rssPeakMb: peak,
      };
      run.rssAfterThroughputMb = rssMb(proxy.pid);

      log(`  proxy (${label}): overload, ${o.overloadConcurrency} clients for ${o.overloadMs} ms`);
      peak = rssMb(proxy.pid);
      const before2 = emulated();
      const r2 = await runLoad({ ...load, url: proxy.url, concurrency: o.overloadConcurrency, events: Number.MAX_SAFE_INTEGER, durationMs: o.overloadMs });
      const rssAtEnd = rssMb(proxy.pid);
      const done2 = await waitCount(emulated, before2 + r2.accepted, { idleMs: o.drainIdleMs, capMs: o.drainCapMs });
      run.overload = {
        ...r2,
        ingestPerSec: rate(r2.accepted, r2.endedAt - r2.startedAt),
        delivered: done2.count - before2,
        endToEndPerSec: rate(done2.count - before2, done2.lastChangeAt - r2.startedAt),
        rssPeakMb: Math.max(peak, rssAtEnd),
      };
    } finally {
      clearInterval(sampler);
    }
  } catch (error) {
    run.error = String(error?.message ?? error).split('\n')[0].slice(0, 300);
  } finally {
    run.load = loadavg()[0].toFixed(1);
    await proxy?.stop();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (pgBefore) {
    try {
      await sleep(500); // the backends' exit flushes their statistics
      const after = await pgCounters(db);
      const { rows } = await db.admin.query('SELECT pg_wal_lsn_diff($1, $2)::float8 AS wal', [after.lsn, pgBefore.lsn]);
      const events = (run.throughput?.accepted ?? 0) + (run.overload?.accepted ?? 0);
      run.pgCost = { events, statementsPerEvent: (after.xacts - pgBefore.xacts) / events, walBytesPerEvent: rows[0].wal / events };
      log(`  proxy (${label}): ${nf2(run.pgCost.statementsPerEvent, 3)} statements and ${nf2(run.pgCost.walBytesPerEvent, 0)} WAL bytes per event, load ${run.load}`);
    } catch (error) {
      run.pgCost = { error: String(error?.message ?? error).slice(0, 200) };
    }
  }
  return run;
}
