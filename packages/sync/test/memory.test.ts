import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runSync } from '@tally/sync';
import { PG_URL, probePostgres } from './fixtures.js';
import { acceptingFetch, tempDir, testConfig } from './helpers.js';

const ROWS = 100_000;
// Each row carries 1 KB, so holding the result (rows, then records) would take well over the bound.
const PAD = 1_000;
const BOUND_MB = 150;
const temp = tempDir();
// A real `gc()` without `--expose-gc` on the command line, so samples measure what is retained, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
afterAll(() => temp.remove());

/** Runs a 100,000-row event sync against a fetch that stores nothing, sampling heap use as it goes. */
async function heapGrowthMb(source: string, query: string): Promise<{ growthMb: number; read: number; records: number }> {
  const counter = { records: 0, requests: 0 };
  const sync = { name: 'big', object: 'event', query, event: 'Row Synced', time: 'placed_at', distinctId: 'customer_id', key: 'id', properties: { pad: 'pad' } };
  const config = testConfig(source, `${temp.dir}/state-${Math.random()}.sqlite`, 'http://127.0.0.1:9', [sync]);
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let nextSample = 0;
  // Every 10,000 rows: collect, then read what the run still holds.
  const sample = ({ read }: { read: number }) => {
    if (read < nextSample) return;
    nextSample = read + 10_000;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const report = await runSync(config, { fetch: acceptingFetch(counter), onProgress: sample });
  expect(report).toMatchObject({ ok: true, read: ROWS, inserted: ROWS });
  return { growthMb: (peak - base) / 2 ** 20, read: report.read, records: report.inserted };
}

const probe = await probePostgres();
const placedAt = Math.floor(Date.now() / 1000) - 86_400 * 2;

describe('100,000 rows stream in bounded memory', () => {
  it('from SQLite', async () => {
    const path = `${temp.dir}/big.db`;
    const db = new Database(path);
    db.exec(`CREATE TABLE big (id TEXT PRIMARY KEY, customer_id TEXT, placed_at INTEGER, pad TEXT);
      INSERT INTO big WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${ROWS})
      SELECT 'o' || i, 'c' || (i % 1000), ${placedAt} + (i % 3600), printf('%.${PAD}c', 'x') FROM s;`);
    db.close();
    const { growthMb } = await heapGrowthMb(`sqlite:${path}`, 'SELECT * FROM big');
    expect(growthMb).toBeLessThan(BOUND_MB);
  }, 180_000);

  it.skipIf(!probe.ok && !process.env.TALLY_REQUIRE_POSTGRES)('from PostgreSQL (server-side cursor)', async () => {
    if (!probe.ok) throw new Error(`PostgreSQL is unreachable (TALLY_REQUIRE_POSTGRES is set): ${probe.reason}`);
    // No table: the series is made by the server, so nothing is left behind.
    const query = `SELECT 'o' || g AS id, 'c' || (g % 1000) AS customer_id, ${placedAt} + (g % 3600) AS placed_at, repeat('x', ${PAD}) AS pad FROM generate_series(1, ${ROWS}) g`;
    const { growthMb } = await heapGrowthMb(PG_URL, query);
    expect(growthMb).toBeLessThan(BOUND_MB);
  }, 180_000);
});
