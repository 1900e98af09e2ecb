// Throughput of `tally sync` from PostgreSQL to the Mixpanel emulator (in a child process, as
// Mixpanel is remote): rows/s for events (/import) and user profiles (/engage), and peak RSS.
// Prints only; run after `TALLY_ONLY=sync,mixpanel-emulator npx rollup -c rollup.config.mjs`:
//   node packages/sync/bench/sync-throughput.mjs [rows]      (default 100,000; TALLY_TEST_PG_URL)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { resolveSyncConfig, runSync } from '../dist/index.js';

const ROWS = Number(process.argv[2] ?? 100_000);
const PG_URL = process.env.TALLY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tally_test';
const schema = `tally_sync_bench_${process.pid}`;
const emulatorCli = fileURLToPath(new URL('../../mixpanel-emulator/dist/cli.js', import.meta.url));

/** Starts the emulator CLI on a free port and resolves to its URL and a stop function. */
function startEmulator() {
  const child = spawn(process.execPath, [emulatorCli, '--port', '0', '--max-events', String(ROWS * 2)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (text) => {
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      if (url) resolve({ url, pid: child.pid, stop: () => child.kill('SIGTERM') });
    });
  });
}

/** CPU seconds a process has used (Linux /proc; undefined elsewhere). */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

const mb = (bytes) => `${Math.round(bytes / 2 ** 20)} MB`;
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

const client = new pg.Client({ connectionString: PG_URL });
await client.connect();
const temp = mkdtempSync(join(tmpdir(), 'tally-sync-bench-'));
const emulator = await startEmulator();
try {
  const placed = Math.floor(Date.now() / 1000) - 7 * 86_400;
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`CREATE TABLE ${schema}.orders AS SELECT 'o' || g AS id, 'c' || (g % 10000) AS customer_id, ${placed} + g % 86400 AS placed_at,
    round((g % 500) * 1.17, 2) AS total, (ARRAY['USD','EUR','GBP'])[1 + g % 3] AS currency, g % 7 AS items FROM generate_series(1, ${ROWS}) g`);
  await client.query(`CREATE TABLE ${schema}.customers AS SELECT 'c' || g AS id, 'user' || g || '@example.com' AS email, 'Name ' || g AS name,
    (ARRAY['free','pro','enterprise'])[1 + g % 3] AS plan, g % 1000 AS seats FROM generate_series(1, ${ROWS}) g`);
  const syncs = [
    { name: 'orders', object: 'event', query: `SELECT * FROM ${schema}.orders`, event: 'Order Completed', time: 'placed_at', distinctId: 'customer_id', key: 'id',
      properties: { order_id: 'id', revenue: 'total', currency: 'currency', items: 'items' } },
    { name: 'customers', object: 'user', query: `SELECT * FROM ${schema}.customers`, distinctId: 'id', set: { email: 'email', name: 'name', plan: 'plan', seats: 'seats' } },
  ];
  const config = resolveSyncConfig({ source: PG_URL, state: join(temp, 'state.sqlite'), mixpanel: { token: 'tally-dev-token', apiSecret: 'tally-dev-secret', apiUrl: emulator.url }, syncs });
  console.log(`tally sync throughput: ${ROWS.toLocaleString('en-US')} rows per object, PostgreSQL → emulator (child process)`);
  console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model}), load average before: ${load()}`);
  for (const sync of syncs) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const emulatorCpu = cpuSecondsOf(emulator.pid);
    const report = await runSync(config, { only: [sync.name] });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const rate = Math.round(report.read / seconds);
    // CPU per row says what the sync costs whatever else the machine runs; wall-clock rate depends on load.
    const cpuPerRow = (used.user + used.system) / report.read;
    console.log(`${sync.object.padEnd(6)} ${rate.toLocaleString('en-US').padStart(8)} rows/s  (${report.inserted.toLocaleString('en-US')} sent, ${report.failed} failed, ${report.syncs[0].requests} requests, ${seconds.toFixed(1)} s)  CPU ${cpuPerRow.toFixed(1)} µs/row = ${Math.round(1e6 / cpuPerRow).toLocaleString('en-US')} rows per CPU-second  peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
    const emulatorUsed = emulatorCpu === undefined ? undefined : cpuSecondsOf(emulator.pid) - emulatorCpu;
    if (emulatorUsed !== undefined) console.log(`${''.padEnd(6)} emulator used ${emulatorUsed.toFixed(1)} CPU s (${((emulatorUsed * 1e6) / report.read).toFixed(1)} µs/row) judging the same requests`);
    const second = performance.now();
    const again = await runSync(config, { only: [sync.name] });
    console.log(`${''.padEnd(6)} unchanged rerun: ${Math.round(again.read / ((performance.now() - second) / 1000)).toLocaleString('en-US')} rows/s (${again.unchanged.toLocaleString('en-US')} unchanged)`);
  }
  console.log(`load average after: ${load()}`);
} finally {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await client.end();
  emulator.stop();
  rmSync(temp, { recursive: true, force: true });
}
