import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createPostgresSource, createSqliteSource, type Row, type Source } from '@tally/sync';
import { PG_URL, probePostgres } from './fixtures.js';
import { tempDir } from './helpers.js';

const temp = tempDir();
afterAll(() => temp.remove());
const probe = await probePostgres();
const pgRequired = Boolean(process.env.TALLY_REQUIRE_POSTGRES);

async function collect(rows: AsyncIterable<Row>, limit = Infinity): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) {
    out.push(row);
    if (out.length >= limit) break;
  }
  return out;
}

/** The Source contract: every row once, in order; stopping early frees the query for the next. */
function sourceContract(label: string, open: () => Promise<Source>, sql: (n: number) => string) {
  describe(`${label} source`, () => {
    it('streams every row of a query', async () => {
      const source = await open();
      try {
        const rows = await collect(source.query(sql(25)));
        expect(rows.map((r) => Number(r.i))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      } finally {
        await source.close();
      }
    });

    it('stopping early ends the query; the next query runs', async () => {
      const source = await open();
      try {
        expect(await collect(source.query(sql(25)), 3)).toHaveLength(3);
        expect(await collect(source.query(sql(4)))).toHaveLength(4);
      } finally {
        await source.close();
      }
    });
  });
}

const sqlitePath = `${temp.dir}/s.db`;
new Database(sqlitePath).close();
sourceContract('SQLite', async () => createSqliteSource(sqlitePath), (n) => `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) SELECT i FROM s`);

if (probe.ok || pgRequired) {
  // Three rows per FETCH, so 25 rows take nine round trips through the cursor.
  sourceContract('PostgreSQL', () => createPostgresSource(PG_URL, { fetchRows: 3 }), (n) => `SELECT g AS i FROM generate_series(1, ${n}) g ORDER BY g;`);

  it('PostgreSQL bigint and numeric arrive as numbers, unless that would change the value', async () => {
    const source = await createPostgresSource(PG_URL);
    try {
      const [row] = await collect(source.query('SELECT 12::int8 AS a, 12.5::numeric AS b, 9007199254740993::int8 AS c, NULL::numeric AS d'));
      expect(row).toEqual({ a: 12, b: 12.5, c: '9007199254740993', d: null });
    } finally {
      await source.close();
    }
  });
}
