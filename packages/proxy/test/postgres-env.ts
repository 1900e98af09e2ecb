import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { it } from 'vitest';

/** The test database: `TALLY_TEST_PG_URL`, or the local one `scripts/postgres-up.sh` starts. */
export const PG_URL = process.env.TALLY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tally_test';
const required = !['', '0', 'false'].includes(process.env.TALLY_REQUIRE_POSTGRES ?? '');

/**
 * Whether PostgreSQL answers. When it does not, the PostgreSQL tests skip on a developer machine,
 * but CI sets `TALLY_REQUIRE_POSTGRES=1`: then a test fails with the reason, so they never
 * silently stop running.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const reason = `PostgreSQL at ${PG_URL} is not reachable (${(error as Error).message}); start it with scripts/postgres-up.sh or set TALLY_TEST_PG_URL`;
    if (required) it('PostgreSQL is reachable (TALLY_REQUIRE_POSTGRES is set)', () => {
      throw new Error(`[tally tests] ${reason}`);
    });
    else console.warn(`[tally tests] skipping the PostgreSQL tests: ${reason}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name per test queue, so parallel runs and test files never share tables. */
export const uniqueSchema = (prefix = 'tally_test') => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

/** Drops the given schemas (and everything in them) with a short-lived connection. */
export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const list = [...schemas];
  if (list.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    for (const schema of list) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
