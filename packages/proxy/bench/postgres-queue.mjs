// Queue throughput and cost: the PostgreSQL queue with 1, 2 and 3 processes on one server against
// the SQLite queue in one process. Each process drives its queue as a proxy does (16 concurrent
// enqueues of 20-record requests, 2 claim-and-ack loops with Mixpanel's 2,000-record claim) and
// delivery is instant, so only the queue is measured. Per event: statements (transactions from
// pg_stat_database of a database of its own), WAL bytes (server-wide: other work on the server
// adds to it), and the table's size after the run. CPU ms per 1,000 events (the proxy processes'
// own, and the PostgreSQL server's processes', read from /proc) is the figure a busy machine skews
// least. Prints only; it is a benchmark, not a test.
//   node packages/proxy/bench/postgres-queue.mjs [--events 60000] [--processes 1,2,3] [--url postgres://…]
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const self = fileURLToPath(import.meta.url);
const proxyDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** CPU ms used so far by every process named `postgres` (Linux /proc; 0 elsewhere). */
function postgresCpuMs() {
  let ticks = 0;
  let names = [];
  try {
    names = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of names) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (clock ticks of 10 ms)
    } catch {
      // gone meanwhile
    }
  }
  return ticks * 10;
}

// A mapped /import event as the ingest stores it (about 600 bytes).
const body = (n) =>
  JSON.stringify({
    event: 'Product Viewed',
    properties: {
      time: Date.now(), distinct_id: `user-${n % 1000}`, $insert_id: `bench-${n}`, sku: `sku-${n}`, price: 19.99, currency: 'EUR',
      $browser: 'Chrome', $browser_version: 131, $os: 'Mac OS X', $current_url: 'https://shop.example/p/1', $referrer: 'https://google.com/',
      mp_lib: 'tally', $lib_version: '0.1.0', ip: '203.0.113.7', utm_source: 'newsletter', utm_campaign: 'november', title: 'A product page',
    },
  });

/** Child: one "proxy process" driving its queue until the parent says stop. */
async function child({ bundle, kind, url, schema, events, offset }) {
  const mod = await import(join(bundle, 'queues.js'));
  const dir = kind === 'sqlite' ? mkdtempSync(join(tmpdir(), 'tally-qbench-')) : undefined;
  const queue = dir ? mod.createSqliteQueue({ dataDir: dir }) : mod.createPostgresQueue({ url, schema });
  await queue.ready;
  let acked = 0;
  let running = true;
  process.on('message', (m) => m === 'stop' && (running = false));
  process.send({ ready: true });
  await new Promise((resolve) => process.once('message', resolve)); // 'go'
  const report = setInterval(() => process.send({ acked }), 50);
  let next = 0;
  const producer = async () => {
    while (next < events) {
      const start = next;
      next += 20;
      const records = [];
      for (let n = offset + start; n < offset + Math.min(start + 20, events); n++) {
        records.push({ endpoint: 'import', region: 'us', key: `user-${n % 1000}`, body: body(n), messageId: `m-${n}` });
      }
      await queue.enqueue(records);
    }
  };
  const consumer = async () => {
    while (running) {
      try {
        await queue.size(); // the worker asks on every turn; the PostgreSQL queue caches it
        const claimed = await queue.claim({ maxRecords: 2000, maxBytes: 10_000_000 }, 60_000);
        if (claimed.length === 0) {
          await sleep(5);
          continue;
        }
        await queue.ack(claimed.map((r) => r.id));
        acked += claimed.length;
      } catch (error) {
        // As the worker does: report and go on (an unacked claim comes back after its lease).
        console.error(`[bench] ${kind} claim/ack failed: ${error.message}`);
        await sleep(50);
      }
    }
  };
  const producers = Promise.all(Array.from({ length: 16 }, producer));
  await Promise.all([producers, consumer(), consumer()]);
  clearInterval(report);
  const cpu = process.cpuUsage();
  process.send({ acked, cpuMs: (cpu.user + cpu.system) / 1000, final: true });
  await queue.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

/** Bundles the two queue implementations from source into a throwaway folder. */
async function build() {
  const out = mkdtempSync(join(proxyDir, '.qbench-build-'));
  process.env.TALLY_ONLY = 'proxy';
  const { default: configs } = await import(join(repoDir, 'rollup.config.mjs'));
  const { rollup } = await import('rollup');
  const virtual = `export { createSqliteQueue } from '${join(proxyDir, 'src/sqlite-queue.ts')}';
export { createPostgresQueue } from '${join(proxyDir, 'src/postgres/postgres-queue.ts')}';`;
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const bundle = await rollup({
    input: 'queues',
    plugins: [{ name: 'entry', resolveId: (id) => (id === 'queues' ? id : null), load: (id) => (id === 'queues' ? virtual : null) }, ...configs[0].plugins],
    external: (id) => builtins.has(id) || ['better-sqlite3', 'pg'].includes(id),
    onwarn: () => undefined,
  });
  await bundle.write({ dir: out, format: 'es', entryFileNames: 'queues.js' });
  await bundle.close();
  return out;
}

async function stats(pg, url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query(`SELECT xact_commit + xact_rollback AS xacts, tup_inserted, tup_updated, tup_deleted,
    pg_current_wal_lsn() AS lsn FROM pg_stat_database WHERE datname = current_database()`);
  await c.end();
  return rows[0];
}

async function run({ bundle, kind, processes, events, url, pg }) {
  const schema = `tally_bench_${process.pid}_${kind}_${processes}`;
  const admin = kind === 'postgres' ? new pg.Client({ connectionString: url }) : undefined;
  await admin?.connect();
  const share = Math.ceil(events / processes);
  const kids = Array.from({ length: processes }, (_, i) =>
    fork(self, ['--child', JSON.stringify({ bundle, kind, url, schema, events: share, offset: i * share })], { stdio: 'inherit' }));
  const acked = new Array(processes).fill(0);
  const cpuMs = new Array(processes).fill(0);
  let failed;
  for (const k of kids) k.once('exit', (code) => code !== 0 && (failed = new Error(`a ${kind} child exited with ${code}`)));
  await Promise.all(kids.map((k, i) => new Promise((resolve, reject) => {
    k.on('message', (m) => {
      if (m.ready) return resolve();
      acked[i] = m.acked;
      if (m.final) cpuMs[i] = m.cpuMs;
    });
    k.once('exit', (code) => reject(new Error(`a ${kind} child exited with ${code} before it was ready`)));
  })));
  await sleep(1500); // let pg_stat_database absorb the migrations before the first snapshot
  const before = kind === 'postgres' ? await stats(pg, url) : undefined;
  const start = performance.now();
  const serverCpuBefore = postgresCpuMs();
  for (const k of kids) k.send('go');
  const deadline = Date.now() + 600_000;
  while (acked.reduce((a, b) => a + b, 0) < share * processes && Date.now() < deadline && !failed) await sleep(5);
  if (failed || Date.now() >= deadline) {
    for (const k of kids) k.kill('SIGKILL');
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
    throw failed ?? new Error(`${kind} × ${processes}: not every event was acknowledged within 10 minutes`);
  }
  const seconds = (performance.now() - start) / 1000;
  const serverCpu = postgresCpuMs() - serverCpuBefore;
  for (const k of kids) k.send('stop');
  await Promise.all(kids.map((k) => new Promise((resolve) => (k.exitCode !== null ? resolve() : k.once('exit', resolve)))));
  const total = share * processes;
  const result = {
    queue: kind, processes, events: total, seconds: +seconds.toFixed(2), eventsPerSecond: Math.round(total / seconds),
    // The children's CPU includes their start (bundle load, connections): small next to the run.
    proxyCpuMsPer1000: +((cpuMs.reduce((a, b) => a + b, 0) / total) * 1000).toFixed(1),
    ...(kind === 'postgres' ? { serverCpuMsPer1000: +((serverCpu / total) * 1000).toFixed(1) } : {}),
  };
  if (admin) {
    await sleep(1500); // backends report their statistics when they exit or about once a second
    const after = await stats(pg, url);
    const { rows } = await admin.query(`SELECT pg_wal_lsn_diff($1, $2)::float8 AS wal, pg_total_relation_size($3)::float8 AS size`, [after.lsn, before.lsn, `${schema}.queue`]);
    Object.assign(result, {
      statementsPerEvent: +((after.xacts - before.xacts) / total).toFixed(3),
      walBytesPerEvent: Math.round(rows[0].wal / total),
      rowWritesPerEvent: +((after.tup_inserted - before.tup_inserted + (after.tup_updated - before.tup_updated) + (after.tup_deleted - before.tup_deleted)) / total).toFixed(2),
      tableBytesAfter: rows[0].size,
    });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  return result;
}

async function main() {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '60000' },
      processes: { type: 'string', default: '1,2,3' },
      repeat: { type: 'string', default: '3' },
      url: { type: 'string', default: process.env.TALLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tally_bench' },
    },
  });
  const events = Number(values.events);
  const { default: pg } = await import('pg');
  // A database of its own, so pg_stat_database counts only this benchmark.
  const target = new URL(values.url);
  const server = new URL(values.url);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  const name = target.pathname.slice(1);
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
  await admin.end();

  const bundle = await build();
  const setups = [{ kind: 'sqlite', processes: 1 }, ...values.processes.split(',').map((n) => ({ kind: 'postgres', processes: Number(n) }))];
  const runs = setups.map(() => []);
  try {
    console.log(`load before: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores cap any scaling; other work on the machine skews every figure)`);
    // Rounds interleave the setups, so a burst of other work on the machine does not land on one.
    for (let round = 0; round < Number(values.repeat); round++) {
      for (const [i, setup] of setups.entries()) {
        runs[i].push({ ...(await run({ bundle, ...setup, events, url: values.url, pg })), load: loadavg()[0].toFixed(1) });
        console.log(JSON.stringify(runs[i].at(-1)));
      }
    }
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
  const median = (list) => [...list].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor(list.length / 2)];
  const results = runs.map(median);
  const sqlite = results[0].eventsPerSecond;
  console.log('Median run of each setup:');
  console.table(results.map((r, i) => ({ ...r, 'vs SQLite': `${Math.round((r.eventsPerSecond / sqlite) * 100)}%`, 'all runs (events/s)': runs[i].map((x) => x.eventsPerSecond).join(' ') })));
}

if (process.argv[2] === '--child') child(JSON.parse(process.argv[3]));
else main().catch((error) => {
  console.error(error);
  process.exit(1);
});
