import pg from 'pg';
import { redactUrl } from './redact.js';
import type { Row, Source } from './source.js';

/** Rows per `FETCH`: big enough to amortize round trips, small enough to keep memory flat. */
const FETCH_ROWS = 2_000;

// pg returns int8 (oid 20) and numeric (1700) as text to keep every digit. Mixpanel stores
// numbers as doubles anyway, so they become numbers when that loses nothing that Mixpanel keeps;
// integers beyond 2^53 stay text rather than change value.
const NUMERIC_OIDS = new Set([20, 1700]);
function parseNumber(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  return /^-?\d+$/.test(text) && !Number.isSafeInteger(n) ? text : n;
}
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    NUMERIC_OIDS.has(oid) && format !== 'binary' ? parseNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A PostgreSQL source that streams through a server-side cursor (`DECLARE … CURSOR` and
 * `FETCH n` in a read-only transaction) with plain `pg`, so only `FETCH_ROWS` rows are in memory
 * at a time. REPEATABLE READ gives the whole run one snapshot of the data.
 */
export async function createPostgresSource(url: string, options: { fetchRows?: number } = {}): Promise<Source> {
  const client = new pg.Client({ connectionString: url, application_name: 'tally-sync', types });
  // A dropped connection emits 'error' on the client; without a listener it would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  const fetchRows = options.fetchRows ?? FETCH_ROWS;
  let cursors = 0;
  return {
    description: redactUrl(url),
    async *query(sql: string): AsyncIterable<Row> {
      const cursor = `tally_sync_${++cursors}`;
      // A trailing `;` would end the DECLARE statement early.
      const body = sql.trim().replace(/;\s*$/, '');
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let done = false;
      try {
        await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${body}`);
        const fetchPage = () => client.query<Row>(`FETCH ${fetchRows} FROM ${cursor}`);
        // One page ahead: the server reads the next page while this one is mapped and sent.
        let page = fetchPage();
        try {
          for (;;) {
            const result = await page;
            const more = result.rows.length === fetchRows;
            if (more) page = fetchPage();
            for (const row of result.rows) yield row;
            if (!more) break;
          }
        } finally {
          // Stopped early with a page in flight: let it land before the transaction ends.
          await page.catch(() => undefined);
        }
        await client.query('COMMIT');
        done = true;
      } finally {
        // Thrown, or the consumer stopped early: end the transaction, which closes the cursor.
        if (!done) await client.query('ROLLBACK').catch(() => undefined);
      }
    },
    async close() {
      await client.end();
    },
  };
}
